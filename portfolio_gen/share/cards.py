"""The script-free image card (SVG and PNG) and the HTML / Markdown snippets using it.

It survives where iframes and scripts are stripped (GitHub READMEs, email signatures, job
sites). Both renderers share one layout so the SVG and PNG say the same thing; the state is
an icon plus a word plus a sentence, never colour alone.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup
from PIL import Image, ImageDraw, ImageOps

from portfolio_gen.share import imaging
from portfolio_gen.share.fonts import font
from portfolio_gen.share.icons import icon_svg
from portfolio_gen.share.info import ShareInfo
from portfolio_gen.share.state import label_for, style_for
from portfolio_gen.templating import render
from portfolio_gen.verify.anchor import SELF_ASSERTED_SENTENCE
from portfolio_gen.verify.report import Verdict

#: Bump when the card's look changes: it is part of every cache key.
RENDERER_VERSION = "card-4"
WIDTH, HEIGHT = 400, 140
PNG_SCALE = 2
_GREYED = frozenset({Verdict.REVOKED, Verdict.INVALID, Verdict.EXPIRED})

_IMG = (16, 12, 96)            # x, y, size
_TEXT_X = 126
_TEXT_W = WIDTH - _TEXT_X - 14
_NAME = (16, 20, 2)            # size, line height, max lines
_BAND_Y = 112


@dataclass(frozen=True)
class CardLayout:
    """Text already wrapped and cut, shared by the SVG and PNG renderers."""

    name_lines: tuple[str, ...]
    issuer: str
    date: str
    word: str
    sentence: str


def date_line(info: ShareInfo, *, fmt: Callable[[datetime | None], str] = imaging.format_date,
              ) -> str:
    """``Issued 14 Mar 2025``, or the validity range when the credential expires."""
    issued = fmt(info.issued)
    if info.expires is None:
        return f"Issued {issued}" if issued else ""
    expires = fmt(info.expires)
    return f"Valid {issued} \u2013 {expires}" if issued else f"Valid until {expires}"


def card_date_line(info: ShareInfo) -> str:
    """The image card's dates, to the month (``Issued Mar 2025``), as profile sites show
    certifications: the card is a summary linking to the page with the exact dates, and
    classmates awarded a badge in the same month share one card image."""
    return date_line(info, fmt=imaging.format_month)


def card_alt(info: ShareInfo) -> str:
    """Alt text saying everything the card shows, state included."""
    who = f"{info.learner_name}'s credential" if info.learner_name else "Credential"
    text = f"{who}: {info.name}, issued by {info.issuer_words}"
    if info.issued:
        text += f" on {imaging.format_date(info.issued)}"
    return f"{text}. {label_for(info.verdict, info.verdict_label)}: {state_sentence(info)}"


def state_sentence(info: ShareInfo) -> str:
    """The state's honest sentence; a verified credential whose issuer name nothing anchors
    says that its name is only its own claim."""
    sentence = style_for(info.verdict).sentence
    return f"{sentence} {SELF_ASSERTED_SENTENCE}" if info.name_unconfirmed else sentence


def band_sentence(info: ShareInfo) -> str:
    """The short sentence beside the state word on cards: for a verified credential, what
    anchors its issuer (``via example.edu``) or that nothing does; else the state's sentence."""
    if info.verdict is not Verdict.VERIFIED:
        return style_for(info.verdict).sentence
    if info.name_unconfirmed:
        return SELF_ASSERTED_SENTENCE
    return info.issuer_note


def layout(info: ShareInfo) -> CardLayout:
    # Wrap a little narrower than the box: SVG viewers may substitute a wider font.
    name_face = font(_NAME[0], "bold")
    names = imaging.wrap(info.name, name_face, _TEXT_W * 0.94, _NAME[2])
    small = font(13)
    word = imaging.clean_text(label_for(info.verdict, info.verdict_label))
    word_w = font(13, "bold").getlength(word)
    sentence = band_sentence(info)
    room = (WIDTH - 44 - 14 - word_w - 6) * 0.94
    return CardLayout(
        name_lines=tuple(names),
        issuer=imaging.ellipsise(info.issuer_line, small, _TEXT_W * 0.94),
        date=imaging.ellipsise(card_date_line(info), font(12), _TEXT_W * 0.94),
        word=word,
        sentence=imaging.ellipsise(sentence, font(12), room) if sentence else "",
    )


def badge_square(info: ShareInfo, size: int) -> Image.Image:
    """The badge fitted to ``size``; greyed out when revoked, invalid or expired."""
    img = imaging.fit_square(imaging.decode_badge(info.image_bytes, info.image_mime), size,
                             info.name, "#57606a")
    if info.verdict in _GREYED:
        grey = ImageOps.grayscale(img.convert("RGB")).convert("RGBA")
        grey.putalpha(img.getchannel("A").point(lambda a: a * 3 // 5))
        img = grey
    return img


#: Card bases kept per process (each an 800x280 RGBA image, under 1 MB).
BASE_CACHE_SIZE = 160


def shared_part(info: ShareInfo) -> ShareInfo:
    """Only what the shared image layers draw (badge, name, issuer, state); the learner and
    the dates are blanked, so every holder of the credential in the same state shares one
    key (here and in the OG image's base layer)."""
    return ShareInfo(credential_id=None, name=info.name, description="",
                     issuer_name=info.issuer_name, issuer_url=None, achievement_type=None,
                     issued=None, expires=None, verdict=info.verdict,
                     verdict_label=info.verdict_label, page_url=None, page_path="",
                     image_bytes=imaging.drawn_image(info.image_bytes, info.image_mime),
                     image_mime=info.image_mime, issuer_phrase=info.issuer_phrase,
                     issuer_short=info.issuer_short, issuer_note=info.issuer_note,
                     issuer_anchored=info.issuer_anchored)


@lru_cache(maxsize=BASE_CACHE_SIZE)
def _card_base(shared: ShareInfo) -> tuple[Image.Image, int]:
    """Everything on the PNG card but the date line, drawn from ``shared`` alone (a cached
    base cannot carry another learner's data). Returns the image, which callers copy and
    never change, and the date line's baseline."""
    s = PNG_SCALE
    lay = layout(shared)
    style = style_for(shared.verdict)
    img = Image.new("RGBA", (WIDTH * s, HEIGHT * s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, WIDTH * s - 1, HEIGHT * s - 1), radius=10 * s,
                           fill=(255, 255, 255, 255), outline=imaging.hex_rgba("#d0d7de"),
                           width=s)
    band = Image.new("RGBA", img.size, (0, 0, 0, 0))
    ImageDraw.Draw(band).rounded_rectangle(
        (s, _BAND_Y * s, WIDTH * s - 1 - s, HEIGHT * s - 1 - s), radius=9 * s,
        fill=imaging.hex_rgba(style.colour, 31), corners=(False, False, True, True))
    img.alpha_composite(band)
    x, y, size = _IMG
    img.alpha_composite(badge_square(shared, size * s), (x * s, y * s))
    ink, muted = imaging.hex_rgba("#1f2328"), imaging.hex_rgba("#57606a")
    for i, line in enumerate(lay.name_lines):
        draw.text((_TEXT_X * s, (30 + i * _NAME[1]) * s), line, font=font(_NAME[0] * s, "bold"),
                  fill=ink, anchor="ls")
    issuer_y, date_y = _below_name(len(lay.name_lines))
    draw.text((_TEXT_X * s, issuer_y * s), lay.issuer, font=font(13 * s), fill=muted,
              anchor="ls")
    imaging.draw_icon(draw, style.icon, (28 * s, 126 * s, 8 * s), style.colour)
    bold = font(13 * s, "bold")
    draw.text((44 * s, 131 * s), lay.word, font=bold, fill=imaging.hex_rgba(style.colour),
              anchor="ls")
    if lay.sentence:
        draw.text((44 * s + bold.getlength(lay.word) + 6 * s, 131 * s), lay.sentence,
                  font=font(12 * s), fill=ink, anchor="ls")
    return img, date_y


def render_card_png(info: ShareInfo) -> bytes:
    """The card at twice its CSS size, for sharp rendering on high-density screens. It is
    drawn from the shared part and the date line alone, so equal cards are encoded once per
    process; the bytes are the same either way."""
    return _card_png(shared_part(info), card_date_line(info))


#: Encoded cards kept per process (each 10-40 kB).
PNG_CACHE_SIZE = 2048


@lru_cache(maxsize=PNG_CACHE_SIZE)
def _card_png(shared: ShareInfo, dates: str) -> bytes:
    s = PNG_SCALE
    base, date_y = _card_base(shared)
    img = base.copy()
    date = imaging.ellipsise(dates, font(12), _TEXT_W * 0.94)
    ImageDraw.Draw(img).text((_TEXT_X * s, date_y * s), date, font=font(12 * s),
                             fill=imaging.hex_rgba("#57606a"), anchor="ls")
    return imaging.png_bytes(img)


def _below_name(n_lines: int) -> tuple[int, int]:
    issuer_y = 30 + (n_lines - 1) * _NAME[1] + 24
    return issuer_y, issuer_y + 20


def badge_png(info: ShareInfo, size: int) -> bytes:
    """The badge re-encoded by Pillow as a ``size`` PNG (never the badge's own bytes); the
    same for every holder, so made once per process."""
    return _badge_png(shared_part(info), size)


@lru_cache(maxsize=BASE_CACHE_SIZE)
def _badge_png(shared: ShareInfo, size: int) -> bytes:
    return imaging.png_bytes(_shared_square(shared, size))


def shared_badge_square(info: ShareInfo, size: int) -> Image.Image:
    """:func:`badge_square`, made once per process for every holder; callers only read it
    (``alpha_composite`` it onto their own image), never change it."""
    return _shared_square(shared_part(info), size)


@lru_cache(maxsize=BASE_CACHE_SIZE)
def _shared_square(shared: ShareInfo, size: int) -> Image.Image:
    return badge_square(shared, size)


def badge_data_uri(info: ShareInfo, size: int) -> str:
    """The badge re-encoded by Pillow as a PNG data URI (never the badge's own SVG markup)."""
    return _badge_data_uri(shared_part(info), size)


@lru_cache(maxsize=BASE_CACHE_SIZE)
def _badge_data_uri(shared: ShareInfo, size: int) -> str:
    return "data:image/png;base64," + base64.b64encode(_badge_png(shared, size)).decode("ascii")


def render_card_svg(info: ShareInfo, theme_override: Path | None = None) -> str:
    lay = layout(info)
    style = style_for(info.verdict)
    issuer_y, date_y = _below_name(len(lay.name_lines))
    x, y, size = _IMG
    return render(
        "card.svg.j2", theme_override, w=WIDTH, h=HEIGHT, alt=card_alt(info), band_y=_BAND_Y,
        colour=style.colour, img_x=x, img_y=y, img_size=size,
        image_uri=badge_data_uri(info, size * PNG_SCALE), text_x=_TEXT_X,
        name_lines=lay.name_lines, name_y=30, name_lh=_NAME[1], name_size=_NAME[0],
        issuer=lay.issuer, issuer_y=issuer_y, issuer_size=13, date=lay.date, date_y=date_y,
        date_size=12, word=lay.word, sentence=lay.sentence, word_x=44, state_y=131,
        state_size=13, icon_svg=icon_svg(style.icon, 28, 126, 8, style.colour),
    )


def image_card_html(info: ShareInfo, card_url: str, page_url: str) -> Markup:
    """``<a href><img alt></a>``: works where scripts and iframes are stripped."""
    return Markup(
        '<a href="{page}"><img src="{src}" alt="{alt}" width="{w}" height="{h}"></a>'
    ).format(page=page_url, src=card_url, alt=card_alt(info), w=WIDTH, h=HEIGHT)


def _md_url(url: str) -> str:
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def _md_text(text: str) -> str:
    out = " ".join(text.split())
    for ch in "\\[]*_`<>":
        out = out.replace(ch, "\\" + ch)
    return out


def image_card_markdown(info: ShareInfo, card_url: str, page_url: str) -> str:
    """``[![alt](card)](page)`` with alt text escaped and URLs percent-encoded."""
    return f"[![{_md_text(card_alt(info))}]({_md_url(card_url)})]({_md_url(page_url)})"
