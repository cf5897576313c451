"""Cached entry points for the images: card PNG/SVG, OG JPEG, summary OG JPEG, QR SVG.

Keys cover only what each renderer reads (so a new site URL does not re-render cards) plus
the renderer version; pass ``cache=None`` to render without caching.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

from portfolio_gen import theme
from portfolio_gen.share import cards, imaging, og, qr
from portfolio_gen.share.cache import RenderCache, fingerprint
from portfolio_gen.share.info import ShareInfo


def _visual_inputs(info: ShareInfo, *, learner: bool = True) -> dict[str, object]:
    """What a renderer draws. The PNG card and the badge image do not show the learner, so
    their keys leave the name out: a class holding the same badge shares one rendering."""
    inputs: dict[str, object] = {
        "name": info.name, "issuer": info.issuer_name, "issuer_phrase": info.issuer_phrase,
        "issuer_short": info.issuer_short, "issuer_note": info.issuer_note,
        "anchored": info.issuer_anchored,
        "issued": info.issued,
        "expires": info.expires, "verdict": info.verdict.value, "label": info.verdict_label,
        "image": imaging.drawn_image(info.image_bytes, info.image_mime),
        "mime": info.image_mime,
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
    inputs = _visual_inputs(info, learner=False)
    del inputs["issued"], inputs["expires"]      # the card shows them to the month
    inputs["dates"] = cards.card_date_line(info)
    key = fingerprint(cards.RENDERER_VERSION, "card.png", inputs)
    return _cached(cache, "card-png", key, lambda: cards.render_card_png(info))


def card_svg(info: ShareInfo, cache: RenderCache | None = None,
             theme_override: Path | None = None) -> bytes:
    """The SVG card; a theme override (its ``card.svg.j2``) is part of the key."""
    extra = [theme.digest(theme_override)] if theme_override is not None else []
    key = fingerprint(cards.RENDERER_VERSION, "card.svg", _visual_inputs(info), *extra)
    return _cached(cache, "card-svg", key,
                   lambda: cards.render_card_svg(info, theme_override).encode("utf-8"))


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
                   lambda: cards.badge_png(info, size))
    return data, "png"


# QR bodies already fetched through each live RenderCache, by id: a URL's QR appears twice in
# a build (credential page, then printable summary), and its second variant should neither
# read the file again nor count as a cache hit. Scoped to the cache object, so a second build
# in the same process (``mkdocs serve``) still looks every body up and counts it.
_qr_seen: dict[int, tuple[weakref.ref[RenderCache], dict[str, str]]] = {}


def _forget_qr(key: int, ref: weakref.ref[RenderCache]) -> None:
    entry = _qr_seen.get(key)
    if entry is not None and entry[0] is ref:
        del _qr_seen[key]


def _qr_body(url: str, cache: RenderCache) -> str:
    entry = _qr_seen.get(id(cache))
    if entry is None or entry[0]() is not cache:
        entry = (weakref.ref(cache, functools.partial(_forget_qr, id(cache))), {})
        _qr_seen[id(cache)] = entry
    bodies = entry[1]
    body = bodies.get(url)
    if body is None:
        key = fingerprint(qr.BODY_VERSION, url)
        body = _cached(cache, "qr-svg", key,
                       lambda: qr.svg_body(url).encode("utf-8")).decode("utf-8")
        bodies[url] = body
    return body


def qr_svg(url: str, *, title: str, scale: int = 4, cache: RenderCache | None = None) -> str:
    """The QR code of ``url`` at ``scale`` CSS pixels per module, named by ``title``.

    Only the drawing is cached, keyed on the URL (one file per URL): making it (mask choice
    and segno's SVG writer, ~2.3 ms) costs far more than reading it back (~30 us), and every
    later build that re-plans the learner reads it back (a cohort without a fixed ``now``
    re-plans every learner on every build). Size and title are added per call (~2 us), so
    the page and summary variants share one entry.
    """
    body = qr.svg_body(url) if cache is None else _qr_body(url, cache)
    return qr.svg_variant(body, url=url, title=title, scale=scale)
