"""The iframe card: a tiny standalone page per credential and the snippet embedding it.

No external requests (inline CSS, a hash-pinned inline script, the badge as a sibling file),
light/dark from ``prefers-color-scheme``, the state shown as icon + word + sentence. The
script only reports the card's size to the parent (for ``embed.js``); sandboxed without
scripts the card still works.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from portfolio_gen.share.cards import band_sentence, card_alt, date_line
from portfolio_gen.share.icons import icon_svg_standalone
from portfolio_gen.share.info import ShareInfo
from portfolio_gen.share.state import label_for, style_for
from portfolio_gen.templating import render
from portfolio_gen.verify.report import Verdict

RENDERER_VERSION = "iframe-3"
MAX_BYTES = 20 * 1024
#: Badge images at most this large may be inlined as a data URI instead of a sibling file.
INLINE_IMAGE_LIMIT = 4 * 1024
#: Lets the card's link open a normal (unsandboxed) tab; scripts are not needed to show it.
IFRAME_SANDBOX = "allow-popups allow-popups-to-escape-sandbox"
MESSAGE_TYPE = "portfolio-badge:size"


@dataclass(frozen=True)
class CardSize:
    name: str
    width: int
    height: int
    img: int
    name_lines: int


SIZES = {
    "wide": CardSize("wide", 330, 186, 96, 3),
    "tall": CardSize("tall", 150, 270, 72, 3),
}

_RESIZE_SCRIPT = (
    "(function(){var p=window.parent;if(!p||p===window)return;function s(){"
    "var e=document.documentElement;p.postMessage({type:\"" + MESSAGE_TYPE + "\","
    "width:e.scrollWidth,height:e.scrollHeight},\"*\")}"
    "window.addEventListener(\"load\",s);s()})();"
)
_DARK = {"#1a7f37": "#3fb950", "#b42318": "#f85149", "#9a6700": "#d29922", "#57606a": "#9198a1"}


def card_title(info: ShareInfo) -> str:
    word = label_for(info.verdict, info.verdict_label)
    return f"{info.name} \u2014 {info.issuer_words} ({word})"


def render_iframe_card(info: ShareInfo, *, size: str, page_url: str, image_src: str,
                       lang: str = "en", theme_override: Path | None = None) -> str:
    """The card page; ``image_src`` is the sibling badge file (or a small data URI)."""
    dims = SIZES[size]
    style = style_for(info.verdict)
    script_hash = base64.b64encode(hashlib.sha256(_RESIZE_SCRIPT.encode()).digest()).decode()
    return render(
        "iframe_card.html.j2", theme_override, lang=lang, title=card_title(info), size=size,
        width=dims.width, height=dims.height, img_size=dims.img, name_lines=dims.name_lines,
        colour=style.colour, dark_colour=_DARK.get(style.colour, style.colour),
        warning=info.verdict in (Verdict.REVOKED, Verdict.INVALID, Verdict.EXPIRED),
        page_url=page_url, image_src=image_src, image_alt=card_alt(info),
        name=" ".join(info.name.split()), issuer=" ".join(info.issuer_line.split()),
        date=date_line(info), word=label_for(info.verdict, info.verdict_label),
        sentence=band_sentence(info),
        icon=icon_svg_standalone(style.icon, 16, style.colour),
        script=Markup(_RESIZE_SCRIPT), script_hash=script_hash,
    )


def inline_image_src(data: bytes, ext: str) -> str | None:
    """A data URI for a small raster badge, else ``None`` (publish it as a file)."""
    if ext != "png" or len(data) > INLINE_IMAGE_LIMIT:
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def iframe_snippet(info: ShareInfo, card_url: str, size: str = "wide") -> Markup:
    """``<iframe>`` embedding the card; sandboxed, lazy, titled."""
    dims = SIZES[size]
    return Markup(
        '<iframe src="{src}" title="{title}" width="{w}" height="{h}" loading="lazy" '
        'sandbox="{sandbox}" style="border:0;max-width:100%"></iframe>'
    ).format(src=card_url, title=card_title(info), w=dims.width, h=dims.height,
             sandbox=IFRAME_SANDBOX)
