"""Data Integrity proofs (verification.md §2.4) — stub; real code follows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from portfolio_gen.verify import crypto


@dataclass(frozen=True)
class ProofOutcome:
    status: Literal["verified", "failed", "unsupported", "error"]
    code: str
    message: str
    suite: str
    verification_method: str | None
    context_variant: str | None = None


def proof_suite(proof: Mapping[str, Any]) -> tuple[str, bool]:
    raise NotImplementedError


def verify_proof(secured_document: Mapping[str, Any], proof: Mapping[str, Any],
                 key: crypto.PublicKey) -> ProofOutcome:
    raise NotImplementedError
