"""Strict JSON for signed data: one meaning per byte string, bounded work.

Rejects what would make two readers disagree about a signed document (duplicate
keys, NaN/Infinity, a byte-order mark in the middle, invalid UTF-8) and what
would make parsing expensive (size, nesting depth). Depth is measured by a
linear pre-scan *before* ``json.loads`` recurses (the Open Badges verification rules: security
items).
"""

from __future__ import annotations

import json
import re
from typing import Any

from portfolio_gen.errors import BadInput, PortfolioGenError

MAX_JSON_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

_BOM = b"\xef\xbb\xbf"
# A string (possibly unterminated: the closing quote is optional so the scan never backtracks).
_STRING = re.compile(rb'"(?:[^"\\]+|\\.)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
# Strict UTF-8 cannot hold surrogates, so they can only come from \u escapes.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_AS_PARENS = bytes.maketrans(b"[]{}", b"()()")


class _Duplicate(PortfolioGenError):
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


# -- byte spans of members, so a part of a signed file is handed on as it was written ------------

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def _members(text: str, i: int) -> list[tuple[str, int, int]]:
    """``(key, start, end)`` of each member of the object starting at ``text[i] == '{'``."""
    out: list[tuple[str, int, int]] = []
    i = _skip(text, i + 1)
    if text[i] == "}":
        return out
    while True:
        key, i = _DECODER.raw_decode(text, i)
        i = _skip(text, _skip(text, i) + 1)  # past ':'
        _, end = _DECODER.raw_decode(text, i)
        out.append((key, i, end))
        i = _skip(text, end)
        if text[i] != ",":
            return out
        i = _skip(text, i + 1)


def _elements(text: str, i: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each element of the array starting at ``text[i] == '['``."""
    out: list[tuple[int, int]] = []
    i = _skip(text, i + 1)
    if text[i] == "]":
        return out
    while True:
        _, end = _DECODER.raw_decode(text, i)
        out.append((i, end))
        i = _skip(text, end)
        if text[i] != ",":
            return out
        i = _skip(text, i + 1)


def value_spans(data: bytes, path: tuple[str, ...]) -> list[bytes]:
    """The exact bytes of the value at ``path`` in a JSON object (each element if an array).

    ``data`` must already have passed :func:`parse_json_object` (so keys are unique
    and the text is valid UTF-8). Returns ``[]`` when the path is absent. Slices of
    the decoded text re-encode to the very bytes of the file: UTF-8 decoding is exact.
    """
    text = strip_bom(data).decode("utf-8")
    i = _skip(text, 0)
    for depth, name in enumerate(path):
        if text[i] != "{":
            return []
        found = next(((s, e) for key, s, e in _members(text, i) if key == name), None)
        if found is None:
            return []
        i = found[0]
        if depth == len(path) - 1:
            if text[i] == "[":
                return [text[s:e].encode("utf-8") for s, e in _elements(text, i)]
            return [text[found[0]:found[1]].encode("utf-8")]
    return []
