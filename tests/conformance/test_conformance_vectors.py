"""The ``spec == "vector"`` cases of ../shared/conformance/manifest.json: every proof verifies.

Those cases' expected verdict is ``signature-only`` (no document binds the did:key or
fragment key to the issuer), so the signature sub-result must pass: each proof is
checked with the key the credential itself names. Skips when the set is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.verify import crypto
from portfolio_gen.verify.ob3 import dataintegrity, jsonld
from tests.conftest import SHARED_CONFORMANCE

pytestmark = pytest.mark.conformance

_MANIFEST = SHARED_CONFORMANCE / "manifest.json"


def _vector_ids() -> list[str]:
    if not _MANIFEST.is_file():
        return ["absent"]
    cases = json.loads(_MANIFEST.read_text(encoding="utf-8"))["cases"]
    return [c["id"] for c in cases if c["spec"] == "vector"]


def _named_key(verification_method: str) -> crypto.PublicKey:
    """The key a did:key or ``<url>#<multikey>`` method carries in itself."""
    fragment = verification_method.rsplit("#", 1)[-1]
    return crypto.public_key_from_multikey(fragment.removeprefix("did:key:"))


def _store(conformance_dir: Path, manifest: dict[str, Any]) -> jsonld.ContextStore:
    base = jsonld.default_store()
    extra = [(url, (conformance_dir / e["file"]).read_bytes(), e["sha256"])
             for url, e in manifest["contexts"].items() if url not in base.urls()]
    return base.extended(extra, source="conformance")


@pytest.mark.parametrize("case_id", _vector_ids())
def test_vector_proofs_verify(conformance_dir: Path, case_id: str) -> None:
    manifest = json.loads((conformance_dir / "manifest.json").read_text(encoding="utf-8"))
    case = next(c for c in manifest["cases"] if c["id"] == case_id)
    assert case["expected"] == "signature-only" and case["proof_check"] == "verifies"
    doc = json.loads((conformance_dir / case["file"]).read_text(encoding="utf-8"))
    proofs = doc["proof"] if isinstance(doc["proof"], list) else [doc["proof"]]
    store = _store(conformance_dir, manifest)
    for proof in proofs:
        key = _named_key(proof["verificationMethod"])
        outcome = dataintegrity.verify_proof(doc, proof, key, store=store)
        assert (outcome.status, outcome.code) == ("verified", "verified"), outcome.message
        assert outcome.verification_method == proof["verificationMethod"]
    # The same document with one signed value changed must not verify.
    tampered = json.loads(json.dumps(doc))
    tampered["credentialSubject"]["id"] = "did:example:someone-else"
    for proof in tampered["proof"] if isinstance(tampered["proof"], list) else [tampered["proof"]]:
        outcome = dataintegrity.verify_proof(tampered, proof, _named_key(
            proof["verificationMethod"]), store=store)
        assert outcome.status == "failed", case_id
