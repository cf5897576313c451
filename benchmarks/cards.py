"""Cost of the sharing images per credential, cold (empty cache) and warm (all cached), and
of one Open Graph image: a new achievement, another learner's copy of an achievement already
drawn in this process (the shared base is reused), and the home page summary.

Run: python benchmarks/cards.py [N]   (default 20 credentials)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from portfolio_gen.share import artifacts, og
from portfolio_gen.share.cache import RenderCache
from portfolio_gen.share.info import ShareInfo
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict


def build(infos: list[ShareInfo], cache: RenderCache) -> None:
    for info in infos:
        artifacts.card_png(info, cache)
        artifacts.card_svg(info, cache)
        artifacts.og_image(info, "bench", cache)
    artifacts.og_summary_image("Ada Lovelace", "Portfolio", infos, "bench", cache)


def _ms_each(render: Callable[[ShareInfo], object], infos: list[ShareInfo]) -> float:
    start = time.perf_counter()
    for info in infos:
        render(info)
    return (time.perf_counter() - start) / len(infos) * 1000


def og_images(infos: list[ShareInfo]) -> None:
    """Milliseconds per OG image, without the on-disk cache."""
    og.render_og_image(infos[0], "bench")  # fonts loaded

    def new_achievement(info: ShareInfo) -> bytes:
        og._credential_base.cache_clear()
        return og.render_og_image(info, "bench")

    new = _ms_each(new_achievement, infos)
    for info in infos[:og.BASE_CACHE_SIZE]:
        og.render_og_image(info, "bench")
    shared = infos[:og.BASE_CACHE_SIZE]
    other = _ms_each(lambda i: og.render_og_image(i, "bench"),
                     [replace(i, learner_name="Grace Hopper") for i in shared])
    runs = 5
    start = time.perf_counter()
    for _ in range(runs):
        summary = og.render_og_summary_image("Ada Lovelace", "Portfolio", infos, "bench")
    summary_ms = (time.perf_counter() - start) / runs * 1000
    sizes = sorted(len(og.render_og_image(i, "bench")) for i in infos)
    print(f"og image: {new:.1f} ms new achievement, {other:.1f} ms another learner's copy; "
          f"summary {summary_ms:.1f} ms; {sizes[len(sizes) // 2] / 1024:.0f} KiB median, "
          f"summary {len(summary) / 1024:.0f} KiB")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    verdicts = list(Verdict)
    infos = [sample_info(verdicts[i % len(verdicts)], seed=i) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("cold", "warm"):
            cache = RenderCache(Path(tmp))
            start = time.perf_counter()
            build(infos, cache)
            elapsed = time.perf_counter() - start
            print(f"{label}: {n} credentials, {elapsed:.3f} s total, "
                  f"{elapsed / n * 1000:.1f} ms/credential "
                  f"(rendered {cache.misses}, cached {cache.hits})")
    og_images(infos)


if __name__ == "__main__":
    main()
