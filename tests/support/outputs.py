"""Every byte a build wrote, archives opened and encodings undone: what privacy tests search.

A ZIP (``all-credentials.zip``) or a gzip file (``sitemap.xml.gz``) hides its contents
from a plain text search, and so does base64: a compact JWS original (OB 2.0 signed,
VC-JWT) and the original embedded in a credential page (``"data": "<base64>"``). Each is
opened or decoded and searched too.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path


def output_blobs(paths: Iterable[Path]) -> Iterator[tuple[str, bytes]]:
    """``(name, bytes)`` of every file under ``paths`` and of every member inside a ZIP or
    gzip file (``name`` is ``file!member``)."""
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            yield from _blobs(str(path), path.read_bytes())


_JWS = re.compile(rb"[A-Za-z0-9_-]{10,}\.([A-Za-z0-9_-]{10,})\.[A-Za-z0-9_-]*")
_BASE64 = re.compile(rb"[A-Za-z0-9+/]{40,}={0,2}")


def _decoded(data: bytes) -> Iterator[bytes]:
    for match in _JWS.finditer(data):
        with_pad = match.group(1) + b"=" * (-len(match.group(1)) % 4)
        try:
            yield base64.urlsafe_b64decode(with_pad)
        except (binascii.Error, ValueError):
            continue
    for match in _BASE64.finditer(data):
        run = match.group(0)
        try:
            yield base64.b64decode(run + b"=" * (-len(run) % 4))
        except (binascii.Error, ValueError):
            continue


def _blobs(name: str, data: bytes, depth: int = 0) -> Iterator[tuple[str, bytes]]:
    yield name, data
    if depth < 3:
        for i, inner in enumerate(_decoded(data)):
            yield from _blobs(f"{name}!base64[{i}]", inner, depth + 1)
    if data[:2] == b"\x1f\x8b":
        yield from _blobs(f"{name}!gunzip", gzip.decompress(data), depth)
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from _blobs(f"{name}!{member}", archive.read(member), depth)


def find_in_outputs(paths: Iterable[Path], needles: Iterable[str]) -> dict[str, list[str]]:
    """needle → names of the outputs that contain it (case-insensitive)."""
    wanted = {n: n.casefold().encode("utf-8") for n in needles}
    hits: dict[str, list[str]] = {}
    for name, data in output_blobs(list(paths)):
        folded = data.decode("utf-8", errors="replace").casefold().encode("utf-8")
        for needle, key in wanted.items():
            if key in folded:
                hits.setdefault(needle, []).append(name)
    return hits
