"""Sign OB 3.0 credentials with Data Integrity proofs, for tests and sample portfolios.

Why: tests need real proofs for every suite the verifier supports, made with
generated keys, so that round trips and tampering tests exercise real
cryptography. The signer shares the hashing code with the verifier
(``dataintegrity.hash_data``) but signs with ``cryptography`` directly.

Suites: ``eddsa-rdfc-2022``, ``eddsa-2022``, ``eddsa-jcs-2022`` and
``Ed25519Signature2020`` (Ed25519 keys), ``ecdsa-rdfc-2019`` and
``ecdsa-jcs-2019`` (P-256 or P-384 keys).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import base58
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from portfolio_gen.verify.ob3 import dataintegrity, jsonld

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
DEFAULT_CREATED = "2024-01-01T00:00:00Z"


def proof_options(document: Mapping[str, Any], verification_method: str, cryptosuite: str,
                  created: str | None = DEFAULT_CREATED, *,
                  proof_purpose: str = "assertionMethod", proof_id: str | None = None,
                  previous_proof: str | list[str] | None = None,
                  expires: str | None = None, challenge: str | None = None,
                  domain: str | None = None) -> dict[str, Any]:
    """The proof object without ``proofValue`` (``challenge``/``domain`` for presentations)."""
    if cryptosuite not in dataintegrity.SUITES:
        raise ValueError(f"cannot sign with unsupported suite {cryptosuite!r}")
    options: dict[str, Any] = {}
    if proof_id:
        options["id"] = proof_id
    if cryptosuite == dataintegrity.ED25519_2020:
        options["type"] = dataintegrity.ED25519_2020
    else:
        options["type"] = "DataIntegrityProof"
        options["cryptosuite"] = cryptosuite
    if created is not None:
        options["created"] = created
    if expires is not None:
        options["expires"] = expires
    options["verificationMethod"] = verification_method
    options["proofPurpose"] = proof_purpose
    if previous_proof is not None:
        options["previousProof"] = previous_proof
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    if dataintegrity.SUITES[cryptosuite].canonical == "jcs" and "@context" in document:
        options["@context"] = copy.deepcopy(document["@context"])
    return options


def _sign_bytes(private_key: PrivateKey, data: bytes) -> bytes:
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return private_key.sign(data)
    size = (private_key.curve.key_size + 7) // 8
    digest = hashes.SHA384() if size == 48 else hashes.SHA256()
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(digest)))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def make_proof(document: Mapping[str, Any], private_key: PrivateKey, verification_method: str,
               cryptosuite: str, created: str | None = DEFAULT_CREATED, *,
               store: jsonld.ContextStore | None = None, variant: str | None = None,
               **option_args: Any) -> dict[str, Any]:
    """A proof over ``document`` (its own ``proof`` members, if any, are not signed).

    ``variant`` picks the copy of drifting contexts to canonicalize with (tests of
    context drift); the default is the primary copy.
    """
    options = proof_options(document, verification_method, cryptosuite, created, **option_args)
    suite = dataintegrity.SUITES[cryptosuite]
    unsecured = dataintegrity.unsecured_document(document, options)
    data = dataintegrity.hash_data(unsecured, options, suite, private_key.public_key(),
                                   variant=variant, store=store)
    signature = _sign_bytes(private_key, data)
    return {**options, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}


def sign_data_integrity(document: Mapping[str, Any], private_key: PrivateKey,
                        verification_method: str, cryptosuite: str,
                        created: str | None = DEFAULT_CREATED, *,
                        store: jsonld.ContextStore | None = None, variant: str | None = None,
                        **option_args: Any) -> dict[str, Any]:
    """A copy of ``document`` secured with one proof (replacing any existing ``proof``)."""
    unsigned = {k: copy.deepcopy(v) for k, v in document.items() if k != "proof"}
    proof = make_proof(unsigned, private_key, verification_method, cryptosuite, created,
                       store=store, variant=variant, **option_args)
    return {**unsigned, "proof": proof}


def add_proof_set(document: Mapping[str, Any],
                  signers: Iterable[tuple[PrivateKey, str, str]],
                  created: str | None = DEFAULT_CREATED, *,
                  store: jsonld.ContextStore | None = None) -> dict[str, Any]:
    """A copy of ``document`` with independent proofs ``(key, method, suite)`` added.

    Existing proofs are kept; each new proof signs the document without any proof.
    """
    existing = document.get("proof")
    proofs: list[Any] = [] if existing is None else (
        list(existing) if isinstance(existing, list) else [existing])
    unsigned = {k: copy.deepcopy(v) for k, v in document.items() if k != "proof"}
    for private_key, method, suite in signers:
        proofs.append(make_proof(unsigned, private_key, method, suite, created, store=store))
    return {**unsigned, "proof": proofs}
