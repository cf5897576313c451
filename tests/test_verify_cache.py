"""The content-addressed verification cache: hits only when nothing that matters changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from portfolio_gen.ingest import RawCredential, read_file
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.verify.cache import CachedVerifier, ReportCache
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import Verdict
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[LoopbackServer, TestIssuer, RawCredential]]:
    with LoopbackServer() as srv:
        issuer = TestIssuer(srv.base + "/uni")
        path = tmp_path / "badge.jws"
        path.write_text(issuer.signed_assertion("s1"))
        publish(srv, issuer)
        [raw] = read_file(path)
        assert isinstance(raw, RawCredential)
        yield srv, issuer, raw


def publish(srv: LoopbackServer, issuer: TestIssuer) -> None:
    for path, body in issuer.documents().items():
        srv.add(path, body)


def ctx(srv: LoopbackServer, **kw: object) -> VerifyContext:
    # A fresh fetcher per build, as each build has: no memo carries over between runs.
    return VerifyContext(GuardedHttpFetcher(allow_hosts=[srv.host_port]),
                         kw.get("now", FIXED_NOW),  # type: ignore[arg-type]
                         VerifyOptions(identities=("learner@example.org",)))


def test_second_verification_is_a_hit_with_the_same_report(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential], tmp_path: Path) -> None:
    srv, _, raw = setup
    cached = CachedVerifier(ReportCache(tmp_path / "cache"))
    first = cached.verify(raw, ctx(srv))
    second = CachedVerifier(ReportCache(tmp_path / "cache")).verify(raw, ctx(srv))
    assert first.verdict is Verdict.VERIFIED
    assert (cached.hits, cached.misses) == (0, 1)
    assert json.dumps(second.to_dict()) == json.dumps(first.to_dict())
    assert second.document == first.document and second.related == first.related
    fresh = verify_item(raw, ctx(srv))  # live fetch times differ; the checks do not
    assert [(c.id, c.status, c.code) for c in fresh.checks] == [
        (c.id, c.status, c.code) for c in second.checks]


def test_a_revocation_published_later_is_never_hidden_by_the_cache(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential], tmp_path: Path) -> None:
    srv, issuer, raw = setup
    cached = CachedVerifier(ReportCache(tmp_path / "cache"))
    assert cached.verify(raw, ctx(srv)).verdict is Verdict.VERIFIED
    assert raw.document is not None
    issuer.revoke(str(raw.document["id"]), "Issued in error")
    publish(srv, issuer)
    report = cached.verify(raw, ctx(srv))
    assert report.verdict is Verdict.REVOKED
    assert (cached.hits, cached.misses) == (0, 2)


def test_a_changed_key_document_is_a_miss(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential], tmp_path: Path) -> None:
    srv, issuer, raw = setup
    cached = CachedVerifier(ReportCache(None))
    assert cached.verify(raw, ctx(srv)).verdict is Verdict.VERIFIED
    issuer.key_extra = {"owner": "https://someone-else.example/issuer.json"}
    publish(srv, issuer)
    assert cached.verify(raw, ctx(srv)).verdict is Verdict.INVALID
    assert cached.misses == 2


def test_another_instant_or_another_file_is_a_miss(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential], tmp_path: Path) -> None:
    srv, issuer, raw = setup
    cached = CachedVerifier(ReportCache(None))
    cached.verify(raw, ctx(srv))
    cached.verify(raw, ctx(srv, now=FIXED_NOW + timedelta(days=1)))
    other = tmp_path / "other.jws"
    other.write_text(issuer.signed_assertion("s2"))
    [raw2] = read_file(other)
    cached.verify(raw2, ctx(srv))
    assert (cached.hits, cached.misses) == (0, 3)
    cached.verify(raw, ctx(srv))
    assert cached.hits == 1


def test_a_damaged_entry_is_a_miss_not_an_error(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential], tmp_path: Path) -> None:
    srv, _, raw = setup
    root = tmp_path / "cache"
    CachedVerifier(ReportCache(root)).verify(raw, ctx(srv))
    for entry in root.rglob("*.json"):
        entry.write_text("{broken")
    again = CachedVerifier(ReportCache(root))
    assert again.verify(raw, ctx(srv)).verdict is Verdict.VERIFIED
    assert (again.hits, again.misses) == (0, 1)


def test_strictness_is_part_of_the_key(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential]) -> None:
    """A default-mode report (conformance warnings) is never served to a --strict run."""
    srv, _, raw = setup
    cached = CachedVerifier(ReportCache(None))
    cached.verify(raw, ctx(srv))
    strict = VerifyContext(GuardedHttpFetcher(allow_hosts=[srv.host_port]), FIXED_NOW,
                           VerifyOptions(identities=("learner@example.org",), strict=True))
    cached.verify(raw, strict)
    assert (cached.hits, cached.misses) == (0, 2)
