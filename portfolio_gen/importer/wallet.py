"""Splitting a wallet export into one file per credential, keeping each credential's bytes.

Wallets hand learners sets, not badges (import.md §6, §8 E): the Learner Credential
Wallet's "Send a credential" file is an unsigned Verifiable Presentation; a VerifierPlus
public link's JSON wraps a signed one; a wallet backup (``UniversalWallet2020``) mixes
credentials with private keys. Each credential is cut out of the original text at its
exact byte span (never re-serialised, so its proof still checks); a VC-JWT inside a
presentation is kept as its compact JWS text. A backup is flagged so the caller can warn
that the file itself must never be published.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

_DECODER = json.JSONDecoder()
_WS = " \t\r\n"
_BOM = "\ufeff"
_VC_TYPES = frozenset({"VerifiableCredential", "OpenBadgeCredential", "AchievementCredential",
                       "ClrCredential", "EndorsementCredential"})
_ENVELOPED_JWT = ("data:application/vc+jwt,", "data:application/vc+ld+json+jwt,",
                  "data:application/jwt,")


@dataclass(frozen=True)
class Part:
    """One credential cut out of a wallet export: its exact bytes and a file extension."""

    data: bytes
    suffix: str          # ".json" or ".jwt"


@dataclass(frozen=True)
class WalletSplit:
    """What a wallet export held. ``backup`` is set for key-bearing wallet backups."""

    kind: str            # "presentation", "verifierplus", "list", "backup"
    parts: tuple[Part, ...]
    backup: bool = False


class _Node:
    """A parsed JSON value with its exact span in the text."""

    def __init__(self, value: Any, start: int, end: int,
                 children: dict[str, _Node] | list[_Node] | None) -> None:
        self.value = value
        self.start = start
        self.end = end
        self.children = children


def split_wallet(data: bytes) -> WalletSplit | None:
    """The credentials of a wallet export, or ``None`` when ``data`` is not one.

    Recognised: a ``VerifiablePresentation`` (``verifiableCredential`` single or list),
    a VerifierPlus envelope (``credential`` list beside ``vp``), a JSON array of
    credentials, and a ``UniversalWallet2020`` backup (only its credentials).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.lstrip(_WS + _BOM)
    if text[:1] not in ("{", "["):
        return None
    try:
        root = _parse(text, 0, depth=0)
    except (ValueError, RecursionError):
        return None
    if _skip_ws(text, root.end) != len(text):
        return None
    return _classify(text, root)


def _classify(text: str, root: _Node) -> WalletSplit | None:
    if isinstance(root.children, list):
        parts = tuple(p for node in root.children for p in _credential_parts(text, node))
        return WalletSplit("list", parts) if parts else None
    if not isinstance(root.children, dict):
        return None
    kids = root.children
    types = _types(root.value)
    if "UniversalWallet2020" in types:  # LCW backup: credentials beside private keys
        contents = kids.get("contents")
        items = contents.children if contents is not None else None
        return WalletSplit("backup", tuple(p for node in (items if isinstance(items, list) else [])
                                           for p in _credential_parts(text, node)), backup=True)
    if "VerifiablePresentation" in types and "verifiableCredential" in kids:
        return WalletSplit("presentation", tuple(_members(text, kids["verifiableCredential"])))
    if "credential" in kids and "vp" in kids:  # VerifierPlus /api/credentials/<id>
        vp = kids["vp"]
        inner = vp.children.get("verifiableCredential") if isinstance(vp.children, dict) else None
        source = inner if inner is not None else kids["credential"]
        return WalletSplit("verifierplus", tuple(_members(text, source)))
    return None


def _members(text: str, node: _Node) -> Iterator[Part]:
    nodes = node.children if isinstance(node.children, list) else [node]
    for member in nodes:
        yield from _credential_parts(text, member)


def _credential_parts(text: str, node: _Node) -> Iterator[Part]:
    """``node`` as a credential: a VC object, a VC-JWT string or an enveloped VC-JWT."""
    value = node.value
    if isinstance(value, str):
        jwt = value.strip()
        if jwt.count(".") == 2 and jwt.isascii():
            yield Part(jwt.encode("ascii"), ".jwt")
        return
    if not isinstance(value, Mapping):
        return
    types = _types(value)
    ident = value.get("id")
    if "EnvelopedVerifiableCredential" in types and isinstance(ident, str):
        for prefix in _ENVELOPED_JWT:
            if ident.startswith(prefix):
                yield Part(ident[len(prefix):].encode("ascii", "replace"), ".jwt")
        return
    if types & _VC_TYPES or "credentialSubject" in value or (
            "Assertion" in types and "recipient" in value):
        yield Part(text[node.start:node.end].encode("utf-8"), ".json")


def _types(value: Any) -> set[str]:
    if not isinstance(value, Mapping):
        return set()
    raw = value.get("type", value.get("@type"))
    if isinstance(raw, str):
        return {raw}
    if isinstance(raw, list):
        return {t for t in raw if isinstance(t, str)}
    return set()


# -- a JSON reader that remembers where each value sits ----------------------------------------

def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _parse(text: str, pos: int, *, depth: int) -> _Node:
    """The value starting at ``pos`` (no leading space): spans for objects' and arrays' members."""
    if depth > 64:
        raise ValueError("too deep")
    char = text[pos:pos + 1]
    if char == "{":
        return _parse_object(text, pos, depth)
    if char == "[":
        return _parse_array(text, pos, depth)
    value, end = _DECODER.raw_decode(text, pos)
    return _Node(value, pos, end, None)


def _parse_object(text: str, start: int, depth: int) -> _Node:
    children: dict[str, _Node] = {}
    value: dict[str, Any] = {}
    pos = _skip_ws(text, start + 1)
    if text[pos:pos + 1] == "}":
        return _Node(value, start, pos + 1, children)
    while True:
        key, pos = _DECODER.raw_decode(text, pos)
        if not isinstance(key, str):
            raise ValueError("object key is not a string")
        pos = _skip_ws(text, pos)
        if text[pos:pos + 1] != ":":
            raise ValueError("expected ':'")
        child = _parse(text, _skip_ws(text, pos + 1), depth=depth + 1)
        if key in children:
            raise ValueError(f"duplicate key {key!r}")
        children[key] = child
        value[key] = child.value
        pos = _skip_ws(text, child.end)
        if text[pos:pos + 1] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if text[pos:pos + 1] == "}":
            return _Node(value, start, pos + 1, children)
        raise ValueError("expected ',' or '}'")


def _parse_array(text: str, start: int, depth: int) -> _Node:
    children: list[_Node] = []
    pos = _skip_ws(text, start + 1)
    if text[pos:pos + 1] == "]":
        return _Node([], start, pos + 1, children)
    while True:
        child = _parse(text, pos, depth=depth + 1)
        children.append(child)
        pos = _skip_ws(text, child.end)
        if text[pos:pos + 1] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if text[pos:pos + 1] == "]":
            return _Node([c.value for c in children], start, pos + 1, children)
        raise ValueError("expected ',' or ']'")
