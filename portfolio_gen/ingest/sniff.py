"""Recognising a container from the first bytes, whatever the file is called.

Extensions lie (a JSON credential saved as ``.png``, a JWS saved as ``.json``), so
the decision is made on content (the Open Badges verification rules: Open Badges Baking
Specification). The extension only decides how loudly a directory walk complains about a file that
turns out not to be a badge.
"""

from __future__ import annotations

import re
from enum import StrEnum

from portfolio_gen.ingest.png import PNG_SIGNATURE

HEAD_BYTES = 4096

#: Extensions whose files are expected to hold a credential; anything else found by a
#: directory walk is skipped quietly when it turns out not to be one.
CREDENTIAL_SUFFIXES = frozenset({".json", ".jsonld", ".json-ld", ".jws", ".jwt", ".1ob",
                                 ".png", ".svg"})

_SVG_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]")
_BOM = b"\xef\xbb\xbf"


class Sniffed(StrEnum):
    PNG = "png"
    SVG = "svg"
    JSON = "json"
    TEXT = "text"      # may be a compact JWS, a hosted URL or an internet shortcut
    BINARY = "binary"  # nothing this tool reads


def sniff(head: bytes, suffix: str) -> Sniffed:
    """Classify the container from up to :data:`HEAD_BYTES` leading bytes."""
    if head.startswith(PNG_SIGNATURE):
        return Sniffed.PNG
    text = head[len(_BOM):] if head.startswith(_BOM) else head
    text = text.lstrip()
    if text.startswith(b"<"):
        if suffix == ".svg" or _SVG_TAG.search(text):
            return Sniffed.SVG
        return Sniffed.BINARY
    if text[:1] in (b"{", b"["):
        return Sniffed.JSON
    if text and b"\0" not in head and 0x21 <= text[0] <= 0x7E:
        return Sniffed.TEXT
    return Sniffed.BINARY
