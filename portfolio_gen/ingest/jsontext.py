"""Strict JSON for signed data: one meaning per byte string, bounded work.

Rejects what would make two readers disagree about a signed document (duplicate
keys, NaN/Infinity, a byte-order mark in the middle, invalid UTF-8) and what
would make parsing expensive (size, nesting depth). Depth is measured by a
linear pre-scan *before* ``json.loads`` recurses (verification.md §7).
"""

from __future__ import annotations

import json
import re
from typing import Any

from portfolio_gen.ingest._problem import BadInput

MAX_JSON_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

_BOM = b"\xef\xbb\xbf"
# A string (possibly unterminated: the closing quote is optional so the scan never backtracks).
_STRING = re.compile(rb'"(?:[^"\\]+|\\.)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
# Strict UTF-8 cannot hold surrogates, so they can only come from \u escapes.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_AS_PARENS = bytes.maketrans(b"[]{}", b"()()")


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def strip_bom(data: bytes) -> bytes:
    """UTF-8 text with an optional leading byte-order mark, which JSON readers tolerate."""
    return data[len(_BOM):] if data.startswith(_BOM) else data


def nesting_depth(data: bytes) -> int:
    """Deepest bracket nesting outside strings, found in one linear pass without recursion.

    Stops counting just past :data:`MAX_DEPTH`; unbalanced brackets are left for
    ``json.loads`` to report.
    """
    parens = _STRING.sub(b"", data).translate(_AS_PARENS, _NOT_BRACKETS)
    depth = deepest = 0
    for byte in parens:
        if byte == 0x28:  # "("
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
        else:
            depth -= 1
    return deepest


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _Duplicate(key)
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(data: bytes, what: str = "JSON", *,
                      max_bytes: int = MAX_JSON_BYTES) -> dict[str, Any]:
    """Parse ``data`` (UTF-8, optional BOM) as one JSON object or raise :class:`BadInput`.

    ``max_bytes`` lets a caller whose fetch cap is larger (status lists) keep that cap.
    """
    if len(data) > max_bytes:
        raise BadInput("too_large", f"The {what} is {len(data)} bytes; at most "
                       f"{max_bytes} are accepted.")
    body = strip_bom(data)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput("not_utf8", f"The {what} is not valid UTF-8 (byte {exc.start}).") from None
    if nesting_depth(body) > MAX_DEPTH:
        raise BadInput("json_too_deep", f"The {what} nests deeper than {MAX_DEPTH} levels.")
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except _Duplicate as exc:
        raise BadInput("json_duplicate_key", f"The {what} has the key {exc.key!r} more than "
                       "once, so its meaning is ambiguous.") from None
    except RecursionError:
        raise BadInput("json_too_deep", f"The {what} nests too deeply to read.") from None
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, over-long integers
        raise BadInput("json_malformed", f"The {what} is not valid JSON ({_short(exc)}).") from None
    if not isinstance(value, dict):
        raise BadInput("json_not_object", f"The {what} is a JSON {type(value).__name__}, "
                       "not an object.")
    if _SURROGATE_ESCAPE.search(body) and _has_lone_surrogate(value):
        raise BadInput("json_bad_unicode", f"The {what} has a \\u escape for half a "
                       "surrogate pair, which is not a character.")
    return value


def _has_lone_surrogate(value: object) -> bool:
    """True if any key or string holds an unpaired UTF-16 surrogate (not encodable as UTF-8)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            items: list[object] = [item]
        elif isinstance(item, dict):
            stack.extend(item.values())
            items = list(item.keys())
        elif isinstance(item, list):
            stack.extend(item)
            continue
        else:
            continue
        for text in items:
            try:
                str(text).encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def _short(exc: ValueError) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:117] + "..."
