"""Data Integrity verification speed per suite: prints verifications per second.

"first" is the first credential verified in a fresh context store (contexts loaded,
hash-checked and processed by pyld); "warm" is the steady state over distinct
credentials (no per-document caching exists, only processed contexts are reused).
Run: ``python benchmarks/ob3_proofs.py [--n 300]``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from portfolio_gen.testing import ob3_sign
from portfolio_gen.verify.ob3 import dataintegrity, jsonld

VC2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ED_CTX = "https://w3id.org/security/suites/ed25519-2020/v1"


def credential(i: int, suite: str) -> dict[str, Any]:
    ctx = [VC2, OB303] + ([ED_CTX] if suite == "Ed25519Signature2020" else [])
    return {
        "@context": ctx, "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": f"Badge {i}",
        "issuer": {"id": "https://example.edu/issuers/1", "type": ["Profile"],
                   "name": "Example University"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": f"did:example:learner{i}", "type": ["AchievementSubject"],
            "achievement": {"id": f"https://example.edu/achievements/{i}",
                            "type": ["Achievement"], "name": f"Skill {i}",
                            "description": "Demonstrated the skill.",
                            "criteria": {"narrative": "Completed the project."}},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    ed, p256, p384 = (ed25519.Ed25519PrivateKey.generate(), ec.generate_private_key(ec.SECP256R1()),
                      ec.generate_private_key(ec.SECP384R1()))
    suites = [("eddsa-rdfc-2022", ed), ("Ed25519Signature2020", ed), ("eddsa-jcs-2022", ed),
              ("ecdsa-rdfc-2019", p256), ("ecdsa-rdfc-2019", p384), ("ecdsa-jcs-2019", p256),
              ("ecdsa-jcs-2019", p384)]
    print(f"{'suite':32} {'first ms':>9} {'warm ms':>8} {'warm /s':>8}")
    for suite, key in suites:
        store = jsonld.ContextStore.from_directory(jsonld.BUNDLE_DIR)  # cold caches
        docs = [ob3_sign.sign_data_integrity(credential(i, suite), key, "did:key:z#z", suite,
                                             store=store) for i in range(args.n + 1)]
        store = jsonld.ContextStore.from_directory(jsonld.BUNDLE_DIR)  # cold again
        pub = key.public_key()
        t0 = time.perf_counter()
        first = dataintegrity.verify_proof(docs[0], docs[0]["proof"], pub, store=store)
        t1 = time.perf_counter()
        for doc in docs[1:]:
            out = dataintegrity.verify_proof(doc, doc["proof"], pub, store=store)
            assert out.status == "verified", out
        t2 = time.perf_counter()
        assert first.status == "verified"
        warm = (t2 - t1) / args.n
        curve = f" {key.curve.name}" if isinstance(key, ec.EllipticCurvePrivateKey) else ""
        print(f"{suite + curve:32} {(t1 - t0) * 1e3:9.2f} {warm * 1e3:8.3f} {1 / warm:8.0f}")


if __name__ == "__main__":
    main()
