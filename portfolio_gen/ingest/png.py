"""Baked PNG: find the badge text chunk without trusting the file (the Open Badges verification
rules: Open Badges Baking Specification; security item 8).

Every chunk's length and CRC are checked and sizes are capped before anything is
sliced out. Only an *uncompressed* ``iTXt`` with the exact keyword counts
(``openbadgecredential`` for OB 3.0, then ``openbadges`` for OB 2.0); compressed
``iTXt`` and ``zTXt`` are never decompressed (decompression bombs). A repeated
badge keyword is an error: two readers could pick different credentials.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from portfolio_gen.errors import BadInput
from portfolio_gen.ingest.classify import credential_from_text
from portfolio_gen.ingest.raw import Container, RawCredential

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHUNK = 4 * 1024 * 1024
MAX_CHUNKS = 100_000
_MAX_CHUNK_LENGTH = 2**31 - 1  # PNG spec §5.3
OB3_KEYWORD = b"openbadgecredential"
OB2_KEYWORD = b"openbadges"
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")


@dataclass
class _Found:
    """Badge text by keyword, plus keywords seen only in forms we refuse to read."""

    itxt: dict[bytes, bytes] = field(default_factory=dict)
    text: dict[bytes, bytes] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)


def iter_chunks(data: bytes) -> Iterator[tuple[bytes, memoryview]]:
    """Chunks up to IEND as ``(type, data)``, each length and CRC checked before it is yielded."""
    if not data.startswith(PNG_SIGNATURE):
        raise BadInput("png_malformed", "The file does not start with the PNG signature.")
    view = memoryview(data)
    pos = len(PNG_SIGNATURE)
    for index in range(MAX_CHUNKS):
        if pos + 8 > len(data):
            raise BadInput("png_truncated", "The PNG ends before its IEND chunk (truncated).")
        length, ctype = struct.unpack_from(">I4s", data, pos)
        name = ctype.decode("latin-1")
        if length > _MAX_CHUNK_LENGTH or not ctype.isalpha():
            raise BadInput("png_malformed", f"PNG chunk {name!r} at byte {pos} has an invalid "
                           "length or type.")
        if ctype in _TEXT_CHUNKS and length > MAX_TEXT_CHUNK:
            raise BadInput("too_large", f"PNG text chunk {name} is {length} bytes; at most "
                           f"{MAX_TEXT_CHUNK} are accepted.")
        end = pos + 12 + length
        if end > len(data):
            raise BadInput("png_truncated", f"PNG chunk {name} at byte {pos} claims {length} "
                           "bytes but the file ends first (truncated).")
        body = view[pos + 8:end - 4]
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(body, zlib.crc32(ctype)) != crc:
            raise BadInput("png_bad_crc", f"PNG chunk {name} at byte {pos} fails its CRC check "
                           "(the file is corrupt).")
        if index == 0 and ctype != b"IHDR":
            raise BadInput("png_malformed", "The PNG does not start with an IHDR chunk.")
        yield ctype, body
        if ctype == b"IEND":
            return
        pos = end
    raise BadInput("png_malformed", f"The PNG has more than {MAX_CHUNKS} chunks.")


def without_text_chunks(data: bytes) -> bytes:
    """The PNG with its text chunks (where badges are baked) left out: the same image for
    every holder of a badge. Anything that does not parse is returned unchanged."""
    out = [PNG_SIGNATURE]
    pos = len(PNG_SIGNATURE)
    try:
        for ctype, body in iter_chunks(data):
            end = pos + 12 + len(body)
            if ctype not in _TEXT_CHUNKS:
                out.append(data[pos:end])
            pos = end
    except BadInput:
        return data
    return b"".join(out)


def _record(found: dict[bytes, bytes], keyword: bytes, text: bytes, chunk: str) -> None:
    if keyword in found:
        raise BadInput("duplicate", f"The PNG has more than one {chunk} chunk with keyword "
                       f"{keyword.decode()!r}; the baking rules allow exactly one.")
    found[keyword] = text


def _scan(chunks: Iterator[tuple[bytes, memoryview]]) -> _Found:
    found = _Found()
    for ctype, view in chunks:
        if ctype not in _TEXT_CHUNKS:
            continue
        keyword, sep, rest = bytes(view).partition(b"\0")
        if not sep or keyword not in (OB3_KEYWORD, OB2_KEYWORD):
            continue
        if ctype == b"zTXt":
            found.refused.append(f"a compressed zTXt chunk {keyword.decode()!r}")
        elif ctype == b"tEXt":
            _record(found.text, keyword, rest, "tEXt")
        elif rest[:1] != b"\0":
            found.refused.append(f"a compressed iTXt chunk {keyword.decode()!r}")
        else:
            _record(found.itxt, keyword, _itxt_text(rest), "iTXt")
    return found


def _itxt_text(rest: bytes) -> bytes:
    """Text of an uncompressed iTXt after the keyword: flag, method, language\\0, keyword\\0."""
    parts = rest[2:].split(b"\0", 2)
    if len(parts) != 3:
        raise BadInput("png_malformed", "A badge iTXt chunk is missing its language or "
                       "translated-keyword fields.")
    return parts[2]


def read_png(data: bytes, source: str) -> RawCredential:
    """The credential baked into a PNG, or :class:`BadInput` saying why there is none."""
    if len(data) > MAX_PNG_BYTES:
        raise BadInput("too_large", f"The PNG is {len(data)} bytes; at most {MAX_PNG_BYTES} "
                       "are accepted.")
    found = _scan(iter_chunks(data))
    for keyword in (OB3_KEYWORD, OB2_KEYWORD):
        if keyword in found.itxt:
            return credential_from_text(found.itxt[keyword], source=source,
                                        container=Container.PNG, file_bytes=data,
                                        what=f"PNG iTXt chunk {keyword.decode()!r}")
    if OB2_KEYWORD in found.text:  # legacy pre-spec baking: a hosted URL (or JSON) in tEXt
        return credential_from_text(found.text[OB2_KEYWORD], source=source,
                                    container=Container.PNG, file_bytes=data,
                                    what="PNG tEXt chunk 'openbadges'")
    if found.refused:
        raise BadInput("png_compressed_badge", f"The PNG carries its badge only in "
                       f"{found.refused[0]}; baked badges must not be compressed, so it was "
                       "not read.", unsupported=True)
    raise BadInput("no_badge", "The PNG is an image without a baked badge (no 'openbadges' "
                   "or 'openbadgecredential' text chunk).", unsupported=True)
