"""Hostile OB 3.0 inputs (issue #10 holes 4 and 5, plus forgeries tried as an attacker).

Every forgery is built with the test issuers (real keys, real proofs), shown not
``verified``, next to a genuine control that is. No network: did:web documents and
status lists come from a ``StaticFetcher`` URL map, so no fetch can mask a result.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from portfolio_gen.encoding import b64url_decode, b64url_encode
from portfolio_gen.ingest.raw import Container, Kind, RawCredential
from portfolio_gen.net.static import StaticFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer, encode_status_list
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob3 import jsonld, lossless, verify_ob3
from portfolio_gen.verify.ob3.dataintegrity import ED25519_2020_CONTEXT
from portfolio_gen.verify.ob3.status import MAX_ENTRIES_CHECKED
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW

HOST = "issuer.example"          # did:web and status lists, served only by the URL map
LIST_URL = f"https://{HOST}/status/1"
FORGED_GRADE = "A+ (forged)"


def raw_of(doc: dict[str, Any] | str) -> RawCredential:
    if isinstance(doc, str):
        return RawCredential("badge.jwt", Container.JWS, Kind.OB3_JWT, doc.encode())
    return RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL,
                         json.dumps(doc).encode(), document=doc)


def run(doc: dict[str, Any] | str, *issuers: Ob3Issuer,
        extra: dict[str, bytes] | None = None) -> VerificationReport:
    """Verify with only what the issuers publish (plus ``extra``), from a URL map."""
    docs: dict[str, bytes] = {}
    for issuer in issuers:
        for path, body in issuer.documents().items():
            docs[f"https://{issuer.host_port}{path}"] = body
    docs.update(extra or {})
    return verify_ob3(raw_of(doc), VerifyContext(StaticFetcher(docs), FIXED_NOW))


def get(report: VerificationReport, check_id: str) -> Check:
    found = [c for c in report.checks if c.id == check_id]
    assert len(found) == 1, (check_id, [c.to_dict() for c in report.checks])
    return found[0]


def assert_verified(report: VerificationReport) -> None:
    assert report.verdict is Verdict.VERIFIED, [c.to_dict() for c in report.checks
                                                if c.status is not CheckStatus.PASS]


# -- hole 4: JSON-LD drops data the page shows ----------------------------------------------------

RDFC_SUITES = [("Ed25519", "eddsa-rdfc-2022"), ("P-256", "ecdsa-rdfc-2019"),
               ("P-384", "ecdsa-rdfc-2019"), ("Ed25519", "Ed25519Signature2020")]


def signed(issuer: Ob3Issuer, suite: str, doc: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = doc if doc is not None else issuer.credential()
    if suite == "Ed25519Signature2020":
        doc = {**doc, "@context": [*doc["@context"], ED25519_2020_CONTEXT]}
    return issuer.sign_di(doc, suite)


def add_result(doc: dict[str, Any], node_id: str = "urn:r x") -> None:
    doc["credentialSubject"]["result"] = [{"id": node_id, "type": ["Result"],
                                           "value": FORGED_GRADE}]


def add_alignment(doc: dict[str, Any], node_id: str = "urn:r x") -> None:
    doc["credentialSubject"]["achievement"]["alignment"] = [
        {"id": node_id, "type": ["Alignment"], "targetName": "Forged skill",
         "targetUrl": "https://skills.example/forged"}]


def add_evidence(doc: dict[str, Any], node_id: str = "urn:r x") -> None:
    doc["evidence"] = [{"id": node_id, "type": ["Evidence"], "name": "Forged evidence"}]


FORGERIES = {"result": (add_result, "$.credentialSubject.result@id"),
             "alignment": (add_alignment, "$.credentialSubject.achievement.alignment@id"),
             "evidence": (add_evidence, "$.evidence@id")}


@pytest.mark.parametrize(("key_type", "suite"), RDFC_SUITES,
                         ids=[f"{s}-{k}" for k, s in RDFC_SUITES])
@pytest.mark.parametrize("what", sorted(FORGERIES))
def test_node_with_malformed_id_added_after_signing_is_invalid(key_type: str, suite: str,
                                                               what: str) -> None:
    issuer = Ob3Issuer(key_type, "did:key")  # type: ignore[arg-type]
    genuine = signed(issuer, suite)
    assert_verified(run(genuine))
    forged = copy.deepcopy(genuine)
    add, field = FORGERIES[what]
    add(forged)
    # The hole: the proof still verifies, because pyld drops the node from the N-Quads.
    assert jsonld.canonicalize({k: v for k, v in forged.items() if k != "proof"}) == \
        jsonld.canonicalize({k: v for k, v in genuine.items() if k != "proof"})
    report = run(forged)
    assert report.verdict is Verdict.INVALID
    assert get(report, "proof.signature").status is CheckStatus.PASS
    loss = get(report, "jsonld.data_loss")
    assert loss.status is CheckStatus.FAIL and loss.code == "values_not_signed"
    assert any(f.startswith(field) and "urn:r x" in f for f in loss.details["fields"])
    assert field in loss.message


@pytest.mark.parametrize("node_id", ["http://a b", "urn:a\tb", "urn:a\u00a0b", "urn:a\u3000b",
                                     "https://x.example/a<b", "https://x.example/%zz",
                                     'urn:a"b'])
def test_malformed_iris_are_refused_even_when_signed(node_id: str) -> None:
    """Whitespace makes pyld drop the node; ``<``, ``"`` or a bad escape reach the N-Quads
    unescaped (N-Quads syntax could be smuggled in). Either way: not a verifiable claim."""
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential()
    add_result(doc, node_id)
    report = run(issuer.sign_di(doc))
    assert report.verdict is Verdict.INVALID
    assert "$.credentialSubject.result@id" in get(report, "jsonld.data_loss").message


def test_changed_name_of_achievement_with_whitespace_id_is_invalid() -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential(achievement_name="Teamwork")
    doc["credentialSubject"]["achievement"]["id"] = "https://example.org/achievements/team work"
    genuine = issuer.sign_di(doc)
    forged = copy.deepcopy(genuine)
    forged["credentialSubject"]["achievement"]["name"] = "Doctor of Philosophy"
    report = run(forged)
    assert get(report, "proof.signature").status is CheckStatus.PASS  # the hole
    assert report.verdict is Verdict.INVALID
    assert "$.credentialSubject.achievement@id" in get(report, "jsonld.data_loss").message
    # The issuer's own copy is refused too: its achievement was never signed.
    assert run(genuine).verdict is Verdict.INVALID


def test_well_formed_iris_of_every_kind_still_verify() -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential(subject_id="did:web:learner.example%3A8443:u:ana")
    doc["credentialSubject"]["achievement"]["id"] = "https://example.org/a%C3%A9/b?x=1&y=%20#f"
    add_result(doc, "urn:uuid:0e6c9d3a-5a0f-4f55-9b1a-2b1f1c3d4e5f")
    add_alignment(doc, "https://ex.example/ça/skill")
    add_evidence(doc, "data:text/plain;base64,SGVsbG8=")
    report = run(issuer.sign_di(doc))
    assert_verified(report)
    assert get(report, "jsonld.data_loss").code == "all_terms_defined"


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "ecdsa-jcs-2019"])
def test_jcs_suites_sign_the_json_so_the_forgery_breaks_the_signature(suite: str) -> None:
    issuer = Ob3Issuer("Ed25519" if suite.startswith("eddsa") else "P-256", "did:key")
    genuine = issuer.sign_di(issuer.credential(), suite)
    assert_verified(run(genuine))
    forged = copy.deepcopy(genuine)
    add_result(forged)
    report = run(forged)
    assert report.verdict is Verdict.INVALID
    assert get(report, "proof.signature").code == "signature_invalid"
    assert get(report, "jsonld.data_loss").code == "json_signed"


def test_vc_jwt_signs_the_json_so_the_forgery_breaks_the_signature() -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    token = issuer.sign_jwt(issuer.credential())
    assert_verified(run(token))
    head, payload, sig = token.split(".")
    doc = json.loads(b64url_decode(payload))
    add_result(doc)
    forged = f"{head}.{b64url_encode(json.dumps(doc).encode())}.{sig}"
    assert run(forged).verdict is Verdict.INVALID


def test_forged_endorsement_node_is_invalid_alone_and_inside_its_credential() -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    endorser = Ob3Issuer("P-256", "did:key", slot=1, name="Endorser")
    endorsement = endorser.sign_di(endorser.endorsement(issuer.id))
    assert_verified(run(endorsement))
    forged = copy.deepcopy(endorsement)
    add_evidence(forged)
    assert run(forged).verdict is Verdict.INVALID
    parent_genuine = issuer.sign_di(issuer.credential(endorsement=[endorsement]))
    report = run(parent_genuine)
    assert_verified(report)
    assert report.nested[0].verdict is Verdict.VERIFIED
    parent = issuer.sign_di(issuer.credential(endorsement=[forged]))
    report = run(parent)
    assert report.nested[0].verdict is Verdict.INVALID
    assert get(report.nested[0], "jsonld.data_loss").code == "values_not_signed"
    assert report.verdict is not Verdict.VERIFIED


@pytest.mark.parametrize(("mutate", "why"), [
    (lambda d: d["credentialSubject"].update({"creditsEarned": 10 ** 21 + 1}),
     "does not survive"),
    (lambda d: d["credentialSubject"].update({"creditsEarned": 0.10000000000000002}),
     "does not survive"),
    (lambda d: d.update({"name": {"@value": "Forged", "@language": "en US"}}),
     "language tag"),
    (lambda d: d["credentialSubject"].update({"@grade": FORGED_GRADE}), "keyword-like"),
    (lambda d: d["credentialSubject"].update({"final grade": FORGED_GRADE}), "cannot form"),
    (lambda d: d["credentialSubject"].update({"@context": {"grade": "_:p"},
                                               "grade": FORGED_GRADE}), "property IRI"),
    (lambda d: d["credentialSubject"].update({"@context": {"grade": "urn:p<q"},
                                               "grade": FORGED_GRADE}), "property IRI"),
    (lambda d: d["credentialSubject"].update({"@context": {"@base": "urn:b x/"},
                                               "id": "rel"}), "$.credentialSubject@id"),
])
def test_values_the_canonical_form_changes_or_drops_are_invalid(mutate: Any, why: str) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential()
    mutate(doc)
    report = run(issuer.sign_di(doc))
    assert report.verdict is Verdict.INVALID
    assert why in get(report, "jsonld.data_loss").message


def test_numbers_that_survive_canonicalization_verify() -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential()
    doc["credentialSubject"]["creditsEarned"] = 2.5
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = 10 ** 21
    doc["name"] = {"@value": "Teamwork badge", "@language": "en-GB"}
    assert_verified(run(issuer.sign_di(doc)))


# -- hole 4 for status lists, hole 5: lists out of date, too many entries -------------------------

def status_issuer() -> Ob3Issuer:
    return Ob3Issuer("Ed25519", "did:web", host_port=HOST)


def with_list(issuer: Ob3Issuer, index: int, list_doc: dict[str, Any],
              sign_list: bool = True) -> dict[str, Any]:
    issuer.publish("/status/1", issuer.sign_di(list_doc) if sign_list else list_doc)
    return issuer.sign_di(issuer.credential(
        credentialStatus=issuer.status_entry(LIST_URL, index)))


def test_status_list_control_is_checked_and_not_revoked() -> None:
    issuer = status_issuer()
    report = run(with_list(issuer, 7, issuer.status_list_credential(LIST_URL, [3])), issuer)
    assert_verified(report)
    assert get(report, "status.revocation").code == "not_revoked"


@pytest.mark.parametrize(("dates", "code"), [
    ({"validFrom": "2026-09-01T00:00:00Z"}, "status_list_not_yet_valid"),
    ({"validUntil": "2026-05-01T00:00:00Z"}, "status_list_expired"),
    ({"validFrom": "not a date"}, "status_list_malformed"),
])
def test_status_list_outside_its_dates_is_undecided(dates: dict[str, str], code: str) -> None:
    issuer = status_issuer()
    listed = {**issuer.status_list_credential(LIST_URL, [3]), **dates}
    report = run(with_list(issuer, 7, listed), issuer)
    check = get(report, "status.revocation")
    assert check.status is CheckStatus.WARN and check.code == code
    assert report.verdict is Verdict.UNVERIFIABLE
    assert LIST_URL in check.message


def test_status_list_not_yet_valid_within_clock_skew_is_used() -> None:
    issuer = status_issuer()
    listed = issuer.status_list_credential(LIST_URL, [7], validFrom="2026-06-01T12:04:00Z")
    report = run(with_list(issuer, 7, listed), issuer)
    assert report.verdict is Verdict.REVOKED


def test_status_list_whose_subject_is_dropped_cannot_be_rewritten() -> None:
    """The issuer's list has a subject id JSON-LD drops, so its bits were never signed:
    an attacker clears the revoked bit and the proof still verifies."""
    issuer = status_issuer()
    listed = issuer.sign_di(issuer.status_list_credential(LIST_URL, [7]))
    listed_bad = copy.deepcopy(issuer.status_list_credential(LIST_URL, [7]))
    listed_bad["credentialSubject"]["id"] = LIST_URL + "#list one"
    signed_bad = issuer.sign_di(listed_bad)
    cleared = copy.deepcopy(signed_bad)
    cleared["credentialSubject"]["encodedList"] = encode_status_list([])
    credential = issuer.sign_di(issuer.credential(
        credentialStatus=issuer.status_entry(LIST_URL, 7)))
    issuer.publish("/status/1", listed)
    assert run(credential, issuer).verdict is Verdict.REVOKED  # control: a sound list
    issuer.publish("/status/1", signed_bad)
    assert get(run(credential, issuer), "status.revocation").code == "status_list_data_loss"
    issuer.publish("/status/1", cleared)
    report = run(credential, issuer)
    check = get(report, "status.revocation")
    assert check.code == "status_list_data_loss"
    assert "$.credentialSubject@id" in check.message
    assert report.verdict is Verdict.UNVERIFIABLE


def test_more_status_entries_than_checked_are_named() -> None:
    issuer = status_issuer()
    issuer.publish("/status/1", issuer.sign_di(issuer.status_list_credential(LIST_URL, [])))
    entries = [issuer.status_entry(LIST_URL, i) for i in range(MAX_ENTRIES_CHECKED + 3)]
    report = run(issuer.sign_di(issuer.credential(credentialStatus=entries)), issuer)
    check = get(report, "status.entries")
    assert check.status is CheckStatus.WARN and check.code == "status_entries_not_checked"
    assert check.details["not_checked"] == 3
    assert f"3 of the credential's {MAX_ENTRIES_CHECKED + 3}" in check.message
    assert report.verdict is Verdict.UNVERIFIABLE
    control = run(issuer.sign_di(issuer.credential(
        credentialStatus=entries[:MAX_ENTRIES_CHECKED])), issuer)
    assert_verified(control)


def test_extra_entries_that_cannot_revoke_only_warn() -> None:
    issuer = status_issuer()
    issuer.publish("/status/1", issuer.sign_di(issuer.status_list_credential(LIST_URL, [])))
    entries = [issuer.status_entry(LIST_URL, i) for i in range(MAX_ENTRIES_CHECKED)]
    entries.append({**issuer.status_entry(LIST_URL, 99), "statusPurpose": "message"})
    report = run(issuer.sign_di(issuer.credential(credentialStatus=entries)), issuer)
    check = get(report, "status.entries")
    assert check.status is CheckStatus.WARN and check.implies is None
    assert report.verdict is Verdict.VERIFIED


# -- more forgeries -------------------------------------------------------------------------------

def test_did_web_key_listed_only_under_authentication_does_not_bind() -> None:
    issuer = status_issuer()
    doc = issuer.sign_di(issuer.credential())
    assert_verified(run(doc, issuer))
    auth_only = issuer.controller_document(assertion=False)
    report = run(doc, extra={f"https://{HOST}/.well-known/did.json":
                             json.dumps(auth_only).encode()})
    binding = get(report, "proof.key_binding")
    assert binding.status is CheckStatus.FAIL and binding.code == "not_assertion_method"
    assert report.verdict is Verdict.INVALID


def test_did_web_method_controlled_by_someone_else_does_not_bind() -> None:
    issuer = status_issuer()
    doc = issuer.sign_di(issuer.credential())
    cdoc = issuer.controller_document()
    cdoc["verificationMethod"][0]["controller"] = "did:web:attacker.example"
    report = run(doc, extra={f"https://{HOST}/.well-known/did.json": json.dumps(cdoc).encode()})
    assert get(report, "proof.key_binding").code == "controller_not_issuer"
    assert report.verdict is Verdict.INVALID


def test_proof_by_a_key_whose_controller_is_not_the_issuer() -> None:
    victim = Ob3Issuer("Ed25519", "did:key", name="Victim University")
    attacker = Ob3Issuer("Ed25519", "did:key", slot=7, name="Victim University")
    doc = victim.credential()
    assert_verified(run(victim.sign_di(doc)))
    forged = attacker.sign_di({**doc, "issuer": {**doc["issuer"], "id": victim.id}})
    report = run(forged)
    assert get(report, "proof.signature").status is CheckStatus.PASS
    assert get(report, "proof.key_binding").code == "controller_not_issuer"
    assert report.verdict is Verdict.INVALID


@pytest.mark.parametrize("purpose", ["authentication", "capabilityInvocation", "keyAgreement"])
def test_proof_purpose_other_than_assertion_method(purpose: str) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.sign_di(issuer.credential(), "eddsa-rdfc-2022", proof_purpose=purpose)
    report = run(doc)
    assert get(report, "proof.signature").code == "bad_proof_purpose"
    assert report.verdict is Verdict.INVALID


@pytest.mark.parametrize(("valid_until", "created", "verdict"), [
    ("2026-12-31T00:00:00Z", "2027-01-15T00:00:00Z", Verdict.NOT_YET_VALID),
    ("2026-12-31T00:00:00Z", "2026-06-01T12:04:00Z", Verdict.VERIFIED),   # within skew
    ("2025-12-31T00:00:00Z", "2026-01-15T00:00:00Z", Verdict.EXPIRED),
    ("2026-12-31T00:00:00Z", "2025-01-15T00:00:00Z", Verdict.VERIFIED),   # control
])
def test_proof_created_after_valid_until(valid_until: str, created: str,
                                         verdict: Verdict) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.sign_di(issuer.credential(validUntil=valid_until), "eddsa-rdfc-2022",
                         created=created)
    report = run(doc)
    assert report.verdict is verdict, [c.to_dict() for c in report.checks]
    if verdict is Verdict.NOT_YET_VALID:
        assert get(report, "validity.proof_created").code == "proof_created_in_future"


def test_vc_jwt_whose_iss_differs_from_the_issuer() -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    victim = Ob3Issuer("Ed25519", "did:key", slot=3, name="Victim University")
    doc = issuer.credential()
    assert_verified(run(issuer.sign_jwt(doc, shape="vc-claim")))
    report = run(issuer.sign_jwt(doc, shape="vc-claim", claims={"iss": victim.id}))
    assert get(report, "jwt.claims").code == "jwt_claims_mismatch"
    assert report.verdict is Verdict.INVALID


def test_vc_jwt_signed_by_another_key_naming_the_victim_as_issuer() -> None:
    victim = Ob3Issuer("Ed25519", "did:key", name="Victim University")
    attacker = Ob3Issuer("Ed25519", "did:key", slot=5, name="Victim University")
    doc = victim.credential()
    token = attacker.sign_jwt({**doc, "issuer": {**doc["issuer"], "id": victim.id}},
                              shape="vc-claim")
    report = run(token)
    assert get(report, "proof.signature").status is CheckStatus.PASS
    assert get(report, "proof.key_binding").status is CheckStatus.FAIL
    assert report.verdict is Verdict.INVALID


def test_vc_jwt_inline_jwk_of_an_attacker_is_not_bound() -> None:
    victim = Ob3Issuer("Ed25519", "did:key", name="Victim University")
    attacker = Ob3Issuer("Ed25519", "did:key", slot=6)
    doc = victim.credential()
    token = attacker.sign_jwt(doc, key_in="jwk")
    report = run(token)
    assert get(report, "proof.key_binding").status is CheckStatus.FAIL
    assert report.verdict is Verdict.INVALID


def test_did_web_document_with_another_id_is_refused() -> None:
    issuer = status_issuer()
    doc = issuer.sign_di(issuer.credential())
    cdoc = issuer.controller_document(doc_id="did:web:elsewhere.example")
    report = run(doc, extra={f"https://{HOST}/.well-known/did.json": json.dumps(cdoc).encode()})
    assert report.verdict is not Verdict.VERIFIED
    assert "did_document_id_mismatch" in {c.code for c in report.checks}


@pytest.mark.parametrize(("suite", "number", "verdict"), [
    ("eddsa-jcs-2022", 10 ** 22, Verdict.INVALID),           # no JCS form: JCS needs doubles
    ("eddsa-jcs-2022", 2 ** 53 + 1, Verdict.INVALID),
    ("eddsa-rdfc-2022", 10 ** 400, Verdict.UNVERIFIABLE),    # no xsd:double holds it
])
def test_numbers_no_canonical_form_holds_are_reported_not_raised(suite: str, number: int,
                                                                 verdict: Verdict) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.sign_di(issuer.credential(), suite)
    doc["credentialSubject"]["creditsEarned"] = number
    report = run(doc)  # a program fault (IntegerDomainError, OverflowError) before the fix
    assert report.verdict is verdict
    if suite.endswith("jcs-2022"):
        assert get(report, "proof.signature").code == "jcs_unrepresentable"


def test_the_quad_count_net_alone_sees_a_dropped_node() -> None:
    """Under the IRI rules, the node-map-versus-emitted-quads count catches the same drop."""
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential()
    add_result(doc)
    store = jsonld.default_store()
    armer = lossless.Armer()
    state = store._state(None)
    expanded = state.processor.expand(armer.arm(doc), state.options())
    dropped = lossless._unemitted(expanded, state.processor)
    assert [str(d) for d in dropped] == [
        "$.credentialSubject (1 of its 4 statements are not in the canonical form)",
        "$.credentialSubject.result (3 of its 3 statements are not in the canonical form)"]
    sound = issuer.credential()
    expanded = state.processor.expand(lossless.Armer().arm(sound), state.options())
    assert lossless._unemitted(expanded, state.processor) == []


def test_https_key_document_naming_another_controller_does_not_bind() -> None:
    """A VC-JWT ``kid`` on the issuer's host whose key document says an attacker controls it."""
    issuer = Ob3Issuer("P-256", "https", host_port=HOST)
    attacker_id = "https://attacker.example/issuer"
    kid = f"https://{HOST}/keys/1"
    key_doc = {"id": kid, "type": "JsonWebKey", "controller": attacker_id,
               "publicKeyJwk": issuer.public_jwk}
    attacker_doc = issuer.controller_document(doc_id=attacker_id)
    attacker_doc["verificationMethod"][0].update(id=kid, controller=attacker_id)
    attacker_doc["assertionMethod"] = [kid]
    extra = {kid: json.dumps(key_doc).encode(), attacker_id: json.dumps(attacker_doc).encode()}
    doc = issuer.credential()
    assert_verified(run(issuer.sign_jwt(doc), issuer))
    report = run(issuer.sign_jwt(doc, header={"kid": kid}), issuer, extra=extra)
    assert get(report, "proof.signature").status is CheckStatus.PASS
    assert get(report, "proof.key_binding").code == "controller_not_issuer"
    assert report.verdict is Verdict.INVALID


@pytest.mark.parametrize(("iat", "verdict"), [(1_800_000_000, Verdict.NOT_YET_VALID),
                                              (1_700_000_000, Verdict.VERIFIED)])
def test_vc_jwt_issued_after_the_verification_time(iat: int, verdict: Verdict) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    report = run(issuer.sign_jwt(issuer.credential(), claims={"iat": iat}))
    assert report.verdict is verdict


@pytest.mark.parametrize(("expires", "verdict"), [("2026-05-01T00:00:00Z", Verdict.EXPIRED),
                                                  ("2027-05-01T00:00:00Z", Verdict.VERIFIED)])
def test_proof_past_its_own_expires(expires: str, verdict: Verdict) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    report = run(issuer.sign_di(issuer.credential(), expires=expires))
    assert get(report, "proof.signature").status is CheckStatus.PASS
    assert report.verdict is verdict
    if verdict is Verdict.EXPIRED:
        assert get(report, "validity.proof_expires").code == "proof_expired"
