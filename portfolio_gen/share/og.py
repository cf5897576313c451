"""Open Graph / Twitter card images (1200x630 JPEG) and the tags that point at them.

Rendered with Pillow and the shipped font, so there is no Cairo or network font to fail the
build, and the same input gives the same bytes. Tags needing absolute URLs (og:url, og:image,
twitter:image, canonical) are left out without a site URL, with one warning saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urljoin

from markupsafe import Markup, escape
from PIL import Image, ImageDraw

from portfolio_gen.share import imaging
from portfolio_gen.share.cards import (
    badge_square,
    band_sentence,
    date_line,
    shared_badge_square,
    shared_part,
    state_sentence,
)
from portfolio_gen.share.fonts import font
from portfolio_gen.share.info import ShareInfo
from portfolio_gen.share.state import label_for, style_for
from portfolio_gen.verify.anchor import SELF_ASSERTED_SENTENCE
from portfolio_gen.verify.report import Verdict

RENDERER_VERSION = "og-6"
OG_WIDTH, OG_HEIGHT = 1200, 630
#: The images are baseline JPEG: every platform reading og:image takes it, and it encodes
#: several times faster than PNG for a 1200x630 RGB image.
OG_MIME = "image/jpeg"
DESCRIPTION_MAX = 200

NO_SITE_URL_WARNING = (
    "site_url is not set: og:url, og:image, twitter:image and the canonical link need absolute "
    "URLs, so they were left out and shared links will show no preview image. Set site_url in "
    "mkdocs.yml to the address the portfolio is published at."
)

_INK, _MUTED, _PAPER = "#1f2328", "#57606a", "#ffffff"


def _canvas(stripe: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGBA", (OG_WIDTH, OG_HEIGHT), imaging.hex_rgba(_PAPER))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 15, OG_HEIGHT), fill=imaging.hex_rgba(stripe))
    draw.rectangle((16, OG_HEIGHT - 70, OG_WIDTH, OG_HEIGHT), fill=imaging.hex_rgba("#f6f8fa"))
    draw.line((16, OG_HEIGHT - 70, OG_WIDTH, OG_HEIGHT - 70), fill=imaging.hex_rgba("#d0d7de"),
              width=2)
    return img, draw


def _footer(draw: ImageDraw.ImageDraw, text: str) -> None:
    draw.text((70, OG_HEIGHT - 35), imaging.ellipsise(text, font(26), OG_WIDTH - 140),
              font=font(26), fill=imaging.hex_rgba(_MUTED), anchor="lm")


#: Shared bases kept per process (each a 1200x630 RGB image, about 2.3 MB): enough for the
#: achievements a cohort holds in common, small enough not to matter in a worker process.
BASE_CACHE_SIZE = 128
_TEXT_X, _TEXT_W = 470, OG_WIDTH - 470 - 60


@lru_cache(maxsize=BASE_CACHE_SIZE)
def _credential_base(shared: ShareInfo, with_learner: bool) -> tuple[Image.Image, int]:
    """The learner-independent layer, drawn from ``shared`` alone (a cached base cannot
    carry another learner's data): background, state stripe, badge, achievement name and
    issuer. Returns the RGB image, which callers must copy and never change, and the
    baseline of the issuer line."""
    img, draw = _canvas(style_for(shared.verdict).colour)
    img.alpha_composite(badge_square(shared, 360), (60, 95))
    y = 120 + (70 if with_learner else 40)
    for line in imaging.wrap(shared.name, font(56, "bold"), _TEXT_W, 3):
        draw.text((_TEXT_X, y), line, font=font(56, "bold"), fill=imaging.hex_rgba(_INK),
                  anchor="ls")
        y += 68
    y += 6
    draw.text((_TEXT_X, y), imaging.ellipsise(og_issuer_line(shared), font(32), _TEXT_W),
              font=font(32), fill=imaging.hex_rgba(_INK), anchor="ls")
    return img.convert("RGB"), y


def og_issuer_line(info: ShareInfo) -> str:
    """The image's issuer line: ``Issued by <name>`` when anchored (its domain or registry
    is drawn under the state: ``via example.edu``), else ``Claims to be <name>``."""
    return f"Issued by {info.issuer_line}" if info.issuer_anchored else info.issuer_line


def render_og_image(info: ShareInfo, site_name: str = "") -> bytes:
    """The credential's social card (JPEG): badge, name, issuer, learner, date and honest
    state. The learner-independent layer comes from a small per-process cache; the bytes are
    the same whether it was cached or not."""
    style = style_for(info.verdict)
    base, y = _credential_base(shared_part(info), bool(info.learner_name))
    img = base.copy()
    draw = ImageDraw.Draw(img)
    x, width = _TEXT_X, _TEXT_W
    if info.learner_name:
        draw.text((x, 120), imaging.ellipsise(f"Earned by {info.learner_name}", font(30), width),
                  font=font(30), fill=imaging.hex_rgba(_MUTED), anchor="ls")
    dates = date_line(info)
    if dates:
        y += 48
        draw.text((x, y), dates, font=font(30), fill=imaging.hex_rgba(_MUTED), anchor="ls")
    y = min(max(y + 64, 460), 500)
    imaging.draw_icon(draw, style.icon, (x + 22, y - 12, 22), style.colour)
    word = imaging.clean_text(label_for(info.verdict, info.verdict_label))
    draw.text((x + 56, y), imaging.ellipsise(word, font(36, "bold"), width - 56),
              font=font(36, "bold"), fill=imaging.hex_rgba(style.colour), anchor="ls")
    sentence = band_sentence(info)
    if sentence:
        draw.text((x + 56, y + 40), imaging.ellipsise(sentence, font(26), width - 56),
                  font=font(26), fill=imaging.hex_rgba(_INK), anchor="ls")
    _footer(draw, site_name or info.learner_name)
    return imaging.jpeg_bytes(img)


def render_og_summary_image(heading: str, subheading: str, infos: Sequence[ShareInfo],
                            footer: str = "") -> bytes:
    """The home or cohort card (JPEG): a name, counts by state and a row of badges."""
    img, draw = _canvas("#2f6feb")
    x, width = 70, OG_WIDTH - 140
    y = 140
    for line in imaging.wrap(heading, font(72, "bold"), width, 2):
        draw.text((x, y), line, font=font(72, "bold"), fill=imaging.hex_rgba(_INK), anchor="ls")
        y += 84
    if subheading:
        draw.text((x, y), imaging.ellipsise(subheading, font(36), width), font=font(36),
                  fill=imaging.hex_rgba(_MUTED), anchor="ls")
        y += 62
    draw.text((x, y), imaging.ellipsise(summary_counts(infos), font(34, "bold"), width),
              font=font(34, "bold"), fill=imaging.hex_rgba(_INK), anchor="ls")
    size, gap = 150, 24
    for i, info in enumerate(list(infos)[:6]):
        place = (x + i * (size + gap), OG_HEIGHT - 70 - 20 - size)
        img.alpha_composite(shared_badge_square(info, size), place)
    _footer(draw, footer)
    return imaging.jpeg_bytes(img.convert("RGB"))


def summary_counts(infos: Sequence[ShareInfo]) -> str:
    """``12 credentials · 10 verified · 2 not verified`` (never hides the flagged ones)."""
    total = len(infos)
    verified = sum(1 for i in infos if i.verdict is Verdict.VERIFIED)
    parts = [f"{total} credential{'s' if total != 1 else ''}", f"{verified} verified"]
    if total - verified:
        parts.append(f"{total - verified} not verified")
    return " \u00b7 ".join(parts)


@dataclass(frozen=True)
class OgPage:
    """What one page says about itself; paths are relative to the site root."""

    title: str
    description: str
    path: str
    image_path: str | None
    image_alt: str
    site_name: str = ""
    type: str = "website"


@dataclass(frozen=True)
class OgTags:
    """``meta`` is (property or name, content); ``warning`` is set when tags were left out."""

    meta: tuple[tuple[str, str], ...]
    canonical: str | None
    warning: str | None


def absolute_url(site_url: str, path: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, quote(path.lstrip("/"), safe="/%-._~"))


def short_description(text: str, limit: int = DESCRIPTION_MAX) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"


def credential_page(info: ShareInfo, image_path: str | None, site_name: str = "") -> OgPage:
    """The OG description states the verification result before the issuer's own words."""
    lead = f"{info.learner_name} earned" if info.learner_name else "Credential"
    summary = f"{lead} {info.name}, issued by {info.issuer_words}."
    state = state_sentence(info)
    return OgPage(
        title=f"{info.name} \u2014 {info.issuer_words}",
        description=short_description(f"{summary} {state} {info.description}"),
        path=info.page_path, image_path=image_path,
        image_alt=f"{info.name}, issued by {info.issuer_words}: "
                  f"{label_for(info.verdict, info.verdict_label)}"
                  + (f". {SELF_ASSERTED_SENTENCE}" if info.name_unconfirmed else ""),
        site_name=site_name,
    )


def og_tags(page: OgPage, site_url: str | None) -> OgTags:
    """The Open Graph and Twitter tags for ``page``; absolute-URL tags only with a site URL."""
    meta: list[tuple[str, str]] = [
        ("og:type", page.type),
        ("og:title", page.title),
        ("og:description", short_description(page.description)),
    ]
    if page.site_name:
        meta.append(("og:site_name", page.site_name))
    has_image = bool(site_url and page.image_path)
    meta += [("twitter:card", "summary_large_image" if has_image else "summary"),
             ("twitter:title", page.title),
             ("twitter:description", short_description(page.description))]
    if not site_url:
        return OgTags(tuple(meta), None, NO_SITE_URL_WARNING)
    url = absolute_url(site_url, page.path)
    meta.insert(1, ("og:url", url))
    if page.image_path:
        image = absolute_url(site_url, page.image_path)
        meta += [("og:image", image), ("og:image:type", OG_MIME),
                 ("og:image:width", str(OG_WIDTH)), ("og:image:height", str(OG_HEIGHT)),
                 ("og:image:alt", page.image_alt),
                 ("twitter:image", image), ("twitter:image:alt", page.image_alt)]
    return OgTags(tuple(meta), url, None)


def og_html(tags: OgTags) -> Markup:
    """The ``<meta>`` tags (``property`` for og:*, ``name`` for twitter:*) and canonical link."""
    lines = []
    for key, content in tags.meta:
        attr = "name" if key.startswith("twitter:") else "property"
        lines.append(f'<meta {attr}="{escape(key)}" content="{escape(content)}">')
    if tags.canonical:
        lines.append(f'<link rel="canonical" href="{escape(tags.canonical)}">')
    return Markup("\n".join(lines))
