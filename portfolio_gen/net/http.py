"""GuardedHttpFetcher: the only code in the package that opens sockets (the Open Badges
verification rules: security item 1).

Badges name URLs chosen by their makers, so every fetch is treated as hostile
input: https only; the host is resolved once and every address checked against
the SSRF guard (``net/guard.py``) *before* connecting; the socket is then opened
to the checked address itself, so a second DNS answer cannot rebind the name.
TLS verifies the certificate against the original host name. Redirects are
re-checked hop by hop; time and size are bounded; no cookies, credentials or
proxy settings are ever used. Any HTTP status is a result; only transport and
guard failures raise :class:`FetchError`.

Connections are kept alive per (scheme, host, port) because hosted OB 2.0
verification makes several fetches per badge to the same issuer.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from portfolio_gen import __version__
from portfolio_gen.errors import ConfigError
from portfolio_gen.net.deadline import WATCHDOG, Deadline
from portfolio_gen.net.fetch import DEFAULT_MAX_BYTES, FetchError, FetchResult
from portfolio_gen.net.guard import AllowList, blocked_reason, normalise_host, parse_ip

DEFAULT_USER_AGENT = f"portfolio-gen/{__version__}"
#: Whole-fetch budget (all redirects included) when the caller gives none.
DEFAULT_DEADLINE = 30.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CHUNK = 64 * 1024
_MAX_IDLE_PER_HOST = 8
_MAX_DRAIN = 64 * 1024  # a redirect body larger than this is not worth reading to reuse a socket


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Target:
    """One checked request target: where to connect and what to ask for."""

    url: str
    scheme: str
    host: str          # normalised: lower case, no brackets
    port: int
    path: str          # path + query, fragment dropped
    allowed: bool      # on the allow list: guard and https rule lifted

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == _DEFAULT_PORTS[self.scheme] else f"{name}:{self.port}"


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP connection over a socket we opened; it may never dial again on its own.

    ``http.client`` re-connects by host name when a server closed the socket, which
    would skip the address guard; refusing here makes that impossible.
    """

    def connect(self) -> None:
        raise ConnectionError("connection closed; the fetcher opens a new guarded one")


class GuardedHttpFetcher:
    """Fetches documents over http(s) under the §7.1 rules; implements ``net.fetch.Fetcher``.

    ``allow_hosts`` entries (``HOST`` or ``HOST:PORT``) lift the address guard
    and the https-only rule for exactly those hosts (tests, intranet issuers).
    ``ca_bundle`` is trusted in addition to the default certificate store.
    """

    def __init__(self, *, allow_hosts: Iterable[str] = (), ca_bundle: str | Path | None = None,
                 connect_timeout: float = 5.0, read_timeout: float = 10.0,
                 max_redirects: int = 3, user_agent: str = DEFAULT_USER_AGENT,
                 clock: Callable[[], datetime] = _utc_now,
                 deadline: float = DEFAULT_DEADLINE) -> None:
        self._allow = AllowList.parse(allow_hosts)
        self._tls = _tls_context(ca_bundle)
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._max_redirects = max_redirects
        self._user_agent = user_agent
        self._clock = clock
        self._deadline = deadline
        self._idle: dict[tuple[str, str, int], list[tuple[_PinnedConnection, socket.socket]]] = {}
        self._lock = threading.Lock()

    # -- public -------------------------------------------------------------------------------
    def fetch(self, url: str, *, accept: str = "application/json",
              max_bytes: int = DEFAULT_MAX_BYTES) -> FetchResult:
        """GET ``url`` following at most ``max_redirects`` re-checked redirects."""
        deadline = Deadline(url, self._deadline)
        current = url
        for hop in range(self._max_redirects + 1):
            target = self._check(url, current, hop)
            status, ctype, location, body = self._exchange(url, target, accept, max_bytes,
                                                          deadline)
            if location is None:
                return FetchResult(url, current, status, ctype, body, self._clock())
            current = urljoin(current, location)
        raise FetchError(url, f"more than {self._max_redirects} redirects (last to {current})",
                         "too_many_redirects")

    def close(self) -> None:
        """Close idle kept-alive connections (the fetcher stays usable)."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn, _ in conns:
                conn.close()

    def __enter__(self) -> GuardedHttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- URL and address checks ---------------------------------------------------------------
    def _check(self, url: str, current: str, hop: int) -> _Target:
        """Scheme, credentials and port rules for one hop; raises before any network use."""
        where = "" if hop == 0 else f"redirect to {current}: "
        if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in current):
            raise FetchError(url, f"{where}URL contains whitespace or control characters",
                             "bad_url")
        try:
            parts = urlsplit(current)
            port = parts.port
        except ValueError as exc:
            raise FetchError(url, f"{where}malformed URL ({exc})", "bad_url") from None
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            raise FetchError(url, f"{where}scheme {scheme or '(none)'!r} is not fetched",
                             "blocked_scheme")
        if "@" in parts.netloc:
            raise FetchError(url, f"{where}URLs carrying user names or passwords are refused",
                             "bad_url")
        if not parts.hostname:
            raise FetchError(url, f"{where}URL has no host", "bad_url")
        try:
            host = normalise_host(_ascii_host(parts.hostname))
        except UnicodeError:
            raise FetchError(url, f"{where}host name is not valid IDNA", "bad_url") from None
        port = port if port is not None else _DEFAULT_PORTS[scheme]
        allowed = self._allow.allows(host, port)
        if scheme == "http" and not allowed:
            raise FetchError(url, f"{where}plain http is only fetched from allow-listed hosts",
                             "blocked_scheme")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return _Target(current, scheme, host, port, path, allowed)

    def _resolve(self, url: str, target: _Target) -> list[tuple[int, tuple[str, int]]]:
        """Addresses to connect to, each already judged; a name resolves exactly once."""
        literal = parse_ip(target.host)
        if literal is not None:
            family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
            addresses: list[tuple[int, str]] = [(int(family), str(literal))]
        else:
            try:
                infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM,
                                           proto=socket.IPPROTO_TCP)
            except (socket.gaierror, UnicodeError) as exc:
                raise FetchError(url, f"cannot resolve {target.host} ({exc})", "dns") from None
            addresses = [(int(fam), str(sa[0])) for fam, _, _, _, sa in infos]
        if not target.allowed:
            for _, address in addresses:
                ip = parse_ip(address)
                reason = "unparsable address" if ip is None else blocked_reason(ip)
                if reason is not None:
                    raise FetchError(url, f"{target.host} resolves to a {reason}; refused "
                                          "(add it with --allow-host to permit)",
                                     "blocked_address")
        unique = list(dict.fromkeys(addresses))
        return [(fam, (addr, target.port)) for fam, addr in unique]

    # -- one request/response -----------------------------------------------------------------
    def _exchange(self, url: str, target: _Target, accept: str, max_bytes: int,
                  deadline: Deadline) -> tuple[int, str, str | None, bytes]:
        """Send one GET and read the answer; returns (status, type, redirect location, body)."""
        key = (target.scheme, target.host, target.port)
        pooled = self._checkout(key)
        reused = pooled is not None
        if pooled is None:
            pooled = self._open(url, target, deadline)
        token = WATCHDOG.arm(deadline.end, pooled[1])
        try:
            try:
                resp = self._send(pooled, target, accept, deadline)
            except (http.client.RemoteDisconnected, ConnectionError,
                    http.client.BadStatusLine):
                if not reused or deadline.expired():
                    raise
                # a kept-alive socket the server had closed meanwhile: dial afresh, once
                WATCHDOG.disarm(token)
                pooled[0].close()
                pooled = self._open(url, target, deadline)
                token = WATCHDOG.arm(deadline.end, pooled[1])
                resp = self._send(pooled, target, accept, deadline)
            status, ctype, location, body = self._read(url, pooled, resp, max_bytes, deadline)
        except (OSError, http.client.HTTPException) as exc:
            WATCHDOG.disarm(token)
            pooled[0].close()
            if deadline.expired():
                raise deadline.error() from None
            raise _as_fetch_error(url, target, exc) from None
        except BaseException:
            WATCHDOG.disarm(token)
            pooled[0].close()
            raise
        WATCHDOG.disarm(token)
        if resp.will_close or pooled[0].sock is None or not resp.isclosed():
            pooled[0].close()
        else:
            self._checkin(key, pooled)
        return status, ctype, location, body

    def _open(self, url: str, target: _Target,
              deadline: Deadline) -> tuple[_PinnedConnection, socket.socket]:
        """Connect to a checked address (TLS to the original host name when https)."""
        last: OSError | None = None
        for family, sockaddr in self._resolve(url, target):
            sock = socket.socket(family, socket.SOCK_STREAM)
            token = WATCHDOG.arm(deadline.end, sock)
            try:
                sock.settimeout(deadline.left(self._connect_timeout))
                sock.connect(sockaddr)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if target.scheme == "https":
                    sock.settimeout(deadline.left(self._connect_timeout))
                    sock = self._tls.wrap_socket(sock, server_hostname=target.host)
            except ssl.SSLError as exc:
                sock.close()
                raise _as_fetch_error(url, target, exc) from None
            except OSError as exc:
                sock.close()
                if deadline.expired():
                    raise deadline.error() from None
                last = exc
                continue
            except BaseException:
                sock.close()
                raise
            finally:
                WATCHDOG.disarm(token)
            conn = _PinnedConnection(target.host, target.port)
            conn.sock = sock
            return conn, sock
        if last is None:  # getaddrinfo never returns an empty list, but be explicit
            raise FetchError(url, f"no address for {target.host}", "dns")
        raise _as_fetch_error(url, target, last) from None

    def _send(self, pooled: tuple[_PinnedConnection, socket.socket], target: _Target,
              accept: str, deadline: Deadline) -> http.client.HTTPResponse:
        conn, sock = pooled
        sock.settimeout(deadline.left(self._read_timeout))
        conn.request("GET", target.path, headers={
            "Host": target.host_header, "Accept": accept, "User-Agent": self._user_agent,
            "Accept-Encoding": "identity"})
        _quick_ack(sock)
        return conn.getresponse()

    def _read(self, url: str, pooled: tuple[_PinnedConnection, socket.socket],
              resp: http.client.HTTPResponse, max_bytes: int,
              deadline: Deadline) -> tuple[int, str, str | None, bytes]:
        """Status, type, redirect target and the body, read under the size cap."""
        status = resp.status
        ctype = resp.getheader("Content-Type", "") or ""
        location = resp.getheader("Location") if status in _REDIRECTS else None
        declared = _content_length(resp)
        if location is not None:
            if declared is None or declared > _MAX_DRAIN:
                return status, ctype, location, b""  # not drained: the caller closes it
            max_bytes = _MAX_DRAIN
        elif declared is not None and declared > max_bytes:
            raise FetchError(url, f"response declares {declared} bytes; the limit is "
                                  f"{max_bytes}", "too_large")
        chunks: list[bytes] = []
        total = 0
        while not resp.isclosed():  # http.client closes it once the body is complete
            pooled[1].settimeout(deadline.left(self._read_timeout))
            data = resp.read1(min(_CHUNK, max_bytes + 1 - total))
            if not data:
                break
            chunks.append(data)
            total += len(data)
            if total > max_bytes:
                raise FetchError(url, f"response larger than {max_bytes} bytes", "too_large")
        if resp.length:  # Content-Length promised more than arrived
            raise http.client.IncompleteRead(b"".join(chunks), resp.length)
        if not resp.isclosed():
            resp.read()  # length reached: lets http.client mark the response complete
        return status, ctype, location, b"".join(chunks)

    # -- keep-alive pool ----------------------------------------------------------------------
    def _checkout(self, key: tuple[str, str, int]
                  ) -> tuple[_PinnedConnection, socket.socket] | None:
        with self._lock:
            conns = self._idle.get(key)
            return conns.pop() if conns else None

    def _checkin(self, key: tuple[str, str, int],
                 pooled: tuple[_PinnedConnection, socket.socket]) -> None:
        with self._lock:
            conns = self._idle.setdefault(key, [])
            if len(conns) < _MAX_IDLE_PER_HOST:
                conns.append(pooled)
                return
        pooled[0].close()


def _quick_ack(sock: socket.socket) -> None:
    """Acknowledge at once (Linux): servers that write headers and body separately
    otherwise stall a kept-alive exchange on Nagle + delayed ACK for ~40 ms."""
    option = getattr(socket, "TCP_QUICKACK", None)
    if option is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, option, 1)


def _content_length(resp: http.client.HTTPResponse) -> int | None:
    value = resp.getheader("Content-Length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def _ascii_host(host: str) -> str:
    return host if host.isascii() else host.encode("idna").decode("ascii")


def _as_fetch_error(url: str, target: _Target,
                    exc: OSError | http.client.HTTPException) -> FetchError:
    """Map a transport exception to a coded FetchError."""
    where = f"{target.host}:{target.port}"
    if isinstance(exc, TimeoutError):
        return FetchError(url, f"{where} did not answer in time", "timeout")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return FetchError(url, f"TLS certificate of {where} not accepted "
                               f"({exc.verify_message})", "tls")
    if isinstance(exc, ssl.SSLError):
        return FetchError(url, f"TLS failure with {where} ({exc.reason or exc})", "tls")
    if isinstance(exc, http.client.RemoteDisconnected):
        return FetchError(url, f"{where} closed the connection without answering",
                          "connection")
    if isinstance(exc, http.client.HTTPException):
        return FetchError(url, f"{where} sent a malformed HTTP response "
                               f"({type(exc).__name__})", "connection")
    return FetchError(url, f"connection to {where} failed ({exc.strerror or exc})",
                      "connection")


def _tls_context(ca_bundle: str | Path | None) -> ssl.SSLContext:
    """System trust (plus certifi's bundle when installed) plus ``ca_bundle``; TLS ≥ 1.2."""
    ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi is optional
        pass
    else:
        ctx.load_verify_locations(cafile=certifi.where())
    if ca_bundle is not None:
        path = Path(ca_bundle)
        try:
            if path.is_dir():
                ctx.load_verify_locations(capath=str(path))
            else:
                ctx.load_verify_locations(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"CA bundle {path}: cannot be loaded ({exc})") from None
    return ctx


__all__ = ["DEFAULT_DEADLINE", "DEFAULT_USER_AGENT", "GuardedHttpFetcher"]
