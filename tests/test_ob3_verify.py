"""The OB 3.0 / CLR 2.0 orchestration: conformance, Data Integrity proof sets, data loss,
dates, recipient, endorsements and CLR nesting (verification.md §2.1, §2.2, §2.4, §2.8, §7.3).
Real keys and proofs; did:web over a real TLS loopback server."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

from portfolio_gen.ingest.raw import Container, Kind, RawCredential
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.testing.ob3_sign import add_proof_set
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.ob3 import collect_pin_urls, verify_ob3
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer

VC_V1 = "https://www.w3.org/2018/credentials/v1"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OFFLINE = VerifyContext(OfflineFetcher(), FIXED_NOW)


def raw_of(doc: dict[str, Any] | str) -> RawCredential:
    if isinstance(doc, str):
        return RawCredential("badge.jwt", Container.JWS, Kind.OB3_JWT, doc.encode())
    return RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL,
                         json.dumps(doc).encode(), document=doc)


def run(doc: dict[str, Any] | str, ctx: VerifyContext = OFFLINE) -> VerificationReport:
    return verify_ob3(raw_of(doc), ctx)


def get(report: VerificationReport, check_id: str) -> Check:
    found = [c for c in report.checks if c.id == check_id]
    assert len(found) == 1, (check_id, [c.to_dict() for c in report.checks])
    return found[0]


@pytest.fixture
def issuer() -> Ob3Issuer:
    return Ob3Issuer("Ed25519", "did:key")


# -- proofs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "P-384"])
def test_data_integrity_did_key_verified(key_type: str) -> None:
    issuer = Ob3Issuer(key_type, "did:key")  # type: ignore[arg-type]
    doc = issuer.sign_di(issuer.credential())
    report = verify_item(raw_of(doc), OFFLINE)  # through the pipeline dispatch
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert get(report, "proof.key_binding").status is CheckStatus.PASS
    assert report.key_id == issuer.vm_id
    assert report.spec_version == "3.0 (VCDM 2.0)"
    assert report.document == doc
    assert get(report, "proof.signature").details["suite"].endswith(
        "eddsa-rdfc-2022" if key_type == "Ed25519" else "ecdsa-rdfc-2019")


def test_did_web_issuer_over_https() -> None:
    with LoopbackServer(tls=True) as srv:
        issuer = Ob3Issuer("P-256", "did:web", host_port=srv.host_port)
        for path, body in issuer.documents().items():
            srv.add(path, body)
        assert srv.ca_path is not None
        ctx = VerifyContext(GuardedHttpFetcher(allow_hosts=[srv.host_port],
                                               ca_bundle=srv.ca_path), FIXED_NOW)
        report = run(issuer.sign_di(issuer.credential()), ctx)
        assert report.verdict is Verdict.VERIFIED, report.to_dict()
        assert report.related["controller_document"]["id"] == issuer.id
        assert collect_pin_urls(raw_of(issuer.sign_di(issuer.credential()))) == \
            [f"https://{srv.host_port}/.well-known/did.json"]


def test_tampered_credential_is_invalid_and_stops(issuer: Ob3Issuer) -> None:
    doc = issuer.sign_di(issuer.credential())
    doc["credentialSubject"]["achievement"]["name"] = "Brain surgery"
    report = run(doc)
    assert get(report, "proof.signature").status is CheckStatus.FAIL
    assert report.verdict is Verdict.INVALID
    assert get(report, "after_proof").code == "after_fatal"
    assert not [c for c in report.checks if c.id.startswith("status.")]


def test_undefined_field_fails_data_loss_even_though_proof_verifies(issuer: Ob3Issuer) -> None:
    doc = issuer.sign_di(issuer.credential())
    doc["credentialSubject"]["achievement"]["awardedForHonesty"] = "yes"  # not in any context
    report = run(doc)
    loss = get(report, "jsonld.data_loss")
    assert (loss.status, loss.implies) == (CheckStatus.FAIL, Verdict.INVALID)
    assert "awardedForHonesty" in loss.message
    assert get(report, "proof.signature").status is CheckStatus.PASS
    assert report.verdict is Verdict.INVALID


def test_unknown_context_is_unverifiable_and_named(issuer: Ob3Issuer) -> None:
    doc = issuer.credential()
    doc["@context"].append("https://contexts.example/evil.jsonld")
    report = run({**doc, "proof": _any_proof(issuer)})  # cannot be signed: context unknown
    assert report.verdict is Verdict.UNVERIFIABLE, report.to_dict()
    assert "https://contexts.example/evil.jsonld" in report.reason


def _any_proof(issuer: Ob3Issuer) -> dict[str, Any]:
    return dict(issuer.sign_di(issuer.credential())["proof"])


def test_no_proof_is_invalid(issuer: Ob3Issuer) -> None:
    report = run(issuer.credential())
    assert get(report, "proof.signature").code == "no_proof"
    assert report.verdict is Verdict.INVALID


def test_proof_set_unsupported_plus_verified(issuer: Ob3Issuer) -> None:
    doc = issuer.sign_di(issuer.credential())
    unsupported = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023",
                   "verificationMethod": issuer.vm_id, "proofPurpose": "assertionMethod",
                   "proofValue": "u2V0AhVhA"}
    doc["proof"] = [unsupported, doc["proof"]]
    report = run(doc)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert get(report, "proof.signature").details["proofs_unsupported"] == [
        "DataIntegrityProof/ecdsa-sd-2023"]


def test_all_proofs_unsupported_is_unsupported(issuer: Ob3Issuer) -> None:
    doc = issuer.credential()
    doc["proof"] = {"type": "DataIntegrityProof", "cryptosuite": "bbs-2023",
                    "verificationMethod": issuer.vm_id, "proofPurpose": "assertionMethod",
                    "proofValue": "u2V0ChVhA"}
    report = run(doc)
    check = get(report, "proof.signature")
    assert check.code == "proof_type_unsupported" and "bbs-2023" in check.message
    assert report.verdict is Verdict.UNSUPPORTED


def test_proof_set_with_one_failing_proof_is_invalid(issuer: Ob3Issuer) -> None:
    other = Ob3Issuer("P-256", "did:key", slot=2)
    doc = add_proof_set(issuer.credential(), [
        (issuer.private_key, issuer.vm_id, "eddsa-rdfc-2022"),  # type: ignore[list-item]
        (other.private_key, other.vm_id, "ecdsa-rdfc-2019")])   # type: ignore[list-item]
    report = run(doc)  # a co-signed proof set: the issuer's own proof is bound
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert get(report, "proof.signature").details["proofs_verified"] == 2
    bad = copy.deepcopy(doc)
    bad["proof"][1]["proofValue"] = doc["proof"][0]["proofValue"]
    report = run(bad)
    assert get(report, "proof.signature").status is CheckStatus.FAIL
    assert report.verdict is Verdict.INVALID


def test_wrong_key_type_for_suite_is_invalid(issuer: Ob3Issuer) -> None:
    p256 = Ob3Issuer("P-256", "did:key", slot=1)
    doc = issuer.sign_di(issuer.credential())
    doc["proof"]["verificationMethod"] = p256.vm_id  # EdDSA proof naming a P-256 key
    report = run(doc)
    assert get(report, "proof.signature").status is CheckStatus.FAIL
    assert report.verdict is Verdict.INVALID


# -- conformance ---------------------------------------------------------------------------------

STRICT = VerifyContext(OfflineFetcher(), FIXED_NOW, VerifyOptions(strict=True))


@pytest.mark.parametrize(("mutate", "check_id", "code", "default_verdict"), [
    # data-model departures that leave the proof, binding, status and dates intact
    (lambda d: d["credentialSubject"].pop("id"), "conformance.subject",
     "subject_unidentified", Verdict.VERIFIED),
    (lambda d: d["credentialSubject"].pop("achievement"), "conformance.subject",
     "achievement_missing", Verdict.VERIFIED),
    (lambda d: d.pop("validFrom"), "conformance.required", "required_missing",
     Verdict.VERIFIED),
    (lambda d: d["credentialSubject"]["achievement"].pop("criteria"),
     "conformance.achievement", "achievement_incomplete", Verdict.VERIFIED),
    (lambda d: d["credentialSubject"]["achievement"].update(achievementType="Trophy"),
     "conformance.achievement", "achievement_type_unknown", Verdict.VERIFIED),
    # departures that authenticity also catches: the verdict is the proof's or binding's
    (lambda d: d.update({"@context": d["@context"][1:]}), "conformance.context",
     "context_not_vc", Verdict.INVALID),         # fields undefined -> data-loss check
    (lambda d: d.update({"@context": [d["@context"][0]]}), "conformance.context",
     "context_not_ob", Verdict.INVALID),
    (lambda d: d.pop("issuer"), "conformance.required", "required_missing",
     Verdict.INVALID),                           # nothing to bind the key to
])
def test_conformance_warns_by_default_and_fails_when_strict(
        issuer: Ob3Issuer, mutate: Any, check_id: str, code: str,
        default_verdict: Verdict) -> None:
    """§7.16: conformance is reported beside the verdict; --strict makes it a failure."""
    doc = issuer.credential()
    mutate(doc)
    signed = issuer.sign_di(doc)
    report = run(signed)
    check = get(report, check_id)
    assert (check.status, check.code, check.implies) == (CheckStatus.WARN, code, None), \
        report.to_dict()
    assert check in report.conformance_warnings
    assert report.verdict is default_verdict, report.to_dict()
    strict = run(signed, STRICT)
    check = get(strict, check_id)
    assert (check.status, check.code, check.implies) == \
        (CheckStatus.FAIL, code, Verdict.INVALID)
    assert strict.verdict is Verdict.INVALID


def test_unreadable_date_is_invalid_in_both_modes(issuer: Ob3Issuer) -> None:
    """A date that cannot be read cannot be judged current: authenticity, not conformance."""
    signed = issuer.sign_di(issuer.credential(validUntil="next tuesday"))
    for ctx in (OFFLINE, STRICT):
        report = run(signed, ctx)
        assert get(report, "validity.not_before").code == "date_malformed"
        assert report.verdict is Verdict.INVALID


def test_subject_without_id_or_identifier_is_verified_with_a_warning(issuer: Ob3Issuer) -> None:
    """Cause 1 of issue #12: a subject with only a name (DCC samples) is genuine."""
    doc = issuer.credential()
    doc["credentialSubject"] = {"type": ["AchievementSubject"], "name": "Ada Lovelace",
                                "achievement": doc["credentialSubject"]["achievement"]}
    report = run(issuer.sign_di(doc), VerifyContext(OfflineFetcher(), FIXED_NOW,
                                                    VerifyOptions(identities=("ada@ex.org",))))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert [c.code for c in report.conformance_warnings] == ["subject_unidentified"]
    assert get(report, "recipient.identifier").code == "no_recipient"


def test_identifier_given_as_one_object_is_read_as_a_list(issuer: Ob3Issuer) -> None:
    """Cause 2: JSON-LD reads a single value as a one-element list; so must we."""
    doc = issuer.credential()
    doc["credentialSubject"].pop("id")
    doc["credentialSubject"]["identifier"] = _identity("learner@example.org", "pepper")
    ctx = VerifyContext(OfflineFetcher(), FIXED_NOW,
                        VerifyOptions(identities=("learner@example.org",)))
    report = run(issuer.sign_di(doc), ctx)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert get(report, "recipient.identifier").code == "recipient_matches"
    assert [c.code for c in report.conformance_warnings] == ["identifier_not_list"]


def test_single_values_are_one_element_lists(issuer: Ob3Issuer) -> None:
    """type, endorsement, proof: a single value is a list of one (JSON-LD), not ignored."""
    endorser = Ob3Issuer("Ed25519", "did:key", slot=2)
    doc = issuer.credential()
    doc["endorsement"] = endorser.sign_di(endorser.endorsement(issuer.id))  # one object
    doc["credentialSubject"]["type"] = "AchievementSubject"
    doc["credentialSubject"]["achievement"]["type"] = "Achievement"
    report = run(issuer.sign_di(doc))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert len(report.nested) == 1 and report.nested[0].verdict is Verdict.VERIFIED
    assert get(report, "endorsements").code == "nested_verified"
    assert report.conformance_warnings == ()


def test_plain_verifiable_credential_is_verified_as_vc(issuer: Ob3Issuer) -> None:
    """Cause 3: a VC that is not an Open Badge is verified like any other, family "vc"."""
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"],
           "id": "urn:uuid:3b4c7d1e-5a6f-4b8c-9d0e-1f2a3b4c5d6e",
           "type": ["VerifiableCredential"],
           "issuer": {"id": issuer.id, "name": "Example University"},
           "validFrom": "2026-01-01T00:00:00Z", "name": "Bachelor of Science",
           "description": "Awarded for completing the programme.",
           "credentialSubject": {"id": "did:example:learner", "name": "Ada Lovelace"}}
    report = run(issuer.sign_di(doc))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.spec_version == "VC (VCDM 2.0)"
    assert report.family == "vc" and report.to_dict()["family"] == "vc"
    assert report.format == "json"  # the container, not the family
    assert report.achievement_name == "Bachelor of Science"
    assert [c.code for c in report.conformance_warnings] == ["not_open_badge"]
    assert run(issuer.sign_di(doc), STRICT).verdict is Verdict.INVALID
    tampered = issuer.sign_di(doc)
    tampered["name"] = "Doctor of Science"
    assert run(tampered).verdict is Verdict.INVALID


def test_status_list_credential_given_on_its_own_is_just_a_vc(issuer: Ob3Issuer) -> None:
    listed = issuer.sign_di(issuer.status_list_credential("https://issuer.example/s/1", {3}))
    report = verify_item(raw_of(listed), OFFLINE)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.spec_version == "VC (VCDM 2.0)" and report.family == "vc"
    assert [c.code for c in report.conformance_warnings] == ["not_open_badge"]
    assert get(report, "conformance.subject").status is CheckStatus.PASS


def test_subject_with_identifier_only_conforms(issuer: Ob3Issuer) -> None:
    doc = issuer.credential()
    doc["credentialSubject"].pop("id")
    doc["credentialSubject"]["identifier"] = [_identity("learner@example.org", "pepper")]
    report = run(issuer.sign_di(doc))
    assert get(report, "conformance.subject").status is CheckStatus.PASS
    assert report.verdict is Verdict.VERIFIED, report.to_dict()


# -- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "verdict"), [
    ({"validFrom": "2026-06-02T12:00:00Z"}, Verdict.NOT_YET_VALID),
    ({"validFrom": "2026-06-01T12:04:00Z"}, Verdict.VERIFIED),            # within 300 s skew
    ({"validUntil": "2026-05-01T00:00:00Z"}, Verdict.EXPIRED),
    ({"validUntil": "2026-06-01T11:56:00Z"}, Verdict.VERIFIED),           # within skew
    ({"validUntil": "2027-01-01T00:00:00Z"}, Verdict.VERIFIED),
])
def test_validity_window(issuer: Ob3Issuer, fields: dict[str, str], verdict: Verdict) -> None:
    report = run(issuer.sign_di(issuer.credential(**fields)))
    assert report.verdict is verdict, report.to_dict()


# -- recipient -----------------------------------------------------------------------------------

def _identity(email: str, salt: str) -> dict[str, Any]:
    digest = hashlib.sha256((email + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "identityHash": f"sha256${digest}", "salt": salt,
            "hashed": True, "identityType": "emailAddress"}


def test_recipient_by_subject_id_and_hashed_identifier(issuer: Ob3Issuer) -> None:
    doc = issuer.credential(subject_id="did:example:alice")
    doc["credentialSubject"]["identifier"] = [_identity("alice@example.org", "s4lt")]
    signed = issuer.sign_di(doc)
    for identity in ("did:example:alice", "Alice@Example.org"):
        ctx = VerifyContext(OfflineFetcher(), FIXED_NOW, VerifyOptions((identity,)))
        assert get(run(signed, ctx), "recipient.identifier").status is CheckStatus.PASS
    ctx = VerifyContext(OfflineFetcher(), FIXED_NOW, VerifyOptions(("bob@example.org",)))
    report = run(signed, ctx)
    mismatch = get(report, "recipient.identifier")
    assert (mismatch.status, mismatch.implies) == (CheckStatus.WARN, None)
    assert report.verdict is Verdict.VERIFIED
    strict = VerifyContext(OfflineFetcher(), FIXED_NOW,
                           VerifyOptions(("bob@example.org",), strict_recipient=True))
    assert run(signed, strict).verdict is Verdict.INVALID


# -- endorsements and CLR ------------------------------------------------------------------------

def test_endorsements_are_verified_on_their_own(issuer: Ob3Issuer) -> None:
    endorser = Ob3Issuer("P-256", "did:key", slot=6, name="Accreditor")
    good = endorser.sign_di(endorser.endorsement(issuer.id))
    forged = endorser.sign_di(endorser.endorsement(issuer.id, credential_id="urn:uuid:e2"))
    forged["credentialSubject"]["endorsementComment"] = "Best issuer ever."
    jwt_endorsement = endorser.sign_jwt(endorser.endorsement(issuer.id,
                                                             credential_id="urn:uuid:e3"))
    doc = issuer.credential(endorsement=[good, forged], endorsementJwt=[jwt_endorsement])
    report = run(issuer.sign_jwt(doc))  # (endorsementJwt is undefined in the published context)
    assert [n.verdict for n in report.nested] == [Verdict.VERIFIED, Verdict.INVALID,
                                                  Verdict.VERIFIED]
    assert report.nested[0].issuer.name == "Accreditor"
    assert report.nested[1].source == "badge.jwt#endorsement[1]"
    summary = get(report, "endorsements")
    assert (summary.status, summary.implies) == (CheckStatus.WARN, None)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()


def test_clr_members_are_verified_and_nested(issuer: Ob3Issuer) -> None:
    school = Ob3Issuer("Ed25519", "did:key", slot=8, name="School")
    member_di = school.sign_di(school.credential(achievement_name="Algebra"))
    member_jwt = school.sign_jwt(school.credential(achievement_name="Geometry",
                                                   credential_id="urn:uuid:geo"))
    tampered = copy.deepcopy(member_di)
    tampered["credentialSubject"]["achievement"]["name"] = "Calculus"
    clr = {"@context": ["https://www.w3.org/ns/credentials/v2", CLR_CONTEXT,
                        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
           "id": "urn:uuid:clr-1", "type": ["VerifiableCredential", "ClrCredential"],
           "issuer": {"id": issuer.id, "type": ["Profile"], "name": "Registrar"},
           "name": "Transcript", "validFrom": "2025-02-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:learner", "type": ["ClrSubject"],
                                 "verifiableCredential": [member_di, member_jwt, tampered]}}
    report = run(issuer.sign_jwt(clr))
    assert report.spec_version == "CLR 2.0 (VCDM 2.0)"
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert [n.verdict for n in report.nested] == [Verdict.VERIFIED, Verdict.VERIFIED,
                                                  Verdict.INVALID]
    assert [n.achievement_name for n in report.nested] == ["Algebra", "Geometry", "Calculus"]
    assert get(report, "clr.members").details == {"verified": 2, "checked": 3, "not_checked": 0}


def test_nesting_is_bounded(issuer: Ob3Issuer) -> None:
    token = issuer.sign_jwt(issuer.endorsement("did:example:x"))
    inner = issuer.endorsement("did:example:y", endorsementJwt=[token])
    middle = issuer.endorsement("did:example:z", endorsementJwt=[issuer.sign_jwt(inner)])
    report = run(issuer.sign_jwt(issuer.credential(endorsementJwt=[issuer.sign_jwt(middle)])))
    level1 = report.nested[0]
    level2 = level1.nested[0]
    assert level2.nested == ()
    assert get(level2, "endorsements").code == "nested_not_checked"


def test_member_count_is_bounded(issuer: Ob3Issuer) -> None:
    members = [issuer.sign_jwt(issuer.credential(credential_id=f"urn:uuid:m{i}"))
               for i in range(70)]
    clr = {"@context": ["https://www.w3.org/ns/credentials/v2", CLR_CONTEXT],
           "id": "urn:uuid:clr-big", "type": ["VerifiableCredential", "ClrCredential"],
           "issuer": issuer.id, "validFrom": "2025-02-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:learner", "type": ["ClrSubject"],
                                 "verifiableCredential": members}}
    report = run(issuer.sign_jwt(clr))
    assert len(report.nested) == 64
    assert get(report, "clr.members").details["not_checked"] == 6


def test_report_serialises(issuer: Ob3Issuer) -> None:
    report = run(issuer.sign_di(issuer.credential()))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["verdict"] == "verified" and data["key_id"] == issuer.vm_id
    assert data["issuer"] == {"id": issuer.id, "name": "Test Issuer", "anchor": "self-asserted",
                              "anchor_detail": None}
