"""The content-addressed verification cache: hits only when nothing that matters changed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from portfolio_gen.ingest import RawCredential, read_file
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.verify.cache import DB_NAME, CachedVerifier, ReportCache, contexts_digest
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
    for damage in (b"o{broken", b"o{}", b'o{"deps":{},"report":{"source":1}}', b"xyz"):
        with sqlite3.connect(root / DB_NAME) as db:
            assert db.execute("UPDATE entries SET value = ?", (damage,)).rowcount == 1
        again = CachedVerifier(ReportCache(root))
        assert again.verify(raw, ctx(srv)).verdict is Verdict.VERIFIED
        assert (again.hits, again.misses) == (0, 1), damage
    assert CachedVerifier(ReportCache(root)).verify(raw, ctx(srv)).verdict is Verdict.VERIFIED


def test_a_cache_file_that_is_not_a_database_is_no_cache(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential], tmp_path: Path) -> None:
    srv, _, raw = setup
    root = tmp_path / "cache"
    root.mkdir()
    (root / DB_NAME).write_bytes(b"not a database " * 100)
    for _ in range(2):
        cached = CachedVerifier(ReportCache(root))
        assert cached.verify(raw, ctx(srv)).verdict is Verdict.VERIFIED
        assert (cached.hits, cached.misses) == (0, 1)


def test_entries_live_in_one_sqlite_database_in_wal_mode(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential], tmp_path: Path) -> None:
    srv, issuer, raw = setup
    root = tmp_path / "cache"
    cached = CachedVerifier(ReportCache(root))
    cached.verify(raw, ctx(srv))
    other = tmp_path / "other.jws"
    other.write_text(issuer.signed_assertion("s2"))
    [raw2] = read_file(other)
    cached.verify(raw2, ctx(srv))
    assert sorted(p.name for p in root.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        DB_NAME]
    with sqlite3.connect(root / DB_NAME) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM entries WHERE kind = 'item'").fetchone()[0] == 2


def test_values_json_cannot_carry_exactly_are_kept_exact_or_not_stored(tmp_path: Path) -> None:
    cache = ReportCache(tmp_path / "cache")
    big = {"n": 2**70, "m": -(2**64), "u": 2**64 - 1, "s": "\ud800 lone", "f": 0.1}
    cache.put("item", "big", big)
    got = cache.get("item", "big")
    assert got == big and type(got["n"]) is int and type(got["m"]) is int  # type: ignore[index]
    cache.put("item", "nan", {"x": float("nan")})
    assert cache.get("item", "nan") is None


def test_a_custom_context_store_is_keyed_by_its_content_not_its_identity() -> None:
    """Keys used ``id(store)``: another store in another process could share the number."""
    from portfolio_gen.verify.ob3.jsonld import default_store

    def pinned(body: bytes) -> list[tuple[str, bytes, str]]:
        return [("https://example.org/ctx/v1", body, hashlib.sha256(body).hexdigest())]

    store = default_store()
    a = b'{"@context": {"a": "https://example.org/a"}}'
    one = store.extended(pinned(a), source="test")
    two = store.extended(pinned(a), source="test")
    assert one is not two
    assert contexts_digest(one) == contexts_digest(two) != contexts_digest(None)
    changed = store.extended(pinned(b'{"@context": {"a": "https://example.org/b"}}'))
    assert contexts_digest(changed) != contexts_digest(one)


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


def test_prefetched_entries_are_still_revalidated(
        setup: tuple[LoopbackServer, TestIssuer, RawCredential], tmp_path: Path) -> None:
    """A build reads its entries at once; each is still checked against today's documents."""
    import gc

    srv, issuer, raw = setup
    root = tmp_path / "cache"
    CachedVerifier(ReportCache(root)).verify(raw, ctx(srv))
    warm = CachedVerifier(ReportCache(root))
    build = ctx(srv)
    warm.prefetch([raw], build)
    assert gc.isenabled()
    assert warm.verify(raw, build).verdict is Verdict.VERIFIED
    assert (warm.hits, warm.misses) == (1, 0)
    assert raw.document is not None
    issuer.revoke(str(raw.document["id"]), "Issued in error")
    publish(srv, issuer)
    later = CachedVerifier(ReportCache(root))
    build = ctx(srv)
    later.prefetch([raw], build)
    assert later.verify(raw, build).verdict is Verdict.REVOKED
    assert (later.hits, later.misses) == (0, 1)
