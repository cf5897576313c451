"""GuardedHttpFetcher against real servers on 127.0.0.1 (verification.md §7.1).

Every test runs with a socket-level safety net: connections may only go to
loopback, and every attempt is recorded, so the guard tests can prove that a
refused address was refused *before* any connection was tried.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from portfolio_gen.errors import ConfigError
from portfolio_gen.net.fetch import FetchError
from portfolio_gen.net.http import DEFAULT_USER_AGENT, GuardedHttpFetcher
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer, Route

LOOPBACK = {"127.0.0.1", "::1"}


@dataclass
class ConnectLog:
    """Addresses the code under test tried to connect to."""

    attempts: list[Any] = field(default_factory=list)

    def hosts(self) -> list[str]:
        return [a[0] if isinstance(a, tuple) else str(a) for a in self.attempts]


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> ConnectLog:
    """Record every outgoing connection; anything not on loopback raises instead of leaving."""
    log = ConnectLog()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create = socket.create_connection

    def on_loopback(address: Any) -> bool:
        return isinstance(address, tuple) and address[0] in LOOPBACK

    def connect(self: socket.socket, address: Any) -> None:
        log.attempts.append(address)
        if not on_loopback(address):
            raise AssertionError(f"test tried to connect to {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        log.attempts.append(address)
        if not on_loopback(address):
            raise AssertionError(f"test tried to connect to {address!r}")
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        log.attempts.append(address)
        if not on_loopback(address):
            raise AssertionError(f"test tried to connect to {address!r}")
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return log


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


def fetcher_for(server: LoopbackServer, **kw: Any) -> GuardedHttpFetcher:
    return GuardedHttpFetcher(allow_hosts=[server.host_port], **kw)


def fetch_error(fetch: Callable[[], object]) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch()
    return info.value


class RawServer:
    """A loopback TCP server answering each connection with fixed raw bytes, for response
    shapes LoopbackServer cannot produce (no Content-Length, chunked, dripping, early close)."""

    def __init__(self, respond: Callable[[socket.socket], None]) -> None:
        self._respond = respond
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def host_port(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                self._respond(conn)
            except OSError:
                pass

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sock.close()


def send_then_close(data: bytes) -> Callable[[socket.socket], None]:
    def respond(conn: socket.socket) -> None:
        conn.sendall(data)
    return respond


# -- basics ------------------------------------------------------------------------------------

def test_plain_fetch_with_allow_host(srv: LoopbackServer, connects: ConnectLog) -> None:
    url = srv.add("/issuer.json", {"id": "x"}, content_type="application/ld+json")
    result = fetcher_for(srv, clock=lambda: FIXED_NOW).fetch(url, accept="application/ld+json")
    assert (result.status, result.body, result.content_type) == (
        200, b'{"id": "x"}', "application/ld+json")
    assert result.url == result.final_url == url
    assert result.origin == "live" and result.fetched_at == FIXED_NOW
    path, headers = srv.requests[0]
    assert path == "/issuer.json"
    assert headers["Accept"] == "application/ld+json"
    assert headers["User-Agent"] == DEFAULT_USER_AGENT
    assert headers.get("Accept-Encoding", "identity") == "identity"
    assert "Cookie" not in headers and "Authorization" not in headers
    assert connects.hosts() == ["127.0.0.1"]


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_any_http_status_is_a_result(srv: LoopbackServer, status: int) -> None:
    url = srv.add("/a", {"gone": True}, status=status)
    result = fetcher_for(srv).fetch(url)
    assert result.status == status and not result.ok
    assert result.body == b'{"gone": true}'


def test_query_is_sent_and_fragment_is_not(srv: LoopbackServer) -> None:
    srv.add("/a?x=1", b"q")
    assert fetcher_for(srv).fetch(srv.url("/a?x=1#frag")).body == b"q"
    assert srv.requests[0][0] == "/a?x=1"


def test_https_with_ca_bundle(connects: ConnectLog) -> None:
    with LoopbackServer(tls=True) as tls:
        url = tls.add("/k.json", {"k": 1})
        result = fetcher_for(tls, ca_bundle=tls.ca_path).fetch(url)
        assert result.status == 200 and result.body == b'{"k": 1}'


def test_https_without_trusted_ca_fails_tls() -> None:
    with LoopbackServer(tls=True) as tls:
        url = tls.add("/k.json", {"k": 1})
        assert fetch_error(lambda: fetcher_for(tls).fetch(url)).code == "tls"
        assert tls.requests == []


def test_tls_checks_the_name_from_the_url(monkeypatch: pytest.MonkeyPatch,
                                          connects: ConnectLog) -> None:
    """The certificate names 127.0.0.1 and localhost; a name it lacks fails even when that
    name resolves to the same address (the name, not the address, is verified)."""
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kw: Any) -> Any:
        return real("127.0.0.1" if host == "issuer.test" else host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with LoopbackServer(tls=True) as tls:
        tls.add("/k.json", {"k": 1})
        ok = GuardedHttpFetcher(allow_hosts=[f"localhost:{tls.port}"], ca_bundle=tls.ca_path)
        assert ok.fetch(f"https://localhost:{tls.port}/k.json").status == 200
        wrong = GuardedHttpFetcher(allow_hosts=[f"issuer.test:{tls.port}"],
                                   ca_bundle=tls.ca_path)
        err = fetch_error(lambda: wrong.fetch(f"https://issuer.test:{tls.port}/k.json"))
        assert err.code == "tls"


def test_missing_ca_bundle_is_a_config_error(tmp_path: Any) -> None:
    with pytest.raises(ConfigError):
        GuardedHttpFetcher(ca_bundle=tmp_path / "nope.pem")


def test_http_refused_without_allow_host(srv: LoopbackServer, connects: ConnectLog) -> None:
    url = srv.add("/a", b"x")
    assert fetch_error(lambda: GuardedHttpFetcher().fetch(url)).code == "blocked_scheme"
    assert connects.attempts == [] and srv.requests == []


def test_allow_host_with_port_covers_only_that_port(srv: LoopbackServer,
                                                    connects: ConnectLog) -> None:
    other = GuardedHttpFetcher(allow_hosts=[f"127.0.0.1:{srv.port + 1 if srv.port < 65535 else 1}"])
    assert fetch_error(lambda: other.fetch(srv.url("/a"))).code == "blocked_scheme"
    https_url = f"https://127.0.0.1:{srv.port}/a"
    assert fetch_error(lambda: other.fetch(https_url)).code == "blocked_address"
    assert connects.attempts == []
    srv.add("/a", b"x")
    assert GuardedHttpFetcher(allow_hosts=["127.0.0.1"]).fetch(srv.url("/a")).body == b"x"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://a/b",
                                 "data:,hello", "/relative/path"])
def test_other_schemes_refused(url: str, connects: ConnectLog) -> None:
    assert fetch_error(lambda: GuardedHttpFetcher().fetch(url)).code == "blocked_scheme"
    assert connects.attempts == []


@pytest.mark.parametrize("url", ["https://", "https://exa mple.org/", "https://a.org/\r\nX: y",
                                 "https://a.org:99999/", "https://a.org:port/"])
def test_malformed_urls_refused(url: str, connects: ConnectLog) -> None:
    assert fetch_error(lambda: GuardedHttpFetcher().fetch(url)).code == "bad_url"
    assert connects.attempts == []


def test_userinfo_refused(srv: LoopbackServer, connects: ConnectLog) -> None:
    srv.add("/a", b"x")
    for url in (f"http://user:pw@{srv.host_port}/a", f"http://user@{srv.host_port}/a"):
        assert fetch_error(lambda u=url: fetcher_for(srv).fetch(u)).code == "bad_url"
    assert connects.attempts == [] and srv.requests == []


def test_connection_refused_is_connection_error(connects: ConnectLog) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    f = GuardedHttpFetcher(allow_hosts=[f"127.0.0.1:{port}"])
    assert fetch_error(lambda: f.fetch(f"http://127.0.0.1:{port}/a")).code == "connection"


def test_no_cookies_even_when_server_sets_them(srv: LoopbackServer) -> None:
    srv.add("/a", b"x", headers={"Set-Cookie": "session=secret; Path=/"})
    f = fetcher_for(srv)
    f.fetch(srv.url("/a"))
    f.fetch(srv.url("/a"))
    assert len(srv.requests) == 2
    assert all("Cookie" not in headers for _, headers in srv.requests)


def test_proxy_environment_is_ignored(srv: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    srv.add("/a", b"direct")
    with LoopbackServer() as proxy:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.base)
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        assert fetcher_for(srv).fetch(srv.url("/a")).body == b"direct"
        assert proxy.requests == []


# -- size and time -----------------------------------------------------------------------------

def test_content_length_over_cap_fails_fast(srv: LoopbackServer) -> None:
    url = srv.add("/big", b"x" * 5000)
    assert fetch_error(lambda: fetcher_for(srv).fetch(url, max_bytes=4999)).code == "too_large"
    assert fetcher_for(srv).fetch(url, max_bytes=5000).body == b"x" * 5000


def test_body_without_length_over_cap() -> None:
    body = b"y" * 300_000
    head = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
    with RawServer(send_then_close(head + body)) as raw:
        f = GuardedHttpFetcher(allow_hosts=[raw.host_port])
        assert fetch_error(lambda: f.fetch(raw.url("/"), max_bytes=100_000)).code == "too_large"
        assert f.fetch(raw.url("/"), max_bytes=300_000).body == body


def test_chunked_body_over_cap() -> None:
    chunk = b"z" * 40_000
    payload = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5)) + b"0\r\n\r\n"
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    with RawServer(send_then_close(head + payload)) as raw:
        f = GuardedHttpFetcher(allow_hosts=[raw.host_port])
        assert fetch_error(lambda: f.fetch(raw.url("/"), max_bytes=150_000)).code == "too_large"
        assert f.fetch(raw.url("/"), max_bytes=200_000).body == chunk * 5


def test_lying_content_length_is_not_trusted() -> None:
    """A server declaring 10 bytes but sending more: only the declared bytes are read."""
    with RawServer(send_then_close(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"
                                   b"Connection: close\r\n\r\n" + b"a" * 10_000)) as raw:
        f = GuardedHttpFetcher(allow_hosts=[raw.host_port])
        assert f.fetch(raw.url("/"), max_bytes=100).body == b"a" * 10


def test_read_timeout(srv: LoopbackServer) -> None:
    url = srv.add("/slow", b"x")
    srv.routes["/slow"] = Route(b"x", delay=1.5)
    err = fetch_error(lambda: fetcher_for(srv, read_timeout=0.2).fetch(url))
    assert err.code == "timeout"


@pytest.mark.timeout(20)
def test_overall_deadline_stops_a_dripping_server() -> None:
    """Each byte arrives well within the read timeout; the whole-fetch deadline still ends it."""
    def drip(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(100_000):
            conn.sendall(b"d")
            time.sleep(0.02)

    with RawServer(drip) as raw:
        f = GuardedHttpFetcher(allow_hosts=[raw.host_port], read_timeout=5, deadline=0.4)
        assert fetch_error(lambda: f.fetch(raw.url("/"))).code == "timeout"


@pytest.mark.timeout(20)
def test_deadline_covers_dripping_headers() -> None:
    def drip(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(100_000):  # ~17 min: without the deadline, pytest-timeout would end it
            conn.sendall(b"a")
            time.sleep(0.01)

    with RawServer(drip) as raw:
        f = GuardedHttpFetcher(allow_hosts=[raw.host_port], read_timeout=5, deadline=0.3)
        assert fetch_error(lambda: f.fetch(raw.url("/"))).code == "timeout"


def test_truncated_body_is_a_connection_error() -> None:
    with RawServer(send_then_close(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                                   + b"short")) as raw:
        f = GuardedHttpFetcher(allow_hosts=[raw.host_port])
        assert fetch_error(lambda: f.fetch(raw.url("/"))).code == "connection"


def test_garbage_response_is_a_connection_error() -> None:
    with RawServer(send_then_close(b"SSH-2.0-OpenSSH_9.6\r\n")) as raw:
        f = GuardedHttpFetcher(allow_hosts=[raw.host_port])
        assert fetch_error(lambda: f.fetch(raw.url("/"))).code == "connection"


# -- redirects ---------------------------------------------------------------------------------

def redirect_chain(srv: LoopbackServer, hops: int) -> str:
    for i in range(hops):
        srv.add(f"/r{i}", b"", status=302, headers={"Location": f"/r{i + 1}"})
    srv.add(f"/r{hops}", b"final")
    return srv.url("/r0")


@pytest.mark.parametrize("hops", [1, 3])
def test_redirects_followed(srv: LoopbackServer, hops: int) -> None:
    result = fetcher_for(srv).fetch(redirect_chain(srv, hops))
    assert result.body == b"final" and result.status == 200
    assert result.url == srv.url("/r0") and result.final_url == srv.url(f"/r{hops}")
    assert [p for p, _ in srv.requests] == [f"/r{i}" for i in range(hops + 1)]


def test_too_many_redirects(srv: LoopbackServer) -> None:
    url = redirect_chain(srv, 4)
    assert fetch_error(lambda: fetcher_for(srv).fetch(url)).code == "too_many_redirects"
    assert len(srv.requests) == 4
    assert fetcher_for(srv, max_redirects=4).fetch(url).body == b"final"


def test_redirect_without_location_is_a_result(srv: LoopbackServer) -> None:
    url = srv.add("/r", b"moved", status=301)
    result = fetcher_for(srv).fetch(url)
    assert (result.status, result.body) == (301, b"moved")


@pytest.mark.parametrize(("location", "code"), [
    ("http://169.254.169.254/latest/meta-data/", "blocked_scheme"),
    ("https://169.254.169.254/latest/meta-data/", "blocked_address"),
    ("https://10.0.0.1/", "blocked_address"),
    ("https://[::ffff:127.0.0.1]/", "blocked_address"),
    ("https://localhost/", "blocked_address"),
    ("file:///etc/passwd", "blocked_scheme"),
    ("https://user:pw@example.org/", "bad_url"),
])
def test_redirect_targets_rechecked(srv: LoopbackServer, connects: ConnectLog,
                                    location: str, code: str) -> None:
    url = srv.add("/r", b"", status=302, headers={"Location": location})
    err = fetch_error(lambda: fetcher_for(srv).fetch(url))
    assert err.code == code and err.url == url
    assert set(connects.hosts()) == {"127.0.0.1"}


def test_https_to_http_redirect_only_to_allowed_host(connects: ConnectLog) -> None:
    with LoopbackServer(tls=True) as tls, LoopbackServer() as plain:
        target = plain.add("/doc", b"plain")
        tls.add("/ok", b"", status=301, headers={"Location": target})
        tls.add("/bad", b"", status=301,
                headers={"Location": f"http://localhost:{plain.port}/doc"})
        f = GuardedHttpFetcher(allow_hosts=[tls.host_port, plain.host_port],
                               ca_bundle=tls.ca_path)
        assert f.fetch(tls.url("/ok")).body == b"plain"
        assert fetch_error(lambda: f.fetch(tls.url("/bad"))).code == "blocked_scheme"
        assert [p for p, _ in plain.requests] == ["/doc"]


# -- the address guard runs before any connection ----------------------------------------------

BLOCKED_HOSTS = ["169.254.169.254", "10.0.0.1", "192.168.1.1", "172.16.0.1", "100.64.0.1",
                 "224.0.0.1", "0.0.0.0", "127.0.0.1", "255.255.255.255", "[::1]", "[fe80::1]",
                 "[fc00::1]", "[::ffff:169.254.169.254]", "[::ffff:10.0.0.1]", "[::]",
                 "[64:ff9b::a9fe:a9fe]", "[2002:a00:1::]", "[ff02::1]", "localhost",
                 "2130706433", "0x7f.1"]


@pytest.mark.parametrize("host", BLOCKED_HOSTS)
@pytest.mark.parametrize("scheme", ["https", "http"])
def test_guard_refuses_before_connecting(host: str, scheme: str, connects: ConnectLog) -> None:
    url = f"{scheme}://{host}/latest/meta-data/"
    err = fetch_error(lambda: GuardedHttpFetcher().fetch(url))
    assert err.code == ("blocked_address" if scheme == "https" else "blocked_scheme")
    assert connects.attempts == []


def test_mixed_dns_answer_is_refused(monkeypatch: pytest.MonkeyPatch,
                                     connects: ConnectLog) -> None:
    """One private address among public ones is enough to refuse the name."""
    def resolve(host: str, port: Any, *args: Any, **kw: Any) -> Any:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    err = fetch_error(lambda: GuardedHttpFetcher().fetch("https://issuer.test/a"))
    assert err.code == "blocked_address" and "10.1.2.3" in err.reason
    assert connects.attempts == []


def test_resolves_once_and_connects_to_the_checked_address(
        srv: LoopbackServer, monkeypatch: pytest.MonkeyPatch, connects: ConnectLog) -> None:
    """DNS rebinding: a second lookup would answer 10.0.0.1; there must be no second lookup."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"])
    calls: list[str] = []

    def resolve(host: str, *args: Any, **kw: Any) -> Any:
        calls.append(host)
        return real(next(answers, "10.0.0.1") if host == "rebind.test" else host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    srv.add("/a", b"x")
    f = GuardedHttpFetcher(allow_hosts=[f"rebind.test:{srv.port}"])
    assert f.fetch(f"http://rebind.test:{srv.port}/a").body == b"x"
    assert calls == ["rebind.test"]
    assert connects.hosts() == ["127.0.0.1"]
    assert srv.requests[0][1]["Host"] == f"rebind.test:{srv.port}"


def test_dns_failure_is_a_dns_error(monkeypatch: pytest.MonkeyPatch,
                                    connects: ConnectLog) -> None:
    def resolve(*args: Any, **kw: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    err = fetch_error(lambda: GuardedHttpFetcher().fetch("https://no-such-issuer.test/a"))
    assert err.code == "dns" and connects.attempts == []


# -- connection reuse ----------------------------------------------------------------------------

def test_keep_alive_reuses_one_connection(srv: LoopbackServer, connects: ConnectLog) -> None:
    srv.add("/a", b"a")
    srv.add("/b", b"b")
    srv.add("/gone", b"", status=410)
    f = fetcher_for(srv)
    for _ in range(3):
        assert f.fetch(srv.url("/a")).body == b"a"
        assert f.fetch(srv.url("/b")).body == b"b"
        assert f.fetch(srv.url("/gone")).status == 410
    assert len(srv.requests) == 9
    assert len(connects.attempts) == 1
    f.close()
    f.fetch(srv.url("/a"))
    assert len(connects.attempts) == 2


def test_stale_kept_alive_connection_is_replaced(connects: ConnectLog) -> None:
    """The server closes after each answer without saying so; the next fetch dials afresh."""
    with RawServer(send_then_close(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) as raw:
        f = GuardedHttpFetcher(allow_hosts=[raw.host_port])
        for _ in range(3):
            assert f.fetch(raw.url("/")).body == b"ok"
        assert raw.connections == 3


def test_concurrent_fetches(srv: LoopbackServer) -> None:
    for i in range(8):
        srv.add(f"/d{i}", f"doc{i}")
    f = fetcher_for(srv)
    results: dict[int, bytes] = {}

    def work(i: int) -> None:
        for _ in range(5):
            results[i] = f.fetch(srv.url(f"/d{i}")).body

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: f"doc{i}".encode() for i in range(8)}
    assert len(srv.requests) == 40


def test_clock_is_injected(srv: LoopbackServer) -> None:
    stamp = datetime(2030, 1, 2, 3, 4, 5, tzinfo=FIXED_NOW.tzinfo)
    srv.add("/a", b"x")
    assert fetcher_for(srv, clock=lambda: stamp).fetch(srv.url("/a")).fetched_at == stamp
