"""Static oEmbed: one JSON file per credential and the discovery ``<link>`` pointing at it.

A static site cannot read ``maxwidth``/``maxheight``, so each file describes the wide iframe
card at its real size; the thumbnail is the image card PNG with its real pixel size (and the
field names are spelt right, unlike a peer's ``thumnail_width``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from portfolio_gen.share import cards
from portfolio_gen.share.iframe_card import SIZES, card_title, iframe_snippet
from portfolio_gen.share.info import ShareInfo

DEFAULT_CACHE_AGE = 86_400


def _require_absolute(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"oEmbed needs an absolute http(s) {name}, got {url!r}")


def oembed(info: ShareInfo, *, card_url: str, thumbnail_url: str, provider_name: str,
           provider_url: str, author_url: str | None = None, size: str = "wide",
           cache_age: int = DEFAULT_CACHE_AGE) -> dict[str, Any]:
    """The oEmbed 1.0 ``rich`` response for one credential."""
    for name, url in (("card_url", card_url), ("thumbnail_url", thumbnail_url),
                      ("provider_url", provider_url)):
        _require_absolute(name, url)
    dims = SIZES[size]
    doc: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "html": str(iframe_snippet(info, card_url, size)),
        "width": dims.width,
        "height": dims.height,
        "title": card_title(info),
        "provider_name": provider_name,
        "provider_url": provider_url,
        "cache_age": cache_age,
        "thumbnail_url": thumbnail_url,
        "thumbnail_width": cards.WIDTH * cards.PNG_SCALE,
        "thumbnail_height": cards.HEIGHT * cards.PNG_SCALE,
    }
    if info.learner_name:
        doc["author_name"] = info.learner_name
        if author_url:
            doc["author_url"] = author_url
    return doc


def oembed_json(doc: dict[str, Any]) -> str:
    """Stable serialisation (sorted keys) so rebuilds produce the same file."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def discovery_link(oembed_url: str, title: str) -> Markup:
    return Markup(
        '<link rel="alternate" type="application/json+oembed" href="{href}" title="{title}">'
    ).format(href=oembed_url, title=title)
