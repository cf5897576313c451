"""Cached entry points for the images: card PNG/SVG, OG JPEG, summary OG JPEG.

Keys cover only what each renderer reads (so a new site URL does not re-render cards) plus
the renderer version; pass ``cache=None`` to render without caching.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from portfolio_gen.share import cards, imaging, og, qr
from portfolio_gen.share.cache import RenderCache, fingerprint
from portfolio_gen.share.info import ShareInfo


def _visual_inputs(info: ShareInfo, *, learner: bool = True) -> dict[str, object]:
    """What a renderer draws. The PNG card and the badge image do not show the learner, so
    their keys leave the name out: a class holding the same badge shares one rendering."""
    inputs: dict[str, object] = {
        "name": info.name, "issuer": info.issuer_name, "issued": info.issued,
        "expires": info.expires, "verdict": info.verdict.value, "label": info.verdict_label,
        "image": info.image_bytes, "mime": info.image_mime,
    }
    if learner:
        inputs["learner"] = info.learner_name
    return inputs


def _cached(cache: RenderCache | None, kind: str, key: str,
            render: Callable[[], bytes]) -> bytes:
    if cache is None:
        return render()
    return cache.get_or_render(kind, key, render)


def card_png(info: ShareInfo, cache: RenderCache | None = None) -> bytes:
    key = fingerprint(cards.RENDERER_VERSION, "card.png", _visual_inputs(info, learner=False))
    return _cached(cache, "card-png", key, lambda: cards.render_card_png(info))


def card_svg(info: ShareInfo, cache: RenderCache | None = None) -> bytes:
    key = fingerprint(cards.RENDERER_VERSION, "card.svg", _visual_inputs(info))
    return _cached(cache, "card-svg", key,
                   lambda: cards.render_card_svg(info).encode("utf-8"))


def og_image(info: ShareInfo, site_name: str = "", cache: RenderCache | None = None) -> bytes:
    """The credential's Open Graph image (JPEG)."""
    key = fingerprint(og.RENDERER_VERSION, "og.jpg", _visual_inputs(info), site_name)
    return _cached(cache, "og-jpg", key, lambda: og.render_og_image(info, site_name))


def og_summary_image(heading: str, subheading: str, infos: Sequence[ShareInfo],
                     footer: str = "", cache: RenderCache | None = None) -> bytes:
    """The home page's Open Graph image (JPEG)."""
    key = fingerprint(og.RENDERER_VERSION, "og-summary.jpg", heading, subheading, footer,
                      [_visual_inputs(i) for i in infos])
    return _cached(cache, "og-jpg", key,
                   lambda: og.render_og_summary_image(heading, subheading, infos, footer))


def badge_file(info: ShareInfo, cache: RenderCache | None = None,
               size: int = 192) -> tuple[bytes, str]:
    """The badge image published beside the iframe card; raster re-encoding is cached."""
    if info.image_bytes and info.image_mime and "svg" in info.image_mime.lower():
        return info.image_bytes, "svg"
    key = fingerprint("badge.png-2", size, _visual_inputs(info, learner=False))
    data = _cached(cache, "badge-png", key,
                   lambda: imaging.png_bytes(cards.badge_square(info, size)))
    return data, "png"


def qr_svg(url: str, *, title: str, scale: int = 4, cache: RenderCache | None = None) -> str:
    """The page's QR code; choosing the best mask is the slow part, so it is cached."""
    key = fingerprint("qr-1", url, title, scale)
    return _cached(cache, "qr-svg", key,
                   lambda: qr.qr_svg(url, title=title, scale=scale).encode("utf-8")
                   ).decode("utf-8")
