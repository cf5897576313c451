"""Strict base64url helpers shared by ingestion (JWS parsing) and verification."""

from __future__ import annotations

import base64

_B64URL_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def b64url_decode(text: str | bytes) -> bytes:
    """Base64url without padding, strictly (no whitespace, padding or standard alphabet)."""
    raw = text.encode("ascii") if isinstance(text, str) else text
    if raw.translate(None, _B64URL_ALPHABET):
        raise ValueError("not base64url")
    if len(raw) % 4 == 1:
        raise ValueError("base64url text has an impossible length")
    return base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
