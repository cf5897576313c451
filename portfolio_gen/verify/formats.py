"""What this verifier accepts, for ``portfolio-gen --version`` (read from the verifiers'
own tables, so the list cannot drift from what is checked)."""

from __future__ import annotations

from portfolio_gen.verify.ob3.dataintegrity import ED25519_2020, SUITES
from portfolio_gen.verify.ob3.jwt import ACCEPTED_ALGS


def supported_formats() -> list[str]:
    """One line per family of credential this version verifies."""
    suites = ", ".join(sorted(s for s in SUITES if s != ED25519_2020))
    algs = ", ".join(sorted(ACCEPTED_ALGS))
    return [
        "Open Badges 2.0: hosted and signed (JWS) assertions; baked PNG and SVG",
        f"Open Badges 3.0 / CLR 2.0: Data Integrity ({suites}; {ED25519_2020}), "
        f"VC-JWT ({algs}); baked PNG and SVG",
        "Verifiable Presentations (wallet exports): each credential, and the holder's proof",
        "Issuer keys: did:key, did:jwk, did:web, HTTPS controller documents",
        "Status: Bitstring Status List, StatusList2021, 1EdTech Revocation List; "
        "OB 2.0 revocationList",
    ]
