"""Images from credentials, made local: decoded data URIs get a content-hash file name.

Remote image URLs are never fetched or linked as ``<img>``, so the site makes no outside
requests; SVG is only ever used through ``<img>``, where its scripts cannot run.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

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
    digest = hashlib.sha256(content).hexdigest()[:16]
    return ImageFile(f"{digest}.{_EXT[kind.lower()]}", content)


def is_image_file(data: bytes) -> bool:
    """A baked badge is itself the image: PNG signature or an SVG document."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower()
