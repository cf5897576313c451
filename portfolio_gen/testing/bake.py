"""Baking credentials into PNG and SVG images, for tests, samples and benchmarks.

Follows the Open Badges Baking Specification: one uncompressed ``iTXt`` chunk
right after ``IHDR`` (keyword ``openbadges`` or ``openbadgecredential``), or one
namespaced element directly after ``<svg>`` with ``verify=`` or a CDATA body.
The low-level chunk helpers exist so tests can build hostile PNGs as easily as
good ones.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from xml.sax.saxutils import escape, quoteattr

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB2_SVG_NS = "http://openbadges.org"
OB3_SVG_NS = "https://purl.imsglobal.org/ob/v3p0"
_SVG_START = re.compile(r"<svg\b[^>]*>")


def png_chunk(ctype: bytes, data: bytes) -> bytes:
    """One PNG chunk with its length and a correct CRC."""
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def itxt_chunk(keyword: str, text: str, *, compressed: bool = False) -> bytes:
    """An iTXt chunk; ``compressed=True`` makes the zlib-compressed form the spec forbids."""
    body = text.encode("utf-8")
    if compressed:
        body = zlib.compress(body)
    head = keyword.encode("latin-1") + b"\0" + (b"\1\0" if compressed else b"\0\0") + b"\0\0"
    return png_chunk(b"iTXt", head + body)


def insert_after_ihdr(image_png: bytes, *chunks: bytes) -> bytes:
    """``image_png`` with ``chunks`` inserted right after its IHDR chunk."""
    if not image_png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image")
    (length,) = struct.unpack(">I", image_png[8:12])
    if image_png[12:16] != b"IHDR":
        raise ValueError("PNG does not start with IHDR")
    cut = 8 + 12 + length
    return image_png[:cut] + b"".join(chunks) + image_png[cut:]


def bake_png(image_png: bytes, text: str, keyword: str = "openbadges") -> bytes:
    """Bake ``text`` (credential JSON or a compact JWS) as an uncompressed iTXt chunk."""
    return insert_after_ihdr(image_png, itxt_chunk(keyword, text))


def make_png(width: int = 64, height: int = 64,
             rgb: tuple[int, int, int] = (51, 102, 204)) -> bytes:
    """A small solid-colour PNG with no text chunks."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), rgb).save(buffer, format="PNG")
    return buffer.getvalue()


def make_svg(width: int = 64, height: int = 64, fill: str = "#3366cc",
             title: str = "Badge") -> str:
    """A small valid SVG: a filled circle with a title."""
    radius = min(width, height) // 2
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
            f'<circle cx="{width // 2}" cy="{height // 2}" r="{radius}" '
            f'fill={quoteattr(fill)}/></svg>')


def bake_svg(svg_text: str | None, *, credential_json: str | None = None,
             jws: str | None = None, url: str | None = None, ob3: bool) -> str:
    """Insert the badge element directly after the ``<svg>`` start tag.

    OB 3.0 takes ``jws`` (in ``verify=``) or ``credential_json`` (CDATA body). OB 2.0
    takes ``jws``, ``url`` alone, or ``url`` with ``credential_json``.
    """
    if jws is not None and (credential_json is not None or url is not None):
        raise ValueError("a JWS is baked alone, without JSON or a URL")
    if jws is None and credential_json is None and url is None:
        raise ValueError("give jws, credential_json or url")
    if ob3 and url is not None:
        raise ValueError("OB 3.0 baked SVGs carry a JWS or JSON, not a hosted URL")
    namespace, name = (OB3_SVG_NS, "credential") if ob3 else (OB2_SVG_NS, "assertion")
    verify = jws if jws is not None else url
    attrs = f' xmlns:openbadges="{namespace}"'
    if verify is not None:
        attrs += f" verify={quoteattr(verify)}"
    body = ""
    if credential_json is not None:
        body = "<![CDATA[" + credential_json.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    element = f"<openbadges:{name}{attrs}>{body}</openbadges:{name}>"
    svg = make_svg() if svg_text is None else svg_text
    match = _SVG_START.search(svg)
    if match is None:
        raise ValueError("no <svg> start tag found")
    if match.group(0).endswith("/>"):
        raise ValueError("the <svg> element is empty-tagged; give an SVG with content")
    return svg[:match.end()] + element + svg[match.end():]
