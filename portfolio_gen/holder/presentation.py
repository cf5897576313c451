"""``presentation.json``: a Verifiable Presentation of the portfolio's credentials, signed by
the learner's holder key, and our own check of it.

Why: it proves the person who controls the portfolio holds the credentials (the issuer's
proofs say who earned them; this proof says who presents them, for which site and when).
Data Integrity ``eddsa-jcs-2022``, ``proofPurpose: authentication``, ``domain`` = the
site's address, ``challenge`` = the build time. Credentials go in exactly as found: JSON
credentials as parsed from their original bytes, VC-JWTs as their compact strings inside
an ``EnvelopedVerifiableCredential`` (VCDM 2.0). Any VC verifier can check the result.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import base58

from portfolio_gen.errors import BadInput, KeyDecodeError
from portfolio_gen.holder.key import HolderKey
from portfolio_gen.ingest.jsontext import parse_json_object
from portfolio_gen.verify import crypto
from portfolio_gen.verify.checks import PRESENTATION_PROOF
from portfolio_gen.verify.ob3 import dataintegrity
from portfolio_gen.verify.report import Check, CheckStatus, failed, passed

SUITE = "eddsa-jcs-2022"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
FILE_NAME = "presentation.json"


@dataclass(frozen=True)
class Embedded:
    """One credential to present: ``json`` (parsed from its bytes) or ``jwt`` (compact)."""

    json: Mapping[str, Any] | None = None
    jwt: str | None = None


def embedded_entry(item: Embedded) -> Any:
    if item.jwt is not None:
        return {"@context": VC_V2, "type": "EnvelopedVerifiableCredential",
                "id": "data:application/vc+jwt," + item.jwt}
    return item.json


def sign_presentation(items: Sequence[Embedded], key: HolderKey, *, domain: str,
                      challenge: str) -> dict[str, Any]:
    """The presentation of ``items`` with one authentication proof by ``key``."""
    vp: dict[str, Any] = {
        "@context": [VC_V2],
        "type": ["VerifiablePresentation"],
        "holder": key.did,
        "verifiableCredential": [embedded_entry(i) for i in items],
    }
    options = {"type": "DataIntegrityProof", "cryptosuite": SUITE, "created": challenge,
               "verificationMethod": key.verification_method, "proofPurpose": "authentication",
               "challenge": challenge, "domain": domain, "@context": [VC_V2]}
    public = crypto.ed25519_public_from_seed(key.seed)
    data = dataintegrity.hash_data(vp, options, dataintegrity.SUITES[SUITE], public)
    proof = {**options, "proofValue": "z" + base58.b58encode(key.sign(data)).decode("ascii")}
    return {**vp, "proof": proof}


def presentation_bytes(vp: Mapping[str, Any]) -> bytes:
    return (json.dumps(vp, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def verify_presentation(data: bytes, *, holder: str, domain: str, challenge: str) -> Check:
    """Our check of a published presentation: its one proof verifies with ``holder``'s key,
    for ``authentication``, bound to ``domain`` and ``challenge``."""
    try:
        vp = parse_json_object(data, "presentation")
    except BadInput as exc:
        return failed(PRESENTATION_PROOF, exc.code, str(exc))
    if vp.get("holder") != holder:
        return failed(PRESENTATION_PROOF, "wrong_holder", "The presentation names another holder.")
    proof = vp.get("proof")
    if not isinstance(proof, Mapping):
        return failed(PRESENTATION_PROOF, "no_proof",
                      "The presentation has no single proof object.")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or method.partition("#")[0] != holder \
            or not holder.startswith("did:key:z"):
        return failed(PRESENTATION_PROOF, "wrong_key",
                      "The proof is not made with the holder's did:key.")
    if proof.get("challenge") != challenge or proof.get("domain") != domain:
        return failed(PRESENTATION_PROOF, "wrong_binding",
                      "The proof's challenge or domain is not this "
                      "build's.")
    try:
        key = crypto.public_key_from_multikey(holder.removeprefix("did:key:"))
    except KeyDecodeError as exc:
        return failed(PRESENTATION_PROOF, "bad_key", f"The holder's did:key is malformed ({exc}).")
    if method.partition("#")[2] != holder.removeprefix("did:key:"):
        return failed(PRESENTATION_PROOF, "wrong_key", "The proof names another key of the holder.")
    outcome = dataintegrity.verify_proof(vp, proof, key, purpose="authentication")
    if outcome.status != "verified":
        return failed(PRESENTATION_PROOF, outcome.code, outcome.message)
    wallet = _wallet_check(vp, data, holder, challenge)
    if wallet is not None:
        return wallet
    return passed(PRESENTATION_PROOF, "verified",
                  "The presentation's authentication proof verifies with "
                  "the holder's key.", credentials=len(vp.get("verifiableCredential") or []))


def _wallet_check(vp: Mapping[str, Any], data: bytes, holder: str,
                  challenge: str) -> Check | None:
    """The verifier wallet exports go through (``verify/ob3/presentation.py``) must prove the
    same holder from the same bytes; None when it does, else why not. Offline: a did:key
    needs no document."""
    from datetime import UTC, datetime

    from portfolio_gen.ingest.raw import PresentationRef
    from portfolio_gen.net.static import OfflineFetcher
    from portfolio_gen.verify.context import VerifyContext, VerifyOptions
    from portfolio_gen.verify.ob3.presentation import check_holder

    count = len(vp.get("verifiableCredential") or [])
    ref = PresentationRef(FILE_NAME, 0, max(count, 1), vp, data)
    try:   # judged at the build time the challenge names (reproducible)
        when = datetime.fromisoformat(challenge.replace("Z", "+00:00"))
    except ValueError:
        return failed(PRESENTATION_PROOF, "bad_challenge", "The challenge is not the build time.")
    check = check_holder(ref, VerifyContext(OfflineFetcher(), when.astimezone(UTC),
                                            VerifyOptions()))
    if check.status is CheckStatus.PASS and check.details.get("holder") == holder:
        return None
    return failed(PRESENTATION_PROOF, "holder_not_proven",
                  f"The wallet-export verifier does not prove "
                  f"the holder: {check.message}")
