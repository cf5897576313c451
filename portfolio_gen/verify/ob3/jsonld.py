"""JSON-LD for OB 3.0 / CLR 2.0: bundled contexts, canonicalization, data-loss check.

API (stub; real code follows):
    ContextError(url, reason)
    canonicalize(document) -> str            URDNA2015 N-Quads, bundled contexts only
    find_dropped_terms(document) -> list[str]
    context_variant_for(document) -> str | None
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portfolio_gen.errors import PortfolioGenError


class ContextError(PortfolioGenError):
    """A context is unknown, unpinned, tampered, too large, or the JSON-LD is invalid."""

    def __init__(self, url: str | None, reason: str) -> None:
        super().__init__(f"{url}: {reason}" if url else reason)
        self.url = url
        self.reason = reason


def canonicalize(document: Mapping[str, Any], variant: str | None = None) -> str:
    raise NotImplementedError


def find_dropped_terms(document: Mapping[str, Any]) -> list[str]:
    raise NotImplementedError


def context_variant_for(document: Mapping[str, Any]) -> str | None:
    raise NotImplementedError
