"""Pillow helpers shared by the image card and the OG card.

Badge images are untrusted: only raster formats are decoded (never the badge's SVG), with a
pixel cap against decompression bombs, and everything is re-encoded into a fresh image so no
metadata, ICC profile or timestamp from the original survives. PNG and JPEG output is
deterministic (fixed encoder settings, no metadata).
"""

from __future__ import annotations

import io
import math
import unicodedata
from datetime import datetime

from PIL import Image, ImageDraw, ImageFont

from portfolio_gen.share.fonts import font
from portfolio_gen.share.state import Icon

#: Larger images are refused rather than decoded (about 40 MB of RGBA).
MAX_PIXELS = 10_000_000
_RASTER_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

RGBA = tuple[int, int, int, int]


def hex_rgba(colour: str, alpha: int = 255) -> RGBA:
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha)


def format_date(value: datetime | None) -> str:
    """``14 Mar 2025``, independent of the machine's locale."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_month(value: datetime | None) -> str:
    """``Mar 2025``, independent of the machine's locale."""
    if value is None:
        return ""
    return f"{_MONTHS[value.month - 1]} {value.year}"


def clean_text(text: str) -> str:
    """One line of displayable text: controls and characters the shipped font lacks dropped."""
    out = []
    for ch in " ".join(text.split()):
        code = ord(ch)
        if code > 0xFFFF or code in (0x200D, 0xFE0F) or unicodedata.category(ch)[0] == "C":
            continue
        out.append(ch)
    return "".join(out).strip()


def drawn_image(data: bytes | None, mime: str | None) -> bytes | None:
    """The badge bytes a renderer draws: ``None`` for SVG, which is never rasterised (a
    placeholder is drawn), so cache keys of learners holding an SVG badge agree."""
    return None if not data or (mime and "svg" in mime.lower()) else data


def decode_badge(data: bytes | None, mime: str | None) -> Image.Image | None:
    """The badge as RGBA, or ``None`` for SVG, unknown, oversized or broken images."""
    if not data or (mime and "svg" in mime.lower()):
        return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in _RASTER_FORMATS:
                return None
            if img.width * img.height > MAX_PIXELS or min(img.size) < 1:
                return None
            img.seek(0)
            return img.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError, EOFError):
        return None


def fit_square(img: Image.Image | None, size: int, initial: str, colour: str) -> Image.Image:
    """The badge scaled into a transparent ``size`` square, or a lettered disc placeholder."""
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    if img is not None:
        scaled = img.copy()
        scaled.thumbnail((size, size), Image.Resampling.LANCZOS)
        canvas.alpha_composite(scaled, ((size - scaled.width) // 2, (size - scaled.height) // 2))
        return canvas
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((0, 0, size - 1, size - 1), fill=hex_rgba(colour))
    letter = (clean_text(initial)[:1] or "?").upper()
    face = font(int(size * 0.45), "bold")
    draw.text((size / 2, size / 2), letter, font=face, fill=(255, 255, 255, 255), anchor="mm")
    return canvas


#: zlib level 1: about 5x faster to encode than 9 for these flat-colour cards, files about a
#: third larger. Cohort builds render thousands of cards, so encoding speed matters most.
PNG_COMPRESS_LEVEL = 1


def png_bytes(img: Image.Image) -> bytes:
    """Deterministic PNG: fresh pixels only, no text chunks, fixed compression.

    An image with no transparency is written as RGB (a quarter fewer bytes to encode).
    """
    if img.mode == "RGBA" and img.getchannel("A").getextrema()[0] == 255:
        img = img.convert("RGB")
    if img.info:   # metadata (ICC profile, text) never travels: copy the pixels alone
        clean = Image.new(img.mode, img.size)
        clean.paste(img)
        img = clean
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False, compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


#: Baseline JPEG at quality 85 with the usual 4:2:0 colour subsampling: a third faster to
#: encode and a fifth smaller than 4:4:4, and social platforms re-encode to 4:2:0 anyway.
JPEG_QUALITY = 85


def jpeg_bytes(img: Image.Image) -> bytes:
    """Deterministic baseline JPEG of an opaque image: fixed quality and tables, 4:2:0, no
    EXIF, ICC profile, XMP or comment (only the JFIF header). Refuses transparency."""
    if img.mode not in ("RGB", "L"):
        opaque = (not img.has_transparency_data
                  or img.convert("RGBA").getchannel("A").getextrema()[0] == 255)
        if not opaque:
            raise ValueError("JPEG cannot keep transparency; flatten the image first")
        img = img.convert("RGB")
    out = io.BytesIO()
    # comment=b"" stops Pillow copying a "comment" from img.info; EXIF, ICC and XMP are only
    # written when passed here, and they are not.
    img.save(out, format="JPEG", quality=JPEG_QUALITY, subsampling=2, optimize=False,
             progressive=False, comment=b"")
    return out.getvalue()


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels; the last line ends in an ellipsis when cut."""
    words = clean_text(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if face.getlength(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while face.getlength(current) > width:  # one word wider than the line: hard break
            cut = _fit(current, face, width)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = ellipsise(lines[-1] + "\u2026", face, width)
    return lines or [""]


def ellipsise(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width`` pixels."""
    text = clean_text(text)
    if face.getlength(text) <= width:
        return text
    base = text.rstrip("\u2026")
    while base and face.getlength(base.rstrip() + "\u2026") > width:
        base = base[:-1]
    return base.rstrip() + "\u2026"


def _fit(text: str, face: ImageFont.FreeTypeFont, width: float) -> int:
    cut = len(text)
    while cut > 1 and face.getlength(text[:cut]) > width:
        cut -= 1
    return cut


def draw_icon(draw: ImageDraw.ImageDraw, icon: Icon, box: tuple[float, float, float],
              colour: str) -> None:
    """A state icon (disc + white glyph) at centre ``(x, y)`` with radius ``r``."""
    x, y, r = box
    white = (255, 255, 255, 255)
    draw.ellipse((x - r, y - r, x + r, y + r), fill=hex_rgba(colour))
    w = max(2, round(r * 0.28))
    if icon is Icon.CHECK:
        draw.line([(x - r * 0.5, y + r * 0.02), (x - r * 0.12, y + r * 0.42),
                   (x + r * 0.52, y - r * 0.38)], fill=white, width=w, joint="curve")
    elif icon is Icon.CROSS:
        k = r * 0.42
        draw.line([(x - k, y - k), (x + k, y + k)], fill=white, width=w)
        draw.line([(x - k, y + k), (x + k, y - k)], fill=white, width=w)
    elif icon is Icon.CLOCK:
        k = r * 0.62
        draw.ellipse((x - k, y - k, x + k, y + k), outline=white, width=max(1, w // 2 + 1))
        draw.line([(x, y - k * 0.7), (x, y), (x + k * 0.55, y + k * 0.3)], fill=white,
                  width=max(1, w // 2 + 1))
    else:
        face = font(max(8, math.floor(r * 1.4)), "bold")
        draw.text((x, y), "?", font=face, fill=white, anchor="mm")
