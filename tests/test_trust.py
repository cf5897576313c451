"""The trust summary's wording (render/trust.py): seals, recipient outcomes, issuer anchors,
human dates; and what a hostile credential cannot make it say."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portfolio_gen.model.credential import Credential, IssuerInfo
from portfolio_gen.render import trust
from portfolio_gen.verify.report import (
    Check,
    Verdict,
    VerificationReport,
    failed,
    passed,
    skipped,
    undecided,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PROOF = passed("proof.signature", "signature_valid", "The signature is valid.")


def cred(*checks: Check, issuer_id: str = "did:key:z6Mkabc", name: str = "Uni",
         document: dict[str, Any] | None = None, spec: str = "3.0",
         expires: datetime | None = None, anchor: str = "self-asserted",
         detail: str | None = None) -> Credential:
    report = VerificationReport(source="b.json", format="json", spec_version=spec,
                                checked_at=NOW, checks=checks, document=document or {})
    return Credential(
        slug="b", name="Badge", description="", criteria="", criteria_url=None, image=None,
        image_alt="", achievement_id=None, achievement_type=None,
        issuer=IssuerInfo(name=name, id=issuer_id, anchor=anchor, anchor_detail=detail,
                          proven=any(c.id == "proof.signature" and c.status.value == "pass"
                                     for c in checks)), issued=None, valid_from=None,
        expires=expires, alignments=(), results=(), credits=None, evidence=(),
        endorsements=(), tags=(), narrative=None, report=report, source="b.json",
        source_path=None, file_bytes=b"")


def match(**details: Any) -> Check:
    return passed("recipient.identifier", "recipient_matches", "matches", **details)


def mismatch() -> Check:
    return undecided("recipient.identifier", "recipient_mismatch", "no match", None,
                     types=["email"])


def test_seals_and_their_sentences() -> None:
    ok = trust.trust_summary(cred(PROOF, match(type="email", hashed=True)), "Ada")
    assert (ok.seal.kind, ok.seal.label) == ("verified", "Verified")
    assert ok.recipient.outcome == trust.ISSUED_TO and ok.recipient.headline == "Ada"
    assert "a hashed email address" in ok.recipient.note
    assert ok.checked_human == "1 June 2026, 12:00 UTC"

    other = trust.trust_summary(cred(PROOF, mismatch()), "Ada")
    assert (other.seal.kind, other.seal.label) == ("mismatch", "Not issued to this learner")
    assert other.recipient.headline == "Someone other than Ada"
    assert not other.counts

    revoked = trust.trust_summary(cred(PROOF, failed(
        "status.revocation", "revoked", "Revoked.", Verdict.REVOKED), match(type="email")), "Ada")
    assert revoked.seal.kind == "revoked"

    expired = trust.trust_summary(cred(PROOF, failed(
        "validity.expiration", "expired", "Expired.", Verdict.EXPIRED),
        expires=datetime(2025, 9, 30, 10, tzinfo=UTC)), "Ada")
    assert expired.seal.kind == "expired" and "30 September 2025" in expired.seal.sentence

    forged = trust.trust_summary(cred(failed("proof.signature", "signature_invalid", "Bad.")),
                                 "Ada")
    assert forged.seal.kind == "unverified" and forged.seal.label == "Not verified"
    # nothing proven: the issuer's name is only a claim, the recipient not checked
    assert forged.issuer.anchor == "unproven"
    assert forged.recipient.outcome == trust.NOT_CHECKED


def test_recipient_not_checked_says_what_the_credential_states() -> None:
    doc = {"credentialSubject": {"name": "Ada Example"}}
    summary = trust.trust_summary(cred(PROOF, skipped(
        "recipient.identifier", "not_checked", "none configured"), document=doc), "Ada")
    assert summary.recipient.outcome == trust.NOT_CHECKED
    assert summary.recipient.headline == "“Ada Example”"
    assert summary.recipient.note == "Not confirmed to be Ada."


def test_a_hostile_subject_name_cannot_reorder_or_hide_text() -> None:
    doc = {"credentialSubject": {"name": "Ada\u202eevil\u200b\nname " + "x" * 200}}
    stated = trust.trust_summary(cred(PROOF, mismatch(), document=doc), "Ada").recipient.stated
    assert "\u202e" not in stated and "\u200b" not in stated and "\n" not in stated
    assert stated.startswith("“Adaevil name xxx") and len(stated) < 120


def test_issuer_anchor_comes_from_the_report() -> None:
    web = trust.trust_summary(cred(PROOF, anchor="domain", detail="uni.example"), "Ada").issuer
    assert (web.anchor, web.detail) == ("domain", "uni.example")
    assert web.text == "Identity anchored to the web domain uni.example."
    listed = trust.trust_summary(cred(PROOF, anchor="registry", detail="Careers\u202e list"),
                                 "Ada").issuer
    assert (listed.anchor, listed.detail) == ("registry", "Careers list")
    key = trust.trust_summary(cred(PROOF), "Ada").issuer
    assert key.anchor == "self-asserted" and "Self-asserted" in key.text
    # a look-alike host is shown as the address bar would (IDNA)
    idn = trust.trust_summary(cred(PROOF, anchor="domain", detail="hаrvard.example"), "Ada")
    assert idn.issuer.detail == "xn--hrvard-3nf.example"
    # a failed proof anchors nothing, whatever the report says
    forged = trust.trust_summary(cred(failed("proof.signature", "signature_invalid", "Bad."),
                                      anchor="domain", detail="uni.example"), "Ada")
    assert forged.issuer.anchor == "unproven" and forged.issuer.detail is None


def test_dates_and_ids_for_people() -> None:
    assert trust.humanize_times("expired on 2025-09-30T10:00:00Z.") == \
        "expired on 30 September 2025, 10:00 UTC."
    assert trust.humanize_times("pinned copy from 2026-05-31") == "pinned copy from 31 May 2026"
    assert trust.humanize_times("version 2025-99-99") == "version 2025-99-99"
    key = "did:key:z6MkfN5vL25qarU1xkQajfLQ8pQY1vdxiTprNpyu1c2ndcJr#z6MkfN5vL25qarU1xkQajfLQ8pQY"
    short = trust.short_id(key)
    assert short == "did:key:z6MkfN5vL2…LQ8pQY"
    assert trust.short_id("https://uni.example/key") == "https://uni.example/key"


def test_checks_are_worded_for_a_person() -> None:
    rows = trust.plain_checks(cred(PROOF, skipped("status.revocation", "no_status", "None."),
                                   passed("conformance.context", "context_ok", "OK.")))
    assert [(r.title, r.label) for r in rows] == [
        ("The issuer's signature matches the contents", "Passed"),
        ("The issuer has not revoked it", "Does not apply"),
        ("It follows the Open Badges format", "Passed")]
    assert rows[0].id == "proof.signature"
