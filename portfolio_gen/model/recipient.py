"""Holder binding for display: is this credential the learner's? (issue #14 item 2)

The verifier's ``recipient.identifier`` check compares the learner's declared identifiers
with the credential's recipient; this reads its outcome into one of three states and
words who the credential names without printing the learner's own identifiers (an email
address shows only its domain, a telephone number not at all, a hashed identity as such).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portfolio_gen.model.credential import Recipient
from portfolio_gen.verify.checks import RECIPIENT_IDENTIFIER
from portfolio_gen.verify.report import CheckStatus, VerificationReport

_MISMATCH_CODES = ("recipient_mismatch",)


def recipient_state(report: VerificationReport) -> Recipient:
    """MATCH on a passing check, MISMATCH when the recipient is someone else, else UNCHECKED
    (no identifiers declared, no recipient named, malformed recipient, check not reached)."""
    for check in report.checks:
        if check.id != RECIPIENT_IDENTIFIER:
            continue
        if check.status is CheckStatus.PASS:
            return Recipient.MATCH
        if check.code in _MISMATCH_CODES:
            return Recipient.MISMATCH
    return Recipient.UNCHECKED


def subject_id(doc: Mapping[str, Any]) -> str | None:
    subject = doc.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    value = subject.get("id") if isinstance(subject, Mapping) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def recipient_label(doc: Mapping[str, Any]) -> str | None:
    """Who the credential names, as a person may read it; None when it names no one."""
    claims: list[Mapping[str, Any]] = []
    sid = subject_id(doc)
    if sid:
        return sid
    subject = doc.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    if isinstance(subject, Mapping) and isinstance(subject.get("identifier"), list):
        claims = [c for c in subject["identifier"] if isinstance(c, Mapping)]
    elif isinstance(doc.get("recipient"), Mapping):
        claims = [doc["recipient"]]
    for claim in claims:
        label = _claim_label(claim)
        if label:
            return label
    return None


def _claim_label(claim: Mapping[str, Any]) -> str | None:
    identity = claim.get("identity", claim.get("identityHash"))
    kind = str(claim.get("identityType", claim.get("type", "email"))).lower()
    if not isinstance(identity, str) or not identity.strip():
        return None
    kind = {"emailaddress": "email", "phone": "telephone"}.get(kind, kind)
    if claim.get("hashed") is True:
        return {"email": "a hashed email address", "telephone": "a hashed telephone number",
                "url": "a hashed web address"}.get(kind, f"a hashed {kind} identifier")
    if kind == "email":
        domain = identity.rpartition("@")[2].strip()
        return f"an email address at {domain}" if domain else "an email address"
    if kind == "telephone":
        return "a telephone number"
    return identity.strip()
