"""CLR 2.0 with embedded proofs verifies end to end with the bundled contexts alone.

The CLR 2.0.1 context comes from a PyPI package (scripts/fetch_contexts.py) and is
pinned by SHA-256 in the manifest; nothing is fetched and no caller-supplied context
is needed. The third-party CLR fixtures are checked against the bundle only (not the
conformance set's own context copies) and skip when ../shared/conformance is absent.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.ingest import RawCredential, read_file
from portfolio_gen.ingest.raw import Container, Kind
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.dates import parse_datetime
from portfolio_gen.verify.ob3 import jsonld
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import CheckStatus, Verdict
from tests.conftest import FIXED_NOW

CLR_201 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_201_SHA256 = "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6"
OB2 = "https://w3id.org/openbadges/v2"
BUNDLE = Path(__file__).resolve().parent.parent / "portfolio_gen" / "verify" / "ob3" / "contexts"


def test_manifest_pins_the_published_clr_context() -> None:
    manifest = json.loads((BUNDLE / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["contexts"] if e["url"] == CLR_201)
    assert entry["sha256"] == CLR_201_SHA256
    assert hashlib.sha256((BUNDLE / entry["file"]).read_bytes()).hexdigest() == CLR_201_SHA256
    assert (entry["registry"], entry["package"]) == ("pypi", "openbadgeslib")
    assert CLR_201 in jsonld.default_store().urls() and OB2 in jsonld.default_store().urls()
    assert CLR_201 not in manifest["not_bundled"] and OB2 not in manifest["not_bundled"]


def _clr(issuer: Ob3Issuer, members: list[Any]) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2", CLR_201,
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:clr-di", "type": ["VerifiableCredential", "ClrCredential"],
            "issuer": {"id": issuer.id, "type": ["Profile"], "name": "Registrar"},
            "name": "Transcript", "validFrom": "2025-02-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner", "type": ["ClrSubject"],
                                  "verifiableCredential": members}}


def test_embedded_proof_clr_verifies_with_the_bundle() -> None:
    registrar = Ob3Issuer("Ed25519", "did:key", slot=9, name="Registrar")
    school = Ob3Issuer("P-256", "did:key", slot=8, name="School")
    member = school.sign_di(school.credential(achievement_name="Algebra"))
    clr = registrar.sign_di(_clr(registrar, [member]))
    raw = RawCredential("clr.json", Container.JSON, Kind.OB3_CREDENTIAL,
                        json.dumps(clr).encode(), document=clr)
    report = verify_item(raw, VerifyContext(OfflineFetcher(), FIXED_NOW))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.spec_version == "CLR 2.0 (VCDM 2.0)" and report.family == "clr"
    assert [n.verdict for n in report.nested] == [Verdict.VERIFIED]
    assert [n.family for n in report.nested] == ["ob3"]
    # A CLR-only term (ClrSubject scope) is signed: changing it breaks the proof.
    forged = copy.deepcopy(clr)
    forged["credentialSubject"]["id"] = "did:example:someone-else"
    raw = RawCredential("clr.json", Container.JSON, Kind.OB3_CREDENTIAL,
                        json.dumps(forged).encode(), document=forged)
    assert verify_item(raw, VerifyContext(OfflineFetcher(), FIXED_NOW)).verdict is \
        Verdict.INVALID


@pytest.mark.parametrize("case_id", ["clr20-simple", "spec-vector-clr"])
def test_published_clr_fixtures_verify_with_the_bundle_only(conformance_dir: Path,
                                                           case_id: str) -> None:
    manifest = json.loads((conformance_dir / "manifest.json").read_text(encoding="utf-8"))
    case = next(c for c in manifest["cases"] if c["id"] == case_id)
    assert case["expected"] == "signature-only"
    (item,) = read_file(conformance_dir / case["file"])
    ctx = VerifyContext(OfflineFetcher(), parse_datetime(manifest["reference_time"]))
    report = verify_item(item, ctx)
    signature = next(c for c in report.checks if c.id == "proof.signature")
    assert signature.status is CheckStatus.PASS, report.to_dict()
    assert report.verdict is not Verdict.VERIFIED  # the fragment key is bound to nobody
    for nested in report.nested:
        assert next(c for c in nested.checks if c.id == "proof.signature").status \
            is CheckStatus.PASS
