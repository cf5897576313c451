"""Images from credentials, made local: decoded data URIs get a content-hash file name.

Remote image URLs are never fetched or linked as ``<img>``, so the site makes no outside
requests. An issuer's SVG is never published as it came: a visitor may open the image's own
address, where the SVG would be a document on the portfolio's origin, so only the rebuilt,
script-free copy from :mod:`portfolio_gen.render.svg_sanitize` is published (a SVG that
cannot be rebuilt is not shown).

Original badge files are offered byte for byte, but only under names a static host serves
as inert types: ``original.json`` and ``original.png``; every other kind (SVG, and any
HTML, XML or unknown file a browser might render) is ``original.bin`` (served as
``application/octet-stream``), its real name given by the link's ``download`` attribute.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote_to_bytes

from portfolio_gen.render.svg_sanitize import sanitize_svg

MAX_IMAGE_BYTES = 2 << 20
_DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)((?:;[^,;]*)*?)(;base64)?,(.*)",
                       re.IGNORECASE | re.DOTALL)
_EXT = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp", "svg+xml": "svg"}


@dataclass(frozen=True)
class ImageFile:
    name: str       # <sha256-prefix>.<ext>
    content: bytes


def image_file(value: str | None) -> ImageFile | None:
    """Decode a ``data:image/…`` URI; ``None`` for URLs, other types or broken data."""
    if not value:
        return None
    match = _DATA_URI.fullmatch(value.strip())
    if match is None:
        return None
    kind, _, is_b64, data = match.groups()
    try:
        content = (base64.b64decode(re.sub(r"\s+", "", data), validate=True) if is_b64
                   else unquote_to_bytes(data))
    except (binascii.Error, ValueError):
        return None
    if not content or len(content) > MAX_IMAGE_BYTES:
        return None
    if kind.lower() == "svg+xml":
        return svg_image(content)
    return _named(content, _EXT[kind.lower()])


#: Rebuilt SVGs by input digest: a page, its share files and classmates' pages show the same
#: badge (rebuilding a large SVG takes tens of ms); emptied past ``_SVG_MEMO_BYTES``.
_svg_memo: dict[str, ImageFile | None] = {}
_SVG_MEMO_BYTES = 32 << 20


def svg_image(data: bytes) -> ImageFile | None:
    """The script-free copy of an issuer SVG (a data URI's or a baked badge's), or ``None``."""
    if len(data) > MAX_IMAGE_BYTES:
        return None
    key = hashlib.sha256(data).hexdigest()
    if key not in _svg_memo:
        if sum(len(f.content) for f in _svg_memo.values() if f) > _SVG_MEMO_BYTES:
            _svg_memo.clear()
        clean = sanitize_svg(data)
        _svg_memo[key] = _named(clean, "svg") if clean else None
    return _svg_memo[key]


def _named(content: bytes, ext: str) -> ImageFile:
    return ImageFile(f"{hashlib.sha256(content).hexdigest()[:16]}.{ext}", content)


#: Original-file suffixes every static host serves as a type browsers never run.
_INERT_SUFFIXES = (".json", ".png")


def original_suffix(source: str) -> str:
    """The published original's suffix: its own when inert, else ``.bin``."""
    suffix = PurePosixPath(source).suffix.lower()
    return suffix if suffix in _INERT_SUFFIXES else ".bin"


def is_image_file(data: bytes) -> bool:
    """A baked badge is itself the image: PNG signature or an SVG document."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower()
