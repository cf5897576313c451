"""The report's ``family`` (issue #12: plain W3C VCs are "reported with format vc").

``format`` stays the container the credential came in (json, jws, png, svg); ``family``
says what kind of credential it is (``ob2``, ``ob3``, ``clr``, ``vc``) in ``verify --json``
and survives the verification cache's JSON round trip. Real credentials from the test
issuers, an OB 2.0 issuer on a real loopback server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from portfolio_gen.cli import main
from portfolio_gen.ingest import read_file
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.testing.bake import bake_png, make_png
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report_json import report_from_dict, report_to_cache_dict
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer

NOW = "2026-06-01T12:00:00Z"
VC_V2 = "https://www.w3.org/ns/credentials/v2"


def _plain_vc(issuer: Ob3Issuer) -> dict[str, Any]:
    return issuer.sign_di({
        "@context": [VC_V2], "type": ["VerifiableCredential"],
        "id": "urn:uuid:0c3f9a52-8f0e-4f7e-9a51-1a2b3c4d5e6f",
        "issuer": {"id": issuer.id, "name": "Example Employer"},
        "validFrom": "2026-01-01T00:00:00Z", "name": "Employment record",
        "credentialSubject": {"id": "did:example:learner", "name": "Ada Lovelace"}})


def _badges(folder: Path, ob2: TestIssuer) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    folder.mkdir()
    (folder / "a-plain-vc.json").write_text(json.dumps(_plain_vc(issuer)))
    (folder / "b-badge.jwt").write_text(issuer.sign_jwt(issuer.credential()))
    baked = bake_png(make_png(), json.dumps(issuer.sign_di(issuer.credential())),
                     keyword="openbadgecredential")
    (folder / "c-baked.png").write_bytes(baked)
    (folder / "d-ob2.jws").write_text(ob2.signed_assertion("s1"))
    (folder / "e-broken.json").write_text('{"@context": ')


def test_verify_json_names_the_family_beside_the_container(tmp_path: Path) -> None:
    with LoopbackServer() as srv:
        ob2 = TestIssuer(srv.base + "/uni")
        for path, body in ob2.documents().items():
            srv.add(path, body)
        _badges(tmp_path / "badges", ob2)
        result = CliRunner().invoke(main, ["verify", "--json", "--no-cache", "--now", NOW,
                                           "--allow-host", srv.host_port,
                                           str(tmp_path / "badges")])
    reports = {Path(r["source"]).name: r for r in json.loads(result.stdout)}
    got = {name: (r["format"], r["family"], r["verdict"]) for name, r in reports.items()}
    assert got == {"a-plain-vc.json": ("json", "vc", "verified"),
                   "b-badge.jwt": ("jws", "ob3", "verified"),
                   "c-baked.png": ("png", "ob3", "verified"),
                   "d-ob2.jws": ("jws", "ob2", "verified"),
                   "e-broken.json": ("json", None, "invalid")}, result.stdout


def test_family_survives_the_cache_round_trip(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    endorser = Ob3Issuer("P-256", "did:key", slot=3, name="Endorser")
    badge = issuer.credential()
    badge["endorsement"] = [endorser.sign_di(endorser.endorsement(badge["id"]))]
    (tmp_path / "vc.json").write_text(json.dumps(_plain_vc(issuer)))
    (tmp_path / "badge.json").write_text(json.dumps(issuer.sign_di(badge)))
    ctx = VerifyContext(OfflineFetcher(), FIXED_NOW)
    for name, family in (("vc.json", "vc"), ("badge.json", "ob3")):
        [item] = read_file(tmp_path / name)
        report = verify_item(item, ctx)
        assert report.family == family, report.to_dict()
        again = report_from_dict(json.loads(json.dumps(report_to_cache_dict(report))))
        assert again == report and again.family == family
        assert [n.family for n in again.nested] == [n.family for n in report.nested]
    assert [n.family for n in report.nested] == ["ob3"]  # an OB 3.0 EndorsementCredential
