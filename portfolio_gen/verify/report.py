"""The verification report: ordered checks and the verdict they imply.

Every check yields a :class:`Check` with a status (pass / fail / warn / skip), a
stable machine ``code`` and one human sentence. A failing or undecided check
names the verdict it implies (``implies``); the report's verdict is the most
severe implied verdict, and ``verified`` only when a proof (or a trusted hosted
document) passed and nothing implied otherwise. "Could not decide" is never a
pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portfolio_gen.verify.checks import CONFORMANCE_PREFIX, PROOF_CHECK_IDS
from portfolio_gen.verify.verdicts import VERDICT_SEVERITY, CheckStatus, Verdict

__all__ = ["CONFORMANCE_PREFIX", "PROOF_CHECK_IDS", "VERDICT_SEVERITY", "Check", "CheckStatus",
           "IssuerRef", "Verdict", "VerificationReport", "compute_verdict", "failed",
           "is_conformance", "nonconformant", "passed", "skipped", "undecided"]


@dataclass(frozen=True)
class Check:
    """One verification step.

    ``implies`` is the verdict this check forces when it does not pass (``None``
    for informative checks such as a recipient mismatch without strictness).
    """

    id: str
    status: CheckStatus
    code: str
    message: str
    implies: Verdict | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "status": self.status.value,
            "code": self.code,
            "message": self.message,
        }
        if self.details:
            out["details"] = dict(self.details)
        return out


def passed(check_id: str, code: str, message: str, **details: Any) -> Check:
    return Check(check_id, CheckStatus.PASS, code, message, None, details)


def failed(check_id: str, code: str, message: str, implies: Verdict = Verdict.INVALID,
           **details: Any) -> Check:
    return Check(check_id, CheckStatus.FAIL, code, message, implies, details)


def undecided(check_id: str, code: str, message: str,
              implies: Verdict | None = Verdict.UNVERIFIABLE, **details: Any) -> Check:
    return Check(check_id, CheckStatus.WARN, code, message, implies, details)


def nonconformant(check_id: str, code: str, message: str, strict: bool,
                  **details: Any) -> Check:
    """A data-model departure (the Open Badges verification rules, security item 16:
    authenticity versus conformance): a warning that implies nothing.

    Authenticity (proof, binding, status, dates) decides the verdict; conformance is
    reported beside it. Under ``strict`` (validator use) the departure fails the
    credential instead.
    """
    if not check_id.startswith(CONFORMANCE_PREFIX):
        raise ValueError(f"conformance check ids start with {CONFORMANCE_PREFIX!r}: {check_id}")
    if strict:
        return Check(check_id, CheckStatus.FAIL, code, message, Verdict.INVALID, details)
    return Check(check_id, CheckStatus.WARN, code, message, None, details)


def is_conformance(check: Check) -> bool:
    """True for checks about the data model rather than authenticity."""
    return check.id.startswith(CONFORMANCE_PREFIX)


def skipped(check_id: str, code: str, message: str, **details: Any) -> Check:
    return Check(check_id, CheckStatus.SKIP, code, message, None, details)


@dataclass(frozen=True)
class IssuerRef:
    """Who the credential says issued it, and what anchors that (``verify.anchor``):
    ``anchor`` is ``domain``, ``registry`` or ``self-asserted``; ``anchor_detail`` names the
    domain or registry; ``listed_name``/``listed_url`` are the registry's entry."""

    id: str | None = None
    name: str | None = None
    anchor: str = "self-asserted"
    anchor_detail: str | None = None
    listed_name: str | None = None
    listed_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "anchor": self.anchor,
                               "anchor_detail": self.anchor_detail}
        if self.listed_name is not None:
            out["listed_name"] = self.listed_name
            out["listed_url"] = self.listed_url
        return out


@dataclass(frozen=True)
class VerificationReport:
    """Everything known about one credential after verification.

    ``document`` is the credential JSON that verification trusted (the fetched
    hosted assertion, the JWS payload, the proven VC) and ``related`` the
    documents fetched to prove it (BadgeClass, Issuer, keys): the model layer
    reads display data from them. ``nested`` holds reports of endorsements and
    CLR member credentials.
    """

    source: str
    format: str
    spec_version: str
    checked_at: datetime
    checks: tuple[Check, ...]
    credential_id: str | None = None
    issuer: IssuerRef = field(default_factory=IssuerRef)
    achievement_name: str | None = None
    document: Mapping[str, Any] | None = None
    related: Mapping[str, Any] = field(default_factory=dict)
    nested: tuple[VerificationReport, ...] = ()
    key_id: str | None = None
    #: What kind of credential this is, for machines: ``ob2`` (Open Badges 2.0, and legacy
    #: 1.x hosted assertions), ``ob3``
    #: (Open Badges 3.0, endorsements included), ``clr`` (CLR 2.0) or ``vc`` (any other W3C
    #: Verifiable Credential); ``None`` when the file could not be read far enough to tell.
    #: ``format`` is the container (json, jws, png, svg), not this.
    family: str | None = None

    @property
    def verdict(self) -> Verdict:
        return compute_verdict(self.checks)

    @property
    def conformance_warnings(self) -> tuple[Check, ...]:
        """Data-model departures that did not change the verdict (default mode)."""
        return tuple(c for c in self.checks
                     if is_conformance(c) and c.status is CheckStatus.WARN)

    @property
    def reason(self) -> str:
        """The sentence of the check that decided the verdict (or of the proof)."""
        verdict = self.verdict
        for check in self.checks:
            if check.status in (CheckStatus.FAIL, CheckStatus.WARN) and check.implies == verdict:
                return check.message
        for check in self.checks:
            if check.id in PROOF_CHECK_IDS and check.status is CheckStatus.PASS:
                return check.message
        return "No check proved this credential."

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "family": self.family,
            "spec_version": self.spec_version,
            "credential_id": self.credential_id,
            "issuer": self.issuer.to_dict(),
            "achievement_name": self.achievement_name,
            "checked_at": self.checked_at.isoformat().replace("+00:00", "Z"),
            "verdict": self.verdict.value,
            "reason": self.reason,
            "key_id": self.key_id,
            "checks": [c.to_dict() for c in self.checks],
            "nested": [n.to_dict() for n in self.nested],
        }


def compute_verdict(checks: tuple[Check, ...] | list[Check]) -> Verdict:
    """Most severe implied verdict; ``verified`` only if a proof check passed."""
    implied = {c.implies for c in checks
               if c.status in (CheckStatus.FAIL, CheckStatus.WARN) and c.implies is not None}
    for verdict in VERDICT_SEVERITY:
        if verdict in implied:
            return verdict
    if any(c.id in PROOF_CHECK_IDS and c.status is CheckStatus.PASS for c in checks):
        return Verdict.VERIFIED
    return Verdict.UNVERIFIABLE
