"""An OB 3.0 endorsement must be about what it is attached to.

An EndorsementCredential is signed by its endorser about one subject
(``credentialSubject.id``). Copied into another credential it still verifies, so a
genuine endorsement of one issuer could be shown under anyone's badge. The
endorsement must therefore name what it sits on: the issuer (``issuer.endorsement``),
the achievement (``…achievement.endorsement``) or, at the credential level, the
credential, its achievement or its issuer (the OB 3.0 data model lets a credential-level
endorsement speak about any of them). Otherwise the endorsement is ``invalid`` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from portfolio_gen.verify.checks import ENDORSEMENT_CLAIM
from portfolio_gen.verify.report import VerificationReport, failed, passed


def _id(node: object) -> str | None:
    if isinstance(node, list) and node:
        node = node[0]
    if isinstance(node, str):
        return node
    value = node.get("id") if isinstance(node, Mapping) else None
    return value if isinstance(value, str) else None


def _targets(outer: Mapping[str, Any], label: str) -> tuple[str, list[str]]:
    subject = outer.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    achievement = _id(subject.get("achievement")) if isinstance(subject, Mapping) else None
    issuer = _id(outer.get("issuer"))
    if label.startswith("issuer."):
        return "the issuer", [i for i in (issuer,) if i]
    if label.startswith("credentialSubject.achievement."):
        return "the achievement", [i for i in (achievement,) if i]
    credential = _id(outer)
    return "this credential", [i for i in (credential, achievement, issuer) if i]


def check_claim(outer: Mapping[str, Any], label: str,
                report: VerificationReport) -> VerificationReport:
    """``report`` (a nested endorsement) with an ``endorsement.claim`` check added."""
    if "endorsement" not in label.lower() or not isinstance(report.document, Mapping):
        return report
    what, targets = _targets(outer, label)
    claimed = _id(report.document.get("credentialSubject"))
    if claimed is not None and claimed in targets:
        check = passed(ENDORSEMENT_CLAIM, "claim_matches",
                       f"The endorsement is about {what} ({claimed}).")
    else:
        check = failed(ENDORSEMENT_CLAIM, "claim_elsewhere", f"The endorsement is about "
                       f"{claimed or 'nothing it names'}, not about {what} "
                       f"({', '.join(targets) or 'which has no id'}), so it does not endorse "
                       "this.", claimed=claimed, targets=targets)
    return replace(report, checks=(*report.checks, check))
