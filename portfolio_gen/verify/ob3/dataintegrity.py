"""Data Integrity proofs: one proof, one key, one outcome (the Open Badges verification rules: VC
Data Integrity §Verify Proof; security items 5, 6).

Public API (the orchestrator does key resolution, binding and proof-set policy):

- ``proof_suite(proof) -> (name, supported)``: ``"DataIntegrityProof/eddsa-rdfc-2022"``,
  ``"Ed25519Signature2020"``, ...
- ``verify_proof(secured_document, proof, key, *, store=None) -> ProofOutcome``.
  ``status`` is ``verified``, ``failed`` (the proof is wrong: signature, key type,
  purpose, ``created``, malformed ``proofValue``), ``unsupported`` (ecdsa-sd-2023,
  bbs-2023, MerkleProof2019, unknown: never verified) or ``error`` (could not
  decide: a context is not pinned or the JSON-LD is invalid).
- ``hash_data(unsecured, proof_config, suite, *, variant=None, store=None)`` and
  ``SUITES`` are shared with the test signer (``portfolio_gen.testing.ob3_sign``).

Steps followed: unsecured document = document minus ``proof`` (plus the proofs a
``previousProof`` names); proof options = proof minus ``proofValue``; RDFC suites
give the proof config the document's ``@context``; JCS suites check that the
document's ``@context`` starts with the proof's; ``hashData = H(proof config) ‖
H(document)``, proof hash first; the signature is checked over ``hashData``.
For RDFC suites every pinned variant of a drifting context is tried, primary
first; ``context_variant`` names the one that verified.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import rfc8785

from portfolio_gen.errors import ContextError, KeyDecodeError, PortfolioGenError
from portfolio_gen.verify import crypto
from portfolio_gen.verify.ob3 import jsonld

ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
ED25519_2020 = "Ed25519Signature2020"


@dataclass(frozen=True)
class Suite:
    """How one (type, cryptosuite) pair transforms, hashes and signs."""

    name: str
    canonical: Literal["rdfc", "jcs"]
    key: Literal["ed25519", "ecdsa"]


SUITES: dict[str, Suite] = {
    "eddsa-rdfc-2022": Suite("eddsa-rdfc-2022", "rdfc", "ed25519"),
    "eddsa-2022": Suite("eddsa-2022", "rdfc", "ed25519"),  # legacy name, same algorithm
    "eddsa-jcs-2022": Suite("eddsa-jcs-2022", "jcs", "ed25519"),
    "ecdsa-rdfc-2019": Suite("ecdsa-rdfc-2019", "rdfc", "ecdsa"),
    "ecdsa-jcs-2019": Suite("ecdsa-jcs-2019", "jcs", "ecdsa"),
    ED25519_2020: Suite(ED25519_2020, "rdfc", "ed25519"),
}

_XSD_DATETIME = re.compile(
    r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?\Z")

Status = Literal["verified", "failed", "unsupported", "error"]


@dataclass(frozen=True)
class ProofOutcome:
    """Result of checking one proof with one key; ``code`` is machine-readable."""

    status: Status
    code: str
    message: str
    suite: str
    verification_method: str | None
    context_variant: str | None = None


class _ProofFailure(PortfolioGenError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def proof_suite(proof: Mapping[str, Any]) -> tuple[str, bool]:
    """The suite's display name and whether we can verify it."""
    ptype = proof.get("type") if isinstance(proof, Mapping) else None
    if isinstance(ptype, list) and len(ptype) == 1:
        ptype = ptype[0]
    if not isinstance(ptype, str):
        return ("unknown proof type", False)
    if ptype == "DataIntegrityProof":
        cryptosuite = proof.get("cryptosuite")
        if not isinstance(cryptosuite, str):
            return ("DataIntegrityProof without cryptosuite", False)
        return (f"DataIntegrityProof/{cryptosuite}", cryptosuite in SUITES
                and cryptosuite != ED25519_2020)
    return (ptype, ptype == ED25519_2020)


def _suite_of(proof: Mapping[str, Any]) -> Suite | None:
    name, supported = proof_suite(proof)
    if not supported:
        return None
    return SUITES[name.removeprefix("DataIntegrityProof/")]


#: The JWS algorithm name crypto.py pins for a key type stands for the key type.
_KEY_KINDS = {"EdDSA": "an Ed25519 key", "ES256": "a P-256 key", "ES384": "a P-384 key",
              "RS256": "an RSA key"}


def _hasher(suite: Suite, key: crypto.PublicKey) -> Callable[[bytes], bytes]:
    if suite.key == "ecdsa" and crypto.jws_algorithm_for(key) == "ES384":
        return lambda data: hashlib.sha384(data).digest()
    return lambda data: hashlib.sha256(data).digest()


def _check_key(suite: Suite, key: crypto.PublicKey) -> None:
    alg = crypto.jws_algorithm_for(key)
    if suite.key == "ed25519" and alg != "EdDSA":
        raise _ProofFailure("wrong_key_type",
                            f"{suite.name} needs an Ed25519 key, not {_KEY_KINDS[alg]}.")
    if suite.key == "ecdsa" and alg not in ("ES256", "ES384"):
        raise _ProofFailure("wrong_key_type",
                            f"{suite.name} needs a P-256 or P-384 key, not {_KEY_KINDS[alg]}.")


def _signature_size(suite: Suite, key: crypto.PublicKey) -> int:
    return 96 if crypto.jws_algorithm_for(key) == "ES384" else 64


def _check_options(suite: Suite, proof: Mapping[str, Any], purpose: str) -> None:
    for member in ("type", "verificationMethod", "proofPurpose"):
        if member not in proof:
            raise _ProofFailure("missing_member", f"The proof has no {member!r}.")
    if proof["proofPurpose"] != purpose:
        raise _ProofFailure("bad_proof_purpose",
                            f"The proof's purpose is {proof['proofPurpose']!r}, "
                            f"not {purpose!r}.")
    created = proof.get("created")
    if created is not None and not _valid_datetime(created):
        raise _ProofFailure("bad_created", f"The proof's 'created' value {created!r} is not a "
                                           "valid date-time.")


def _valid_datetime(value: object) -> bool:
    if not isinstance(value, str) or not _XSD_DATETIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _proof_value(suite: Suite, proof: Mapping[str, Any], key: crypto.PublicKey) -> bytes:
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise _ProofFailure("malformed_proof_value", "The proof has no proofValue string.")
    if not value.startswith("z"):
        raise _ProofFailure("malformed_proof_value",
                            "The proofValue is not multibase base58btc (it must start with 'z').")
    try:
        signature = crypto.decode_multibase_base58(value)
    except KeyDecodeError:
        raise _ProofFailure("malformed_proof_value",
                            "The proofValue is not valid base58btc.") from None
    size = _signature_size(suite, key)
    if len(signature) != size:
        raise _ProofFailure("malformed_proof_value",
                            f"The proofValue decodes to {len(signature)} bytes; "
                            f"{suite.name} signatures have {size}.")
    return signature


def unsecured_document(secured: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """Document minus ``proof``, plus the earlier proofs a ``previousProof`` names."""
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    previous = proof.get("previousProof")
    if previous is None:
        return unsecured
    wanted = previous if isinstance(previous, list) else [previous]
    all_proofs = secured.get("proof")
    proofs = all_proofs if isinstance(all_proofs, list) else [all_proofs]
    by_id = {p.get("id"): p for p in proofs if isinstance(p, Mapping) and p.get("id")}
    found = []
    for pid in wanted:
        if not isinstance(pid, str) or pid not in by_id:
            raise _ProofFailure("previous_proof_missing",
                                f"The proof names a previous proof {pid!r} the document lacks.")
        found.append(by_id[pid])
    unsecured["proof"] = found if isinstance(previous, list) else found[0]
    return unsecured


def _jcs_inputs(secured: Mapping[str, Any], unsecured: dict[str, Any],
                options: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(proof config, document) pairs to hash for a JCS suite (§2.4 eddsa-jcs-2022)."""
    if "@context" in options:
        doc_ctx = secured.get("@context")
        proof_ctx = options["@context"]
        doc_list = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
        proof_list = proof_ctx if isinstance(proof_ctx, list) else [proof_ctx]
        if doc_list[:len(proof_list)] != proof_list:
            raise _ProofFailure("context_mismatch", "The document's @context does not start "
                                                    "with the proof's @context.")
        unsecured = {**unsecured, "@context": proof_ctx}
        return [(options, unsecured)]
    pairs = [(options, unsecured)]
    if "@context" in unsecured:  # proof configuration as vc-di-eddsa builds it
        pairs.insert(0, ({**options, "@context": unsecured["@context"]}, unsecured))
    return pairs


def hash_data(unsecured: Mapping[str, Any], proof_config: Mapping[str, Any], suite: Suite,
              key: crypto.PublicKey, *, variant: str | None = None,
              store: jsonld.ContextStore | None = None) -> bytes:
    """``H(canonical proof config) ‖ H(canonical document)`` for ``suite``."""
    digest = _hasher(suite, key)
    if suite.canonical == "jcs":
        return digest(rfc8785.dumps(dict(proof_config))) + digest(rfc8785.dumps(dict(unsecured)))
    config = {**proof_config, "@context": unsecured.get("@context")}
    canon_doc = jsonld.canonicalize(unsecured, variant=variant, store=store)
    canon_cfg = jsonld.canonicalize(config, variant=variant, store=store)
    return digest(canon_cfg.encode("utf-8")) + digest(canon_doc.encode("utf-8"))


def verify_proof(secured_document: Mapping[str, Any], proof: Mapping[str, Any],
                 key: crypto.PublicKey, *, store: jsonld.ContextStore | None = None,
                 purpose: str = "assertionMethod") -> ProofOutcome:
    """Check one proof of ``secured_document`` with ``key`` (already resolved and bound).

    ``purpose`` is the proof purpose required: ``assertionMethod`` for credentials,
    ``authentication`` for a holder's presentation.
    """
    name, _ = proof_suite(proof)
    vm = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    vm = vm if isinstance(vm, str) else None
    suite = _suite_of(proof) if isinstance(proof, Mapping) else None
    if suite is None:
        return ProofOutcome("unsupported", "unsupported_suite",
                            f"Proofs of type {name} are not supported; the proof was not checked.",
                            name, vm)
    try:
        return _verify(secured_document, proof, key, suite, name, vm, store, purpose)
    except _ProofFailure as exc:
        return ProofOutcome("failed", exc.code, exc.message, name, vm)
    except ContextError as exc:
        code = "unknown_context" if exc.url else "invalid_jsonld"
        return ProofOutcome("error", code, f"The proof could not be checked: {exc}.", name, vm)


def _verify(secured: Mapping[str, Any], proof: Mapping[str, Any], key: crypto.PublicKey,
            suite: Suite, name: str, vm: str | None,
            store: jsonld.ContextStore | None, purpose: str) -> ProofOutcome:
    _check_options(suite, proof, purpose)
    _check_key(suite, key)
    signature = _proof_value(suite, proof, key)
    unsecured = unsecured_document(secured, proof)
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if suite.name == ED25519_2020:
        ctx = secured.get("@context")
        if ED25519_2020_CONTEXT not in (ctx if isinstance(ctx, list) else [ctx]):
            raise _ProofFailure("missing_suite_context",
                                "An Ed25519Signature2020 proof needs the document's @context "
                                f"to include {ED25519_2020_CONTEXT}.")
    if suite.canonical == "jcs":
        for config, document in _jcs_inputs(secured, unsecured, options):
            try:
                data = hash_data(document, config, suite, key)
            except rfc8785.CanonicalizationError as exc:  # e.g. an integer beyond 2**53
                raise _ProofFailure("jcs_unrepresentable",
                                    f"The document has no JCS form, so no {name} proof can "
                                    f"cover it ({exc}).") from None
            if crypto.verify_raw(key, data, signature):
                return ProofOutcome("verified", "verified", f"The {name} proof verifies.",
                                    name, vm)
        return _bad_signature(name, vm)
    store_ = store or jsonld.default_store()
    tried: list[bytes] = []
    for variant in store_.variants_for(unsecured):
        try:
            data = hash_data(unsecured, options, suite, key, variant=variant, store=store_)
        except ContextError:
            if not tried:
                raise
            continue
        if data in tried:
            continue
        tried.append(data)
        if crypto.verify_raw(key, data, signature):
            label = variant if len(store_.variants_for(unsecured)) > 1 else None
            extra = "" if variant == store_.primary else f" (with the {variant} context copy)"
            return ProofOutcome("verified", "verified", f"The {name} proof verifies{extra}.",
                                name, vm, label)
    return _bad_signature(name, vm)


def _bad_signature(name: str, vm: str | None) -> ProofOutcome:
    return ProofOutcome("failed", "signature_invalid",
                        f"The {name} signature does not match the document: it was altered "
                        "after signing or signed with another key.", name, vm)
