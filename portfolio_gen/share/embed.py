"""The script embed: ``embed.js`` (served once by the site) and the snippet using it.

The snippet is a ``<div>`` holding a plain link, so it degrades to a working link wherever
scripts are stripped; with the script it becomes the iframe card.
"""

from __future__ import annotations

from markupsafe import Markup

from portfolio_gen import theme
from portfolio_gen.share.iframe_card import SIZES, card_title
from portfolio_gen.share.info import ShareInfo

SCRIPT_NAME = "portfolio-embed.js"


def embed_js() -> str:
    """The script's source (dependency-free, under 3 KB; ``themes/portfolio/assets/``).
    Ours only, never an override's: sites that embed a card load it."""
    return theme.read(theme.ASSETS, "embed.js").decode("utf-8")


def script_embed_snippet(info: ShareInfo, *, card_url: str, page_url: str, script_url: str,
                         size: str = "wide") -> Markup:
    """``<div class="portfolio-badge" ...><a href>…</a></div>`` plus the async script tag."""
    if size not in SIZES:
        raise ValueError(f"unknown card size {size!r}")
    return Markup(
        '<div class="portfolio-badge" data-portfolio-credential="{card}" data-size="{size}">'
        '<a href="{page}">{title}</a></div>\n'
        '<script async src="{script}"></script>'
    ).format(card=card_url, size=size, page=page_url, title=card_title(info), script=script_url)
