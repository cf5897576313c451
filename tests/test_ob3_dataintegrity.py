"""Data Integrity proofs: round trips per suite, tampering, key types, unsupported suites."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from portfolio_gen.testing import ob3_sign
from portfolio_gen.verify import crypto
from portfolio_gen.verify.ob3 import dataintegrity as di
from portfolio_gen.verify.ob3 import jsonld
from tests.test_ob3_jsonld import conformance_store, ob_credential

ED_CTX = "https://w3id.org/security/suites/ed25519-2020/v1"
VM = "did:key:z6Mk-test#z6Mk-test"

ED_KEY = ed25519.Ed25519PrivateKey.generate()
P256_KEY = ec.generate_private_key(ec.SECP256R1())
P384_KEY = ec.generate_private_key(ec.SECP384R1())

SUITE_KEYS: list[tuple[str, Any]] = [
    ("eddsa-rdfc-2022", ED_KEY),
    ("eddsa-2022", ED_KEY),
    ("eddsa-jcs-2022", ED_KEY),
    ("Ed25519Signature2020", ED_KEY),
    ("ecdsa-rdfc-2019", P256_KEY),
    ("ecdsa-rdfc-2019", P384_KEY),
    ("ecdsa-jcs-2019", P256_KEY),
    ("ecdsa-jcs-2019", P384_KEY),
]
IDS = [f"{s}-{type(k).__name__.strip('_')}" + (f"-{k.curve.name}" if hasattr(k, "curve") else "")
       for s, k in SUITE_KEYS]


def credential_for(suite: str) -> dict[str, Any]:
    doc = ob_credential()
    if suite == "Ed25519Signature2020":
        doc["@context"] = [*doc["@context"], ED_CTX]
    return doc


def signed(suite: str, key: Any, **kw: Any) -> dict[str, Any]:
    return ob3_sign.sign_data_integrity(credential_for(suite), key, VM, suite, **kw)


def check(doc: dict[str, Any], key: Any, proof: dict[str, Any] | None = None) -> di.ProofOutcome:
    return di.verify_proof(doc, proof or doc["proof"], key.public_key())


@pytest.mark.parametrize(("suite", "key"), SUITE_KEYS, ids=IDS)
def test_round_trip_verifies(suite: str, key: Any) -> None:
    doc = signed(suite, key)
    outcome = check(doc, key)
    assert (outcome.status, outcome.code) == ("verified", "verified"), outcome.message
    assert outcome.verification_method == VM
    name, supported = di.proof_suite(doc["proof"])
    assert supported and outcome.suite == name
    if suite != "Ed25519Signature2020":
        assert name == f"DataIntegrityProof/{suite}"


@pytest.mark.parametrize(("suite", "key"), SUITE_KEYS, ids=IDS)
def test_tampered_document_fails(suite: str, key: Any) -> None:
    doc = signed(suite, key)
    doc["credentialSubject"]["achievement"]["name"] = "Leadership"
    outcome = check(doc, key)
    assert (outcome.status, outcome.code) == ("failed", "signature_invalid")


@pytest.mark.parametrize(("suite", "key"), SUITE_KEYS, ids=IDS)
def test_tampered_proof_options_fail(suite: str, key: Any) -> None:
    doc = signed(suite, key)
    doc["proof"]["created"] = "2024-01-02T00:00:00Z"
    assert check(doc, key).code == "signature_invalid"


@pytest.mark.parametrize(("suite", "key"), SUITE_KEYS, ids=IDS)
def test_other_key_of_same_type_fails(suite: str, key: Any) -> None:
    doc = signed(suite, key)
    other = (ed25519.Ed25519PrivateKey.generate() if isinstance(key, ed25519.Ed25519PrivateKey)
             else ec.generate_private_key(key.curve))
    assert check(doc, other).code == "signature_invalid"


def test_wrong_key_type_fails() -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"):
        doc = signed(suite, ED_KEY)
        for wrong in (rsa_key, P256_KEY):
            outcome = check(doc, wrong)
            assert (outcome.status, outcome.code) == ("failed", "wrong_key_type"), suite
    for suite in ("ecdsa-rdfc-2019", "ecdsa-jcs-2019"):
        doc = signed(suite, P256_KEY)
        for wrong in (rsa_key, ED_KEY):
            assert check(doc, wrong).code == "wrong_key_type"


def test_p384_signature_with_p256_key_fails() -> None:
    doc = signed("ecdsa-rdfc-2019", P384_KEY)
    outcome = check(doc, P256_KEY)
    assert outcome.status == "failed"
    assert outcome.code == "malformed_proof_value"  # 96-byte value for a 64-byte suite


@pytest.mark.parametrize("proof", [
    {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023", "proofValue": "u2V0AhVhA"},
    {"type": "DataIntegrityProof", "cryptosuite": "bbs-2023", "proofValue": "u2V0ChVhA"},
    {"type": "MerkleProof2019", "proofValue": "z7veGu1qoKR3AS5Aa"},
    {"type": "SomeProofType", "proofValue": "zabc"},
    {"type": "DataIntegrityProof", "proofValue": "zabc"},
    {"type": "Ed25519Signature2018", "jws": "eyJ..x.y"},
    {"proofValue": "zabc"},
])
def test_unsupported_suites_are_never_verified(proof: dict[str, Any]) -> None:
    proof = {**proof, "verificationMethod": VM, "proofPurpose": "assertionMethod"}
    doc = {**ob_credential(), "proof": proof}
    outcome = di.verify_proof(doc, proof, ED_KEY.public_key())
    assert (outcome.status, outcome.code) == ("unsupported", "unsupported_suite")
    assert di.proof_suite(proof)[1] is False


def test_proof_purpose_must_be_assertion_method() -> None:
    doc = signed("eddsa-rdfc-2022", ED_KEY, proof_purpose="authentication")
    assert check(doc, ED_KEY).code == "bad_proof_purpose"


@pytest.mark.parametrize("created", ["yesterday", "2024-13-01T00:00:00Z", "2024-01-01", 17])
def test_created_must_be_a_datetime(created: Any) -> None:
    doc = signed("eddsa-rdfc-2022", ED_KEY)
    doc["proof"]["created"] = created
    assert check(doc, ED_KEY).code == "bad_created"


def test_created_is_optional() -> None:
    doc = signed("eddsa-rdfc-2022", ED_KEY, created=None)
    assert "created" not in doc["proof"]
    assert check(doc, ED_KEY).status == "verified"


@pytest.mark.parametrize("value", [
    None, "", "uAAAA", "z0OIl", "z" + base58.b58encode(b"\x01" * 63).decode(), "z" * 5000,
])
def test_malformed_proof_value_fails_clearly(value: Any) -> None:
    doc = signed("eddsa-rdfc-2022", ED_KEY)
    doc["proof"]["proofValue"] = value
    outcome = check(doc, ED_KEY)
    assert (outcome.status, outcome.code) == ("failed", "malformed_proof_value")
    assert outcome.message.endswith(".")


def test_missing_members_fail() -> None:
    doc = signed("eddsa-rdfc-2022", ED_KEY)
    del doc["proof"]["proofPurpose"]
    assert check(doc, ED_KEY).code == "missing_member"


def test_ed25519signature2020_needs_its_context() -> None:
    doc = ob3_sign.sign_data_integrity(credential_for("Ed25519Signature2020"), ED_KEY, VM,
                                       "Ed25519Signature2020")
    doc["@context"] = doc["@context"][:-1]
    assert check(doc, ED_KEY).code == "missing_suite_context"


def test_jcs_proof_context_must_prefix_document_context() -> None:
    doc = signed("eddsa-jcs-2022", ED_KEY)
    doc["proof"]["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    assert check(doc, ED_KEY).code == "context_mismatch"


def test_unknown_context_is_an_error_not_a_failure() -> None:
    doc = signed("eddsa-rdfc-2022", ED_KEY)
    doc["@context"] = [*doc["@context"], "https://evil.example/ctx"]
    outcome = check(doc, ED_KEY)
    assert (outcome.status, outcome.code) == ("error", "unknown_context")
    assert "https://evil.example/ctx" in outcome.message


def test_undefined_field_keeps_rdfc_proof_valid_but_data_loss_check_catches_it() -> None:
    doc = signed("eddsa-rdfc-2022", ED_KEY)
    doc["credentialSubject"]["achievement"]["unsignedClaim"] = "I am the best"
    assert check(doc, ED_KEY).status == "verified"  # the trap of verification.md §7.3
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    assert jsonld.find_dropped_terms(unsecured) == [
        "$.credentialSubject.achievement.unsignedClaim"]


def test_context_variant_fallback_names_the_variant_that_verified() -> None:
    base = ob_credential()
    base["endorsementJwt"] = ["eyJhbGciOiJFZERTQSJ9.e30.c2ln"]
    by_superset = ob3_sign.sign_data_integrity(base, ED_KEY, VM, "eddsa-rdfc-2022",
                                               variant="validator-superset")
    outcome = check(by_superset, ED_KEY)
    assert (outcome.status, outcome.context_variant) == ("verified", "validator-superset")
    by_published = ob3_sign.sign_data_integrity(base, ED_KEY, VM, "eddsa-rdfc-2022")
    outcome = check(by_published, ED_KEY)
    assert (outcome.status, outcome.context_variant) == ("verified", "published")
    plain = signed("eddsa-rdfc-2022", ED_KEY)
    assert check(plain, ED_KEY).context_variant == "published"


def test_proof_set_each_proof_verifies_independently() -> None:
    doc = ob3_sign.add_proof_set(ob_credential(), [
        (ED_KEY, VM, "eddsa-rdfc-2022"), (P256_KEY, "did:key:zDn#zDn", "ecdsa-rdfc-2019")])
    assert len(doc["proof"]) == 2
    assert check(doc, ED_KEY, doc["proof"][0]).status == "verified"
    assert check(doc, P256_KEY, doc["proof"][1]).status == "verified"
    assert check(doc, ED_KEY, doc["proof"][1]).code == "wrong_key_type"


def test_proof_chain_previous_proof() -> None:
    first = ob3_sign.sign_data_integrity(ob_credential(), ED_KEY, VM, "eddsa-rdfc-2022",
                                         proof_id="urn:uuid:proof-1")
    with_set = {**first, "proof": [first["proof"]]}
    second = ob3_sign.make_proof(with_set, P384_KEY, "did:key:z82#z82", "ecdsa-rdfc-2019",
                                 previous_proof="urn:uuid:proof-1")
    chained = {**first, "proof": [first["proof"], second]}
    assert check(chained, P384_KEY, second).status == "verified"
    assert check(chained, ED_KEY, first["proof"]).status == "verified"
    broken = copy.deepcopy(chained)
    broken["proof"][0]["proofValue"] = "z" + base58.b58encode(b"\x02" * 64).decode()
    assert check(broken, P384_KEY, broken["proof"][1]).code == "signature_invalid"
    missing = {**first, "proof": [second]}
    assert check(missing, P384_KEY, second).code == "previous_proof_missing"


# -- the published vectors, step by step (skip without ../shared/conformance) ----------------
def _text(base: Path, rel: str) -> str:
    return (base / rel).read_text(encoding="utf-8").strip()


def _public_key(key_pair: dict[str, Any]) -> crypto.PublicKey:
    return crypto.public_key_from_multikey(key_pair["publicKeyMultibase"])


W3C_CASES = ["w3c-eddsa-rdfc-2022", "w3c-eddsa-jcs-2022", "w3c-ed25519signature2020",
             "w3c-ecdsa-rdfc-2019-p256", "w3c-ecdsa-rdfc-2019-p384", "w3c-ecdsa-jcs-2019-p256",
             "w3c-ecdsa-jcs-2019-p384"]


@pytest.mark.conformance
@pytest.mark.parametrize("case_id", W3C_CASES)
def test_w3c_vector_step_by_step(conformance_dir: Path, case_id: str) -> None:
    manifest = json.loads((conformance_dir / "manifest.json").read_text(encoding="utf-8"))
    case = next(c for c in manifest["cases"] if c["id"] == case_id)
    art = case["artifacts"]
    store = conformance_store(conformance_dir)
    signed_doc = json.loads((conformance_dir / case["file"]).read_text(encoding="utf-8"))
    proof = signed_doc["proof"]
    suite = di.SUITES[proof.get("cryptosuite", proof["type"])]
    key = _public_key(json.loads((conformance_dir / art["key_pair"]).read_text("utf-8")))
    unsigned = json.loads((conformance_dir / art["unsigned"]).read_text(encoding="utf-8"))
    unsecured = {k: v for k, v in signed_doc.items() if k != "proof"}
    # Ed25519Signature2020 adds its suite context to the unsigned credential.
    assert {k: v for k, v in unsecured.items() if k != "@context"} == {
        k: v for k, v in unsigned.items() if k != "@context"}
    config = json.loads((conformance_dir / art["proof_options"]).read_text(encoding="utf-8"))
    assert config == {k: v for k, v in proof.items() if k != "proofValue"} | (
        {"@context": config["@context"]} if "@context" in config else {})
    if suite.canonical == "rdfc":
        canon_doc = store.canonicalize(unsecured)
        canon_cfg = store.canonicalize({**config, "@context": unsecured["@context"]})
    else:
        import rfc8785
        canon_doc = rfc8785.dumps(unsecured).decode("utf-8")
        canon_cfg = rfc8785.dumps(config).decode("utf-8")
    assert canon_doc.strip() == _text(conformance_dir, art["canonical_document"])
    assert canon_cfg.strip() == _text(conformance_dir, art["canonical_proof_options"])
    data = di.hash_data(unsecured, config, suite, key, store=store)
    half = len(data) // 2
    assert data[:half].hex() == _text(conformance_dir, art["proof_hash_hex"])
    assert data[half:].hex() == _text(conformance_dir, art["document_hash_hex"])
    assert data.hex() == _text(conformance_dir, art["combined_hash_hex"])
    sig_hex = _text(conformance_dir, art["signature_hex"])
    assert proof["proofValue"] == _text(conformance_dir, art["signature_base58btc"])
    assert crypto.decode_multibase_base58(proof["proofValue"]).hex() == sig_hex
    assert crypto.verify_raw(key, data, bytes.fromhex(sig_hex))
    assert di.verify_proof(signed_doc, proof, key, store=store).status == "verified"


@pytest.mark.conformance
@pytest.mark.parametrize("folder", ["ob", "clr"])
def test_ob_spec_vector_step_by_step(conformance_dir: Path, folder: str) -> None:
    base = conformance_dir / "ob30-spec-vector" / folder
    store = conformance_store(conformance_dir)
    pair = json.loads((base / "key-pair.json").read_text(encoding="utf-8"))
    values = json.loads((base / "intermediate-values.json").read_text(encoding="utf-8"))
    unsigned = json.loads((base / "credential-unsigned.json").read_text(encoding="utf-8"))
    options = json.loads((base / "proof-options.json").read_text(encoding="utf-8"))
    key = _public_key(pair)
    assert bytes.fromhex(pair["publicKeyHex"]) == crypto.decode_multibase_base58(
        pair["publicKeyMultibase"])[2:]
    data = di.hash_data(unsigned, options, di.SUITES["eddsa-rdfc-2022"], key, store=store)
    assert data[32:].hex() == values["documentHashHex"]
    assert data[:32].hex() == values["proofHashHex"]
    assert data.hex() == values["dataToSignHex"]
    assert crypto.verify_raw(key, data, bytes.fromhex(values["signatureHex"]))
    signed_doc = json.loads((base / "credential-signed.json").read_text(encoding="utf-8"))
    proofs = signed_doc["proof"] if isinstance(signed_doc["proof"], list) else [signed_doc["proof"]]
    assert [p["proofValue"] for p in proofs] == [values["proofValue"]]
    outcome = di.verify_proof(signed_doc, proofs[0], key, store=store)
    assert outcome.status == "verified"
    # Our signer reproduces the published signature (Ed25519 is deterministic).
    private = ed25519.Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex(pair["privateKeyHex"])[:32])
    ours = ob3_sign.make_proof(unsigned, private, options["verificationMethod"],
                               "eddsa-rdfc-2022", options["created"], store=store)
    assert ours["proofValue"] == values["proofValue"]
