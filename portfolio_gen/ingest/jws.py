"""Compact JWS parsing that keeps the signed bytes exactly as found.

The signing input is the ASCII of ``header_b64.payload_b64`` from the text itself,
never rebuilt from decoded parts (the Open Badges verification rules: Open Badges 2.0
§SignedBadge, Open Badges 3.0 §JSON Web Token Proof Format). Extensions we do not implement
(``crit``, unencoded ``b64: false`` payloads) are refused here, so no verifier can accidentally
check a signature over the wrong bytes.
"""

from __future__ import annotations

import re

from portfolio_gen.encoding import b64url_decode
from portfolio_gen.errors import BadInput
from portfolio_gen.ingest.jsontext import parse_json_object
from portfolio_gen.ingest.raw import CompactJws

_SEGMENT = rb"[A-Za-z0-9_-]"
COMPACT_JWS = re.compile(rb"\A(" + _SEGMENT + rb"+)\.(" + _SEGMENT + rb"+)\.(" + _SEGMENT
                         + rb"*)\Z")


def looks_like_jws(text: bytes) -> bool:
    """Three base64url segments separated by dots, ignoring surrounding whitespace."""
    return COMPACT_JWS.match(text.strip()) is not None


def parse_compact_jws(text: bytes) -> CompactJws:
    """Split and decode a compact JWS; raise :class:`BadInput` naming what is wrong."""
    stripped = text.strip()
    match = COMPACT_JWS.match(stripped)
    if match is None:
        raise BadInput("jws_malformed", "The text is not a compact JWS (three base64url "
                       "segments separated by dots).")
    header_b64, payload_b64, sig_b64 = match.groups()
    try:
        header_bytes = b64url_decode(header_b64)
        payload = b64url_decode(payload_b64)
        signature = b64url_decode(sig_b64)
    except ValueError:
        raise BadInput("jws_malformed", "A JWS segment is not valid base64url.") from None
    header = parse_json_object(header_bytes, "JWS header")
    _check_header(header)
    return CompactJws(header=header, payload=payload, signature=signature,
                      signing_input=header_b64 + b"." + payload_b64,
                      text=stripped.decode("ascii"))


def _check_header(header: dict[str, object]) -> None:
    if "crit" in header:
        raise BadInput("jws_crit_unsupported", "The JWS header lists critical extensions "
                       f"({header['crit']!r}) that this tool does not implement.",
                       unsupported=True)
    if "b64" in header:
        if header["b64"] is False:
            raise BadInput("jws_unencoded_payload", "The JWS uses an unencoded payload "
                           "(b64: false), which is not supported.", unsupported=True)
        if header["b64"] is not True:
            raise BadInput("jws_malformed", "The JWS header parameter b64 is not a boolean.")
