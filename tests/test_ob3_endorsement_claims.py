"""An OB 3.0 endorsement must be about what it is attached to (a copied one proves nothing)."""

from __future__ import annotations

import json
from typing import Any

from portfolio_gen.ingest.raw import Container, Kind, RawCredential
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob3 import verify_ob3
from portfolio_gen.verify.report import CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW


def _run(doc: dict[str, Any]) -> VerificationReport:
    raw = RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL,
                        json.dumps(doc).encode(), document=doc)
    return verify_ob3(raw, VerifyContext(OfflineFetcher(), FIXED_NOW))


def _claim(report: VerificationReport) -> tuple[CheckStatus, str]:
    (check,) = [c for c in report.checks if c.id == "endorsement.claim"]
    return check.status, check.code


def test_endorsements_must_name_what_they_sit_on() -> None:
    college = Ob3Issuer("Ed25519", "did:key", slot=21, name="College")
    other = Ob3Issuer("Ed25519", "did:key", slot=22, name="Other school")
    board = Ob3Issuer("P-256", "did:key", slot=23, name="Board")
    of_college = board.sign_di(board.endorsement(college.id, credential_id="urn:uuid:e1"))
    of_other = board.sign_di(board.endorsement(other.id, credential_id="urn:uuid:e2"))
    doc = college.credential()
    achievement_id = doc["credentialSubject"]["achievement"]["id"]
    of_achievement = board.sign_di(board.endorsement(achievement_id, credential_id="urn:uuid:e3"))
    doc["issuer"]["endorsement"] = [of_college, of_other]  # of_other: genuine but copied
    doc["credentialSubject"]["achievement"]["endorsement"] = [of_achievement, of_college]
    doc["endorsement"] = [of_college, of_other]
    report = _run(college.sign_di(doc))
    assert report.verdict is Verdict.VERIFIED
    got = {n.source.split("#", 1)[1]: (n.verdict, _claim(n)[1]) for n in report.nested}
    assert got == {
        "endorsement[0]": (Verdict.VERIFIED, "claim_matches"),         # the credential's issuer
        "endorsement[1]": (Verdict.INVALID, "claim_elsewhere"),
        "issuer.endorsement[0]": (Verdict.VERIFIED, "claim_matches"),
        "issuer.endorsement[1]": (Verdict.INVALID, "claim_elsewhere"),
        "credentialSubject.achievement.endorsement[0]": (Verdict.VERIFIED, "claim_matches"),
        "credentialSubject.achievement.endorsement[1]": (Verdict.INVALID, "claim_elsewhere"),
    }
    (summary,) = [c for c in report.checks if c.id == "endorsements"]
    assert summary.details == {"verified": 3, "checked": 6, "not_checked": 0}
