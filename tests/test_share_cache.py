"""Content-hash cache: a warm rebuild renders nothing; a visual change renders again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from portfolio_gen.share import artifacts
from portfolio_gen.share.cache import RenderCache
from portfolio_gen.share.info import ShareInfo
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict


def _build(cache: RenderCache, infos: list[ShareInfo]) -> list[bytes]:
    out = []
    for info in infos:
        out += [artifacts.card_png(info, cache), artifacts.card_svg(info, cache),
                artifacts.og_image(info, "site", cache)]
    out.append(artifacts.og_summary_image("Ada", "Portfolio", infos, "site", cache))
    return out


def test_warm_rebuild_renders_nothing(tmp_path: Path) -> None:
    infos = [sample_info(seed=i) for i in range(3)]
    cold = RenderCache(tmp_path)
    first = _build(cold, infos)
    assert (cold.hits, cold.misses) == (0, 10)
    warm = RenderCache(tmp_path)
    assert _build(warm, infos) == first
    assert (warm.hits, warm.misses, warm.rendered) == (10, 0, [])


def test_only_visual_changes_miss(tmp_path: Path) -> None:
    info = sample_info()
    artifacts.card_png(info, RenderCache(tmp_path))
    moved = RenderCache(tmp_path)
    artifacts.card_png(replace(info, page_url="https://elsewhere.example/x/"), moved)
    assert moved.misses == 0
    revoked = RenderCache(tmp_path)
    artifacts.card_png(replace(info, verdict=Verdict.REVOKED), revoked)
    new_image = RenderCache(tmp_path)
    artifacts.card_png(replace(info, image_bytes=sample_info(seed=5).image_bytes), new_image)
    assert revoked.misses == 1 and new_image.misses == 1
