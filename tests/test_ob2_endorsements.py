"""OB 2.0 endorsements: verified like hosted assertions, nested under what they endorse.

Real loopback HTTP servers (tests/support/httpserver.py), real issuer documents from
portfolio_gen.testing.ob2; nothing is mocked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio_gen.ingest import RawCredential, read_file
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob2 import verify_ob2
from portfolio_gen.verify.ob2.pins import collect_pin_urls
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def uni(srv: LoopbackServer) -> TestIssuer:
    return TestIssuer(srv.base + "/uni")


@pytest.fixture
def acc(srv: LoopbackServer) -> TestIssuer:
    return TestIssuer(srv.base + "/acc", name="Accreditation Board", slot=1)


def _publish(srv: LoopbackServer, *issuers: TestIssuer) -> None:
    for issuer in issuers:
        for path, body in issuer.documents().items():
            srv.add(path, body)


def _verify(tmp_path: Path, uni: TestIssuer, *servers: LoopbackServer) -> VerificationReport:
    doc = uni.hosted_assertion()
    for route, body in uni.hosted.items():  # the assertion lives on the issuer's server
        servers[0].add(route, body)
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(doc))
    (item,) = read_file(path)
    assert isinstance(item, RawCredential)
    fetcher = GuardedHttpFetcher(allow_hosts=[s.host_port for s in servers])
    return verify_ob2(item, VerifyContext(fetcher, FIXED_NOW))


def _check(report: VerificationReport, check_id: str) -> Check:
    (found,) = [c for c in report.checks if c.id == check_id]
    return found


def test_badge_and_issuer_endorsements_are_verified_and_attached(
        srv: LoopbackServer, uni: TestIssuer, acc: TestIssuer, tmp_path: Path) -> None:
    of_badge = acc.endorsement("e1", uni.badge_url, "Meets the national robotics standard.")
    of_issuer = acc.endorsement("e2", uni.issuer_url, "An accredited institution.")
    uni.badge_extra["endorsement"] = [of_badge["id"]]
    uni.profile_extra["endorsement"] = of_issuer  # embedded copy: only its URL is used
    _publish(srv, uni, acc)
    report = _verify(tmp_path, uni, srv)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert [n.source.rsplit("#", 1)[1] for n in report.nested] == [
        "badge.endorsement[0]", "badge.issuer.endorsement[0]"]
    assert [n.verdict for n in report.nested] == [Verdict.VERIFIED, Verdict.VERIFIED]
    first = report.nested[0]
    assert first.issuer.name == "Accreditation Board" and first.issuer.id == acc.issuer_url
    assert first.document is not None
    assert first.document["claim"]["endorsementComment"] == "Meets the national robotics standard."
    assert _check(first, "endorsement.claim").status is CheckStatus.PASS
    assert _check(first, "hosted.scope").status is CheckStatus.PASS
    summary = _check(report, "endorsements")
    assert (summary.status, summary.details["verified"]) == (CheckStatus.PASS, 2)
    assert acc.url("/endorsements/e1.json") in collect_pin_urls(
        read_file(tmp_path / "badge.json")[0],  # type: ignore[arg-type]
        GuardedHttpFetcher(allow_hosts=[srv.host_port]))


def test_endorsement_of_something_else_is_invalid(srv: LoopbackServer, uni: TestIssuer,
                                                  acc: TestIssuer, tmp_path: Path) -> None:
    other = acc.endorsement("e1", "https://elsewhere.example/badge.json")
    uni.badge_extra["endorsement"] = [other["id"]]
    _publish(srv, uni, acc)
    report = _verify(tmp_path, uni, srv)
    assert report.verdict is Verdict.VERIFIED  # the badge itself is unaffected
    (nested,) = report.nested
    assert nested.verdict is Verdict.INVALID
    assert _check(nested, "endorsement.claim").code == "claim_elsewhere"
    assert _check(report, "endorsements").status is CheckStatus.WARN


def test_revoked_endorsement(srv: LoopbackServer, uni: TestIssuer, acc: TestIssuer,
                             tmp_path: Path) -> None:
    gone = acc.endorsement("e1", uni.badge_url)
    uni.badge_extra["endorsement"] = [gone["id"]]
    _publish(srv, uni, acc)
    srv.add(acc.path(gone["id"]), {"id": gone["id"], "revoked": True}, status=410)
    report = _verify(tmp_path, uni, srv)
    assert [n.verdict for n in report.nested] == [Verdict.REVOKED]
    assert report.verdict is Verdict.VERIFIED


def test_embedded_copy_is_not_trusted(srv: LoopbackServer, uni: TestIssuer, acc: TestIssuer,
                                      tmp_path: Path) -> None:
    real = acc.endorsement("e1", uni.badge_url, "Adequate.")
    forged = {**real, "claim": {"id": uni.badge_url, "endorsementComment": "World class!"}}
    uni.badge_extra["endorsement"] = [forged]
    _publish(srv, uni, acc)
    (nested,) = _verify(tmp_path, uni, srv).nested
    assert nested.verdict is Verdict.VERIFIED
    assert nested.document is not None
    assert nested.document["claim"]["endorsementComment"] == "Adequate."
    assert _check(nested, "hosted.local_copy").code == "differs"


def test_endorsement_hosted_outside_the_endorsers_origin(uni: TestIssuer, srv: LoopbackServer,
                                                         tmp_path: Path) -> None:
    # A forger hosts an "endorsement" naming a reputable endorser on the forger's own server.
    with LoopbackServer() as evil_srv:
        board = TestIssuer(srv.base + "/board", name="Reputable Board", slot=2)
        forger = TestIssuer(evil_srv.base + "/x", slot=3)
        fake = forger.endorsement("e1", uni.badge_url, "Outstanding.", issuer=board.issuer_url)
        uni.badge_extra["endorsement"] = [fake["id"]]
        _publish(srv, uni, board)
        _publish(evil_srv, forger)
        (nested,) = _verify(tmp_path, uni, srv, evil_srv).nested
    assert nested.verdict is Verdict.INVALID
    assert _check(nested, "hosted.scope").code == "origin_not_allowed"


def test_forged_badge_endorsements_are_not_chased(srv: LoopbackServer, uni: TestIssuer,
                                                  acc: TestIssuer, tmp_path: Path) -> None:
    uni.badge_extra["endorsement"] = [acc.endorsement("e1", uni.badge_url)["id"]]
    # An issuer that cannot be fetched from its own id: nothing proves who issued the badge
    # (a missing name would only be a conformance warning, which leaves it verified).
    uni.badge_extra["issuer"] = "urn:uuid:4f6e8a0c-0000-4000-8000-000000000000"
    _publish(srv, uni, acc)
    report = _verify(tmp_path, uni, srv)
    assert report.verdict is Verdict.UNVERIFIABLE, report.to_dict()
    assert report.nested == () and not [c for c in report.checks if c.id == "endorsements"]
