"""Well-formedness of IRIs (RFC 3987) and language tags (RFC 5646), without a network.

Why: JSON-LD processors (pyld, jsonld.js) only test IRIs against a loose pattern
(a scheme, then no whitespace) and silently drop triples whose subject, predicate
or object fails it; N-Quads writers then copy IRIs and language tags into the
hashed text unescaped. The data-loss check (the Open Badges verification rules: security item 15)
therefore insists that every identifier and language tag in a signed document is exactly
well-formed, so nothing is dropped and nothing can smuggle N-Quads syntax.
"""

from __future__ import annotations

import re
from functools import lru_cache

_UCSCHAR = ("\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
            "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
            "\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
            "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd"
            "\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
            "\U000d0000-\U000dfffd\U000e1000-\U000efffd")
_IPRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED = f"A-Za-z0-9\\-._~{_UCSCHAR}"
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_PCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SEGMENT = f"{_PCHAR}*"
_SEGMENT_NZ = f"{_PCHAR}+"
_USERINFO = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*"
_REG_NAME = f"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*"
_IP_LITERAL = (r"\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~" + _SUB_DELIMS + r":]+)\]")
_HOST = f"(?:{_IP_LITERAL}|{_REG_NAME})"
_AUTHORITY = f"(?:{_USERINFO}@)?{_HOST}(?::[0-9]*)?"
_HIER = (f"(?://{_AUTHORITY}(?:/{_SEGMENT})*"
         f"|/(?:{_SEGMENT_NZ}(?:/{_SEGMENT})*)?"
         f"|{_SEGMENT_NZ}(?:/{_SEGMENT})*"
         f"|)")
_QUERY = f"(?:{_PCHAR}|[{_IPRIVATE}/?])*"
_FRAGMENT = f"(?:{_PCHAR}|[/?])*"
_IRI = re.compile(f"[A-Za-z][A-Za-z0-9+.\\-]*:{_HIER}(?:\\?{_QUERY})?(?:#{_FRAGMENT})?")

#: N-Quads BLANK_NODE_LABEL (PN_CHARS_U | digit) then PN_CHARS or '.', not ending in '.'.
_PN_CHARS_U = ("A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
               "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
               "\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS = f"{_PN_CHARS_U}\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_BLANK = re.compile(f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?")

_GRANDFATHERED = frozenset(t.lower() for t in (
    "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
    "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL",
    "sgn-CH-DE", "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka",
    "zh-min", "zh-min-nan", "zh-xiang"))
_LANGTAG = re.compile(
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"   # language (+ extlang)
    r"(?:-[A-Za-z]{4})?"                                       # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"                          # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"          # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"           # extensions
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?"                        # private use
    r"|[xX](?:-[A-Za-z0-9]{1,8})+")


_SPACE = re.compile(r"\s")


@lru_cache(maxsize=4096)
def is_absolute_iri(value: str) -> bool:
    """True for an absolute IRI (RFC 3987 ``IRI``: scheme, hierarchy, query, fragment).

    Also refuses Unicode whitespace RFC 3987 lets through as ``ucschar`` (U+00A0,
    U+2028, U+3000…): pyld drops any IRI containing what Python calls whitespace.
    """
    return _IRI.fullmatch(value) is not None and _SPACE.search(value) is None


def is_blank_node(value: str) -> bool:
    """True for a blank node identifier as N-Quads writes it (``_:label``)."""
    return _BLANK.fullmatch(value) is not None


def is_language_tag(value: str) -> bool:
    """True for a well-formed BCP 47 language tag (RFC 5646 §2.1, grandfathered included)."""
    return _LANGTAG.fullmatch(value) is not None or value.lower() in _GRANDFATHERED
