"""Pins, cache and the online/offline policy, against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.errors import ConfigError
from portfolio_gen.net.fetch import FetchError, FetchResult
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.store import (
    INDEX,
    DiskCache,
    LayeredFetcher,
    PinStore,
    default_cache_dir,
    make_fetcher,
    pin_urls,
)
from tests.support.httpserver import LoopbackServer, Route

PINNED_AT = datetime(2026, 11, 1, 10, 0, 0, tzinfo=UTC)
CACHED_AT = datetime(2026, 12, 24, 8, 30, 0, tzinfo=UTC)


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any connection attempt is recorded and fails: proves a code path stays offline."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kw: Any) -> Any:
        attempts.append(args)
        raise AssertionError("offline code tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def live_for(srv: LoopbackServer, at: datetime | None = None) -> GuardedHttpFetcher:
    if at is None:
        return GuardedHttpFetcher(allow_hosts=[srv.host_port])
    return GuardedHttpFetcher(allow_hosts=[srv.host_port], clock=lambda: at)


def fetch_error(fetcher: Any, url: str, **kw: Any) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url, **kw)
    return info.value


def pinned_copy(tmp_path: Path, path: str = "/issuer.json",
                body: bytes = b'{"id": "issuer"}') -> tuple[PinStore, str, int]:
    """Pin one document from a server that is then shut down; returns (pins, url, port)."""
    pins = PinStore(tmp_path / "pins")
    with LoopbackServer() as srv:
        url = srv.add(path, body)
        [(_, outcome)] = pin_urls([url], live_for(srv, PINNED_AT), pins)
        assert isinstance(outcome, FetchResult) and outcome.ok
        port = srv.port
    return pins, url, port


# -- the stores --------------------------------------------------------------------------------

def test_pin_urls_then_read_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pins = PinStore(tmp_path / "pins")
    with LoopbackServer() as srv:
        ok = srv.add("/key.json", {"publicKeyPem": "..."}, content_type="application/ld+json")
        gone = srv.add("/assertion.json", {"revoked": True}, status=410)
        missing = srv.add("/missing.json", b"", status=404)
        outcomes = pin_urls([ok, gone, missing, ok], live_for(srv, PINNED_AT), pins)
        assert [u for u, _ in outcomes] == [ok, gone, missing]
        assert len(srv.requests) == 3

    attempts: list[Any] = []
    monkeypatch.setattr(socket.socket, "connect", lambda *a: attempts.append(a))
    offline = LayeredFetcher(None, PinStore(tmp_path / "pins"))
    result = offline.fetch(ok)
    assert (result.body, result.status, result.content_type) == (
        b'{"publicKeyPem": "..."}', 200, "application/ld+json")
    assert result.origin == "pinned" and result.fetched_at == PINNED_AT
    assert "2026-11-01T10:00:00Z" in result.note
    assert offline.fetch(gone).status == 410
    err = fetch_error(offline, missing)
    assert err.code == "offline" and missing in str(err)
    assert attempts == []


def test_index_shape(tmp_path: Path) -> None:
    pins, url, _ = pinned_copy(tmp_path)
    index = json.loads((tmp_path / "pins" / INDEX).read_text())
    entry = index[url]
    assert set(entry) >= {"file", "sha256", "content_type", "status", "fetched_at"}
    assert entry["fetched_at"] == "2026-11-01T10:00:00Z" and entry["status"] == 200
    assert (tmp_path / "pins" / entry["file"]).read_bytes() == b'{"id": "issuer"}'
    assert url.split("/")[-1] not in entry["file"]  # named by a hash of the URL
    assert pins.urls() == [url]


def test_tampered_pin_refused(tmp_path: Path, no_sockets: list[Any]) -> None:
    _, url, _ = pinned_copy_without_sockets(tmp_path)
    entry = json.loads((tmp_path / "pins" / INDEX).read_text())[url]
    (tmp_path / "pins" / entry["file"]).write_bytes(b'{"id": "evil"}')
    err = fetch_error(LayeredFetcher(None, PinStore(tmp_path / "pins")), url)
    assert err.code == "tampered" and "SHA-256" in err.reason


def pinned_copy_without_sockets(tmp_path: Path) -> tuple[PinStore, str, int]:
    """Like ``pinned_copy`` but written directly (for tests where sockets are patched)."""
    pins = PinStore(tmp_path / "pins")
    url = "https://issuer.example/issuer.json"
    pins.put(FetchResult(url, url, 200, "application/json", b'{"id": "issuer"}', PINNED_AT))
    return pins, url, 443


@pytest.mark.parametrize("bad_file", ["../../outside.json", "/etc/passwd", "x.json", 7])
def test_index_cannot_point_outside_the_folder(tmp_path: Path, bad_file: Any) -> None:
    _, url, _ = pinned_copy_without_sockets(tmp_path)
    index_path = tmp_path / "pins" / INDEX
    index = json.loads(index_path.read_text())
    index[url]["file"] = bad_file
    index_path.write_text(json.dumps(index))
    err = fetch_error(LayeredFetcher(None, PinStore(tmp_path / "pins")), url)
    assert err.code == "tampered"


def test_missing_body_file_refused(tmp_path: Path) -> None:
    _, url, _ = pinned_copy_without_sockets(tmp_path)
    entry = json.loads((tmp_path / "pins" / INDEX).read_text())[url]
    (tmp_path / "pins" / entry["file"]).unlink()
    assert fetch_error(LayeredFetcher(None, PinStore(tmp_path / "pins")), url).code == "tampered"


def test_corrupt_pin_index_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pins").mkdir()
    (tmp_path / "pins" / INDEX).write_text("{not json")
    with pytest.raises(ConfigError, match=r"index\.json"):
        PinStore(tmp_path / "pins").get("https://a.example/x")


def test_damaged_cache_is_just_a_miss(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "cache")
    url = "https://issuer.example/x"
    cache.put(FetchResult(url, url, 200, "application/json", b"{}", CACHED_AT))
    assert cache.get(url) is not None and cache.get(url).origin == "cache"  # type: ignore[union-attr]
    entry = json.loads((tmp_path / "cache" / INDEX).read_text())[url]
    (tmp_path / "cache" / entry["file"]).write_bytes(b"[]")
    assert cache.get(url) is None
    (tmp_path / "cache" / INDEX).write_text("garbage")
    assert DiskCache(tmp_path / "cache").get(url) is None


def test_offline_with_nothing_pinned(tmp_path: Path, no_sockets: list[Any]) -> None:
    url = "https://issuer.example/revocations.json"
    for fetcher in (LayeredFetcher(None, PinStore(tmp_path / "none")), LayeredFetcher(None)):
        err = fetch_error(fetcher, url)
        assert err.code == "offline" and url in str(err)
    assert no_sockets == []


def test_offline_ignores_the_cache(tmp_path: Path, no_sockets: list[Any]) -> None:
    cache = DiskCache(tmp_path / "cache")
    url = "https://issuer.example/x"
    cache.put(FetchResult(url, url, 200, "application/json", b"{}", CACHED_AT))
    assert fetch_error(LayeredFetcher(None, None, cache), url).code == "offline"


def test_stored_copy_respects_max_bytes(tmp_path: Path, no_sockets: list[Any]) -> None:
    _, url, _ = pinned_copy_without_sockets(tmp_path)
    offline = LayeredFetcher(None, PinStore(tmp_path / "pins"))
    assert fetch_error(offline, url, max_bytes=5).code == "too_large"
    assert offline.fetch(url).body == b'{"id": "issuer"}'


# -- online policy -----------------------------------------------------------------------------

def test_online_falls_back_to_pin_when_server_is_down(tmp_path: Path) -> None:
    pins, url, port = pinned_copy(tmp_path)
    live = GuardedHttpFetcher(allow_hosts=[f"127.0.0.1:{port}"])  # the server is gone now
    result = LayeredFetcher(live, pins).fetch(url)
    assert result.origin == "pinned" and result.body == b'{"id": "issuer"}'
    assert result.fetched_at == PINNED_AT
    assert result.note.startswith("live fetch failed (connection")
    assert result.note.endswith("using pinned copy from 2026-11-01T10:00:00Z")


def test_server_down_and_nothing_stored_raises_the_live_error(tmp_path: Path) -> None:
    with LoopbackServer() as srv:
        url, host = srv.url("/x"), srv.host_port
    layered = LayeredFetcher(GuardedHttpFetcher(allow_hosts=[host]), PinStore(tmp_path / "p"),
                             DiskCache(tmp_path / "c"))
    assert fetch_error(layered, url).code == "connection"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_falls_back_to_pin(tmp_path: Path, status: int) -> None:
    pins = PinStore(tmp_path / "pins")
    with LoopbackServer() as srv:
        url = srv.add("/list.json", {"revokedAssertions": ["urn:uuid:1"]})
        pin_urls([url], live_for(srv, PINNED_AT), pins)
        srv.routes["/list.json"] = Route(b"oops", status)
        result = LayeredFetcher(live_for(srv), pins).fetch(url)
        assert result.origin == "pinned" and result.status == 200
        assert f"HTTP {status}" in result.note and "2026-11-01T10:00:00Z" in result.note
        # with nothing stored, the 5xx answer itself is the result
        bare = LayeredFetcher(live_for(srv)).fetch(url)
        assert (bare.status, bare.origin, bare.note) == (status, "live", "")


@pytest.mark.parametrize("status", [200, 404, 410])
def test_live_answer_below_500_wins_over_pin(tmp_path: Path, status: int) -> None:
    pins = PinStore(tmp_path / "pins")
    with LoopbackServer() as srv:
        url = srv.add("/a.json", {"v": "old"})
        pin_urls([url], live_for(srv, PINNED_AT), pins)
        srv.add("/a.json", {"v": "new"}, status=status)
        result = LayeredFetcher(live_for(srv), pins).fetch(url)
    assert (result.origin, result.status, result.body) == ("live", status, b'{"v": "new"}')
    assert result.note == ""


def test_cache_written_on_2xx_and_410_and_used_as_fallback(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "cache")
    with LoopbackServer() as srv:
        ok = srv.add("/ok.json", {"ok": 1})
        gone = srv.add("/gone.json", b"", status=410)
        missing = srv.add("/missing.json", b"", status=404)
        layered = LayeredFetcher(live_for(srv, CACHED_AT), None, cache)
        for url in (ok, gone, missing):
            layered.fetch(url)
        host = srv.host_port
    assert sorted(DiskCache(tmp_path / "cache").urls()) == sorted([ok, gone])
    later = LayeredFetcher(GuardedHttpFetcher(allow_hosts=[host]), None,
                           DiskCache(tmp_path / "cache"))
    result = later.fetch(ok)
    assert result.origin == "cache" and result.body == b'{"ok": 1}'
    assert "using cached copy from 2026-12-24T08:30:00Z" in result.note
    assert later.fetch(gone).status == 410
    assert fetch_error(later, missing).code == "connection"


def test_pin_preferred_over_cache(tmp_path: Path) -> None:
    pins, url, port = pinned_copy(tmp_path)
    cache = DiskCache(tmp_path / "cache")
    cache.put(FetchResult(url, url, 200, "application/json", b'{"id": "cached"}', CACHED_AT))
    live = GuardedHttpFetcher(allow_hosts=[f"127.0.0.1:{port}"])
    assert LayeredFetcher(live, pins, cache).fetch(url).origin == "pinned"


def test_tampered_pin_online_falls_to_cache_and_says_so(tmp_path: Path) -> None:
    pins, url, port = pinned_copy(tmp_path)
    entry = json.loads((tmp_path / "pins" / INDEX).read_text())[url]
    (tmp_path / "pins" / entry["file"]).write_bytes(b"{}")
    live = GuardedHttpFetcher(allow_hosts=[f"127.0.0.1:{port}"])
    err = fetch_error(LayeredFetcher(live, pins), url)
    assert err.code == "connection" and "SHA-256" in err.reason
    cache = DiskCache(tmp_path / "cache")
    cache.put(FetchResult(url, url, 200, "application/json", b'{"id": "c"}', CACHED_AT))
    assert LayeredFetcher(live, pins, cache).fetch(url).origin == "cache"


def test_memoised_per_instance(tmp_path: Path) -> None:
    with LoopbackServer() as srv:
        url = srv.add("/issuer.json", {"id": "i"})
        layered = LayeredFetcher(live_for(srv))
        first = layered.fetch(url)
        for _ in range(4):
            assert layered.fetch(url) is first
        assert len(srv.requests) == 1
        LayeredFetcher(live_for(srv)).fetch(url)
        assert len(srv.requests) == 2


def test_memoised_across_threads(tmp_path: Path) -> None:
    with LoopbackServer() as srv:
        url = srv.add("/slowish.json", {"id": "i"})
        srv.routes["/slowish.json"] = Route(b'{"id": "i"}', delay=0.2)
        layered = LayeredFetcher(live_for(srv))
        bodies: list[bytes] = []
        threads = [threading.Thread(target=lambda: bodies.append(layered.fetch(url).body))
                   for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert bodies == [b'{"id": "i"}'] * 10
        assert len(srv.requests) == 1


def test_failures_are_memoised_too(tmp_path: Path) -> None:
    with LoopbackServer() as srv:
        url, host = srv.url("/x"), srv.host_port
    calls: list[str] = []

    class Counting(GuardedHttpFetcher):
        def fetch(self, url: str, **kw: Any) -> FetchResult:
            calls.append(url)
            return super().fetch(url, **kw)

    layered = LayeredFetcher(Counting(allow_hosts=[host]))
    for _ in range(3):
        assert fetch_error(layered, url).code == "connection"
    assert calls == [url]


def test_too_large_refetched_with_a_larger_cap() -> None:
    with LoopbackServer() as srv:
        url = srv.add("/status-list.json", b"x" * 2000)
        layered = LayeredFetcher(live_for(srv))
        assert fetch_error(layered, url, max_bytes=1000).code == "too_large"
        assert len(layered.fetch(url, max_bytes=4000).body) == 2000
        assert fetch_error(layered, url, max_bytes=1000).code == "too_large"
        assert len(srv.requests) == 2


# -- wiring for the CLI ------------------------------------------------------------------------

def test_make_fetcher_offline(tmp_path: Path, no_sockets: list[Any]) -> None:
    pinned_copy_without_sockets(tmp_path)
    fetcher = make_fetcher(offline=True, pins=tmp_path / "pins", cache_dir=tmp_path / "cache")
    assert fetcher.live is None and fetcher.cache is None
    assert fetcher.fetch("https://issuer.example/issuer.json").origin == "pinned"
    assert fetch_error(fetcher, "https://issuer.example/other").code == "offline"


def test_make_fetcher_online(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    with LoopbackServer() as srv:
        url = srv.add("/a.json", {"a": 1})
        fetcher = make_fetcher(offline=False, pins=None, cache_dir=None,
                               allow_hosts=[srv.host_port])
        assert fetcher.fetch(url).origin == "live"
    assert fetcher.cache is not None
    assert fetcher.cache.folder == tmp_path / "xdg" / "portfolio-gen"
    assert fetcher.cache.urls() == [url]
    assert make_fetcher(offline=False, pins=None, cache_dir=False).cache is None
    nothing = tmp_path / "file"
    nothing.write_text("")
    with pytest.raises(ConfigError):
        make_fetcher(offline=True, pins=nothing, cache_dir=False)


def test_default_cache_dir() -> None:
    assert default_cache_dir({"XDG_CACHE_HOME": "/var/c"}) == Path("/var/c/portfolio-gen")
    home = Path.home() / ".cache" / "portfolio-gen"
    assert default_cache_dir({"XDG_CACHE_HOME": "relative/c"}) == home
    assert default_cache_dir({}) == home
