"""The raw credential handed from ingestion to verification.

Ingestion never re-serialises anything: ``payload`` holds the exact bytes found
(the JSON text, the compact JWS, the text of a baked chunk), and ``document``
the parsed JSON where there is one. For a compact JWS, ``jws`` keeps the
signing input so a signature is checked over the bytes that were signed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Container(StrEnum):
    """Where the credential was found."""

    JSON = "json"
    JWS = "jws"        # a compact JWS/JWT text file
    PNG = "png"        # baked PNG
    SVG = "svg"        # baked SVG
    URL = "url"        # only a hosted URL was found (legacy tEXt, SVG verify= URL)


class Kind(StrEnum):
    """What the content is, decided from the content itself."""

    OB2_ASSERTION = "ob2"          # OB 1.x/2.0 assertion JSON (hosted or embedded)
    OB2_SIGNED = "ob2-jws"         # OB 2.0 signed assertion (compact JWS)
    OB2_HOSTED_URL = "ob2-url"     # only a hosted assertion URL
    OB3_CREDENTIAL = "ob3"         # OB 3.0 / CLR 2.0 / endorsement VC JSON (embedded proof or none)
    OB3_JWT = "ob3-jwt"            # OB 3.0 / CLR 2.0 VC-JWT
    PRESENTATION = "vp"            # a Verifiable Presentation: expanded into its credentials
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CompactJws:
    """A parsed compact JWS; ``signing_input`` is ``header_b64 + '.' + payload_b64`` bytes."""

    header: Mapping[str, Any]
    payload: bytes
    signature: bytes
    signing_input: bytes
    text: str


@dataclass(frozen=True)
class PresentationRef:
    """The Verifiable Presentation a credential was found in (a wallet export).

    ``document`` is the presentation as parsed from the file's bytes, so its own
    proof (the holder's) can be verified; ``index`` is the credential's place in
    ``verifiableCredential`` and ``count`` how many it holds. ``payload`` is the
    presentation's bytes as found (cache keys cover the holder's proof through it).
    """

    source: str
    index: int
    count: int
    document: Mapping[str, Any]
    payload: bytes = b""


@dataclass(frozen=True)
class RawCredential:
    """One credential found in one file.

    ``source`` is the path as the user gave it (or as found inside a given
    directory). ``file_bytes`` is the whole file, byte for byte, for downloads.
    """

    source: str
    container: Container
    kind: Kind
    payload: bytes
    document: Mapping[str, Any] | None = None
    jws: CompactJws | None = None
    url: str | None = None
    file_bytes: bytes = b""
    presentation: PresentationRef | None = None


@dataclass(frozen=True)
class IngestProblem:
    """A file that could not be read as a badge; becomes an ``invalid``/``unsupported`` report."""

    source: str
    code: str
    reason: str
    container: str = "unknown"
    unsupported: bool = False
