"""The fonts the theme ships (DejaVu Sans, see ``themes/portfolio/fonts/SOURCE.md``).

Shipping them makes card and OG images byte-identical on every machine and avoids the
"needs Cairo / system fonts" failures peers' card plugins have.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import ImageFont

from portfolio_gen import theme

_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


@lru_cache(maxsize=2)
def font_bytes(weight: str = "regular") -> bytes:
    return theme.read(theme.FONTS, _FILES[weight])


@lru_cache(maxsize=64)
def font(size: int, weight: str = "regular") -> ImageFont.FreeTypeFont:
    """A FreeType font at ``size`` pixels; basic layout so output never depends on raqm."""
    return ImageFont.truetype(io.BytesIO(font_bytes(weight)), size,
                              layout_engine=ImageFont.Layout.BASIC)
