"""OB 2.0 hosted verification against a real loopback HTTP server (verification.md §1.2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio_gen.ingest import Container, Kind, RawCredential, read_file
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import StaticFetcher
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.ob2 import verify_ob2
from portfolio_gen.verify.report import CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def issuer(srv: LoopbackServer) -> TestIssuer:
    return TestIssuer(srv.base + "/uni")


def publish(srv: LoopbackServer, issuer: TestIssuer) -> None:
    for path, body in issuer.documents().items():
        srv.add(path, body)


def ctx_for(*servers: LoopbackServer, identities: tuple[str, ...] = (),
            strict: bool = False) -> VerifyContext:
    fetcher = GuardedHttpFetcher(allow_hosts=[s.host_port for s in servers])
    return VerifyContext(fetcher, FIXED_NOW, VerifyOptions(identities, strict))


def ingest(tmp_path: Path, name: str, data: bytes | str) -> RawCredential:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    items = read_file(path)
    assert len(items) == 1 and isinstance(items[0], RawCredential), items
    return items[0]


def check(report: VerificationReport, check_id: str) -> tuple[CheckStatus, str]:
    found = [c for c in report.checks if c.id == check_id]
    assert len(found) == 1, (check_id, [c.id for c in report.checks])
    return found[0].status, found[0].code


def verify_hosted(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path,
                  doc: dict[str, object], **ctx_kw: object) -> VerificationReport:
    publish(srv, issuer)
    raw = ingest(tmp_path, "badge.json", json.dumps(doc))
    return verify_ob2(raw, ctx_for(srv, **ctx_kw))  # type: ignore[arg-type]


def test_valid_hosted_badge_is_verified(srv: LoopbackServer, issuer: TestIssuer,
                                        tmp_path: Path) -> None:
    doc = issuer.hosted_assertion("a1")
    report = verify_hosted(srv, issuer, tmp_path, doc)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert check(report, "hosted.fetch") == (CheckStatus.PASS, "fetched")
    assert check(report, "hosted.scope")[0] is CheckStatus.PASS
    assert check(report, "hosted.local_copy") == (CheckStatus.PASS, "same")
    assert report.spec_version == "2.0" and report.format == "json" and report.family == "ob2"
    assert report.credential_id == doc["id"]
    assert report.issuer.id == issuer.issuer_url and report.issuer.name == "Test University"
    assert report.achievement_name == "Robotics Fundamentals"
    assert report.related["badge"]["id"] == issuer.badge_url
    assert report.document is not None and report.document["id"] == doc["id"]
    assert report.checked_at == FIXED_NOW
    fetched = [path for path, _ in srv.requests]
    assert fetched == ["/uni/assertions/a1.json", "/uni/badge.json", "/uni/issuer.json",
                       "/uni/revocations.json"]
    assert check(report, "status.revocation") == (CheckStatus.PASS, "not_revoked")


def test_only_the_hosted_document_is_trusted(srv: LoopbackServer, issuer: TestIssuer,
                                             tmp_path: Path) -> None:
    hosted = issuer.hosted_assertion("a1", issued_on="2019-01-01T00:00:00Z",
                                     expires="2020-01-01T00:00:00Z")
    local = dict(hosted)
    local.pop("expires")  # a doctored local copy that drops the (past) expiry
    report = verify_hosted(srv, issuer, tmp_path, local)
    assert report.verdict is Verdict.EXPIRED
    assert check(report, "hosted.local_copy") == (CheckStatus.WARN, "differs")


def test_gone_410_is_revoked(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path) -> None:
    doc = issuer.hosted_assertion("a1")
    publish(srv, issuer)
    srv.add("/uni/assertions/a1.json", b"gone", status=410, content_type="text/plain")
    report = verify_ob2(ingest(tmp_path, "b.json", json.dumps(doc)), ctx_for(srv))
    assert report.verdict is Verdict.REVOKED
    assert check(report, "hosted.revoked") == (CheckStatus.FAIL, "gone")
    assert "revoked" in report.reason


def test_revoked_true_is_revoked_with_reason(srv: LoopbackServer, issuer: TestIssuer,
                                             tmp_path: Path) -> None:
    doc = issuer.hosted_assertion("a1")
    publish(srv, issuer)
    srv.add("/uni/assertions/a1.json", {"id": doc["id"], "revoked": True,
                                        "revocationReason": "Awarded in error"})
    report = verify_ob2(ingest(tmp_path, "b.json", json.dumps(doc)), ctx_for(srv))
    assert report.verdict is Verdict.REVOKED
    assert "Awarded in error" in report.reason


def test_missing_hosted_assertion_is_unverifiable(srv: LoopbackServer, issuer: TestIssuer,
                                                  tmp_path: Path) -> None:
    doc = issuer.hosted_assertion("a1")
    issuer.hosted.clear()
    report = verify_hosted(srv, issuer, tmp_path, doc)
    assert report.verdict is Verdict.UNVERIFIABLE
    assert check(report, "hosted.fetch") == (CheckStatus.WARN, "http_404")


def test_hosted_document_with_other_id_is_invalid(srv: LoopbackServer, issuer: TestIssuer,
                                                  tmp_path: Path) -> None:
    doc = issuer.hosted_assertion("a1")
    other = dict(doc, id=issuer.url("/assertions/other.json"))
    publish(srv, issuer)
    srv.add("/uni/assertions/a1.json", other)
    report = verify_ob2(ingest(tmp_path, "b.json", json.dumps(doc)), ctx_for(srv))
    assert report.verdict is Verdict.INVALID
    assert check(report, "hosted.fetch") == (CheckStatus.FAIL, "id_mismatch")


def test_assertion_hosted_outside_issuer_origin_is_invalid(tmp_path: Path) -> None:
    with LoopbackServer() as home, LoopbackServer() as forger:
        real = TestIssuer(home.base + "/uni")
        publish(home, real)
        fake = TestIssuer(forger.base + "/x")
        doc = fake.assertion(fake.url("/a.json"), verification={"type": "HostedBadge"})
        doc["badge"] = real.badge_url  # someone else's BadgeClass, hosted on the forger's server
        forger.add("/x/a.json", doc)
        report = verify_ob2(ingest(tmp_path, "b.json", json.dumps(doc)), ctx_for(home, forger))
    assert report.verdict is Verdict.INVALID
    assert check(report, "hosted.scope") == (CheckStatus.FAIL, "origin_not_allowed")


@pytest.mark.parametrize(("policy", "verdict"), [
    ({"startsWith": "{base}/uni/assertions/"}, Verdict.VERIFIED),
    ({"startsWith": ["{base}/elsewhere/", "{base}/uni/"]}, Verdict.VERIFIED),
    ({"startsWith": "{base}/elsewhere/"}, Verdict.INVALID),
    ({"allowedOrigins": "badges.example.org"}, Verdict.INVALID),
    ({"allowedOrigins": ["badges.example.org", "{hostport}"]}, Verdict.VERIFIED),
])
def test_issuer_verification_policy(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path,
                                    policy: dict[str, object], verdict: Verdict) -> None:
    def fill(value: object) -> object:
        if isinstance(value, list):
            return [fill(v) for v in value]
        return str(value).format(base=srv.base, hostport=srv.host_port)

    issuer.profile_extra["verification"] = {k: fill(v) for k, v in policy.items()}
    report = verify_hosted(srv, issuer, tmp_path, issuer.hosted_assertion("a1"))
    assert report.verdict is verdict, report.to_dict()


def test_expired_and_future_issued(srv: LoopbackServer, issuer: TestIssuer,
                                   tmp_path: Path) -> None:
    expired = issuer.hosted_assertion("old", expires="2026-05-01T00:00:00Z")
    future = issuer.hosted_assertion("new", issued_on="2026-07-01T00:00:00Z")
    assert verify_hosted(srv, issuer, tmp_path, expired).verdict is Verdict.EXPIRED
    report = verify_hosted(srv, issuer, tmp_path, future)
    assert report.verdict is Verdict.INVALID
    assert check(report, "validity.not_before") == (CheckStatus.FAIL, "issued_in_future")


@pytest.mark.parametrize(("identities", "strict", "status", "verdict"), [
    (("learner@example.org",), False, CheckStatus.PASS, Verdict.VERIFIED),
    (("LEARNER@example.org",), False, CheckStatus.PASS, Verdict.VERIFIED),
    (("someone@example.org",), False, CheckStatus.WARN, Verdict.VERIFIED),
    (("someone@example.org",), True, CheckStatus.FAIL, Verdict.INVALID),
    ((), False, CheckStatus.SKIP, Verdict.VERIFIED),
])
def test_hashed_recipient(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path,
                          identities: tuple[str, ...], strict: bool, status: CheckStatus,
                          verdict: Verdict) -> None:
    doc = issuer.hosted_assertion("a1", recipient="learner@example.org", salt="pepper")
    report = verify_hosted(srv, issuer, tmp_path, doc, identities=identities, strict=strict)
    assert check(report, "recipient.identifier")[0] is status
    assert report.verdict is verdict
    assert "learner@example.org" not in json.dumps(report.to_dict()["checks"])


def test_issuer_unreachable_is_unverifiable(srv: LoopbackServer, issuer: TestIssuer,
                                            tmp_path: Path) -> None:
    with LoopbackServer() as gone:
        dead_url = gone.url("/issuer.json")
        dead_hostport = gone.host_port
    issuer.badge_extra["issuer"] = dead_url  # that port is closed now
    publish(srv, issuer)
    doc = issuer.hosted_assertion("a1")
    publish(srv, issuer)
    fetcher = GuardedHttpFetcher(allow_hosts=[srv.host_port, dead_hostport],
                                 connect_timeout=2.0)
    report = verify_ob2(ingest(tmp_path, "b.json", json.dumps(doc)),
                        VerifyContext(fetcher, FIXED_NOW))
    assert report.verdict is Verdict.UNVERIFIABLE
    status, _ = check(report, "issuer.fetch")
    assert status is CheckStatus.WARN
    assert dead_url in report.reason


def test_stored_copies_are_named_with_their_date(issuer: TestIssuer, tmp_path: Path) -> None:
    static = TestIssuer("https://badges.example.org/uni")
    doc = static.hosted_assertion("a1")
    when = FIXED_NOW.replace(month=1)
    ctx = VerifyContext(StaticFetcher(static.url_map(), fetched_at=when), FIXED_NOW)
    report = verify_ob2(ingest(tmp_path, "b.json", json.dumps(doc)), ctx)
    assert report.verdict is Verdict.VERIFIED
    fetch = next(c for c in report.checks if c.id == "hosted.fetch")
    assert "stored copy from 2026-01-01T12:00:00Z" in fetch.message
    assert fetch.details["origin"] == "static"


def test_hosted_url_only_is_fetched(srv: LoopbackServer, issuer: TestIssuer,
                                    tmp_path: Path) -> None:
    doc = issuer.hosted_assertion("a1")
    publish(srv, issuer)
    raw = ingest(tmp_path, "badge.url", f"[InternetShortcut]\nURL={doc['id']}\n")
    report = verify_ob2(raw, ctx_for(srv))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert not any(c.id == "hosted.local_copy" for c in report.checks)


def test_ob1_hosted_assertion_with_uid_and_verify_url(tmp_path: Path) -> None:
    base = "https://old.example.org"
    assertion = {"uid": "abc123", "recipient": {"type": "email", "hashed": False,
                                                "identity": "learner@example.org"},
                 "badge": f"{base}/badge.json", "issuedOn": "2013-06-01",
                 "verify": {"type": "hosted", "url": f"{base}/assertions/abc123.json"}}
    badge = {"name": "Old badge", "description": "From 2013.", "image": f"{base}/b.png",
             "criteria": f"{base}/criteria", "issuer": f"{base}/org.json"}
    org = {"name": "Old Org", "url": base}
    docs = {f"{base}/assertions/abc123.json": json.dumps(assertion).encode(),
            f"{base}/badge.json": json.dumps(badge).encode(),
            f"{base}/org.json": json.dumps(org).encode()}
    raw = RawCredential("old.json", Container.JSON, Kind.OB2_ASSERTION,
                        json.dumps(assertion).encode(), document=assertion)
    ctx = VerifyContext(StaticFetcher(docs), FIXED_NOW, VerifyOptions(("learner@example.org",)))
    report = verify_ob2(raw, ctx)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.spec_version == "1.x"
    assert check(report, "recipient.identifier")[0] is CheckStatus.PASS
    docs[f"{base}/assertions/abc123.json"] = json.dumps(
        dict(assertion, verify={"type": "hosted", "url": f"{base}/other.json"})).encode()
    assert verify_ob2(raw, VerifyContext(StaticFetcher(docs), FIXED_NOW)).verdict is \
        Verdict.INVALID
