"""Which hosts and addresses the fetcher may reach (the Open Badges verification rules: security
item 1, SSRF).

Badge documents name URLs chosen by whoever made the badge, so a fetch must not
become a way to probe the machine running the build or its network. The rules
are pure functions here, with no sockets, so they can be tested exhaustively;
``net/http.py`` applies them to resolved addresses before it connects.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from portfolio_gen.errors import ConfigError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Special-purpose ranges refused even where Python's ``is_global`` says otherwise.
_BLOCKED_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8",          # "this network", unspecified
    "100.64.0.0/10",      # CGNAT shared address space
    "169.254.0.0/16",     # link-local, cloud metadata (169.254.169.254)
    "192.0.0.0/24",       # IETF protocol assignments
    "198.18.0.0/15",      # benchmarking
    "224.0.0.0/4",        # multicast
    "240.0.0.0/4",        # reserved, broadcast
    "::/128", "::1/128",
    "fc00::/7",           # unique local
    "fe80::/10",          # link-local
    "fec0::/10",          # deprecated site-local
    "ff00::/8",           # multicast
    "2001::/32",          # Teredo (tunnels to an arbitrary IPv4 address)
))
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def blocked_reason(address: IPAddress) -> str | None:
    """Why ``address`` may not be fetched from, or ``None`` when it is a public unicast one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            inner = blocked_reason(embedded)
            return None if inner is None else f"{inner} (embedded in {address})"
    for label, flag in (("loopback", address.is_loopback),
                        ("unspecified", address.is_unspecified),
                        ("link-local", address.is_link_local),
                        ("multicast", address.is_multicast),
                        ("private", address.is_private),
                        ("reserved", address.is_reserved)):
        if flag:
            return f"{label} address {address}"
    if any(address in net for net in _BLOCKED_NETWORKS):
        return f"special-purpose address {address}"
    if not address.is_global:
        return f"non-public address {address}"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, 6to4, NAT64), judged by its own rules."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def parse_ip(host: str) -> IPAddress | None:
    """``host`` as an IP address literal (brackets and zone ids allowed), else ``None``."""
    text = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def normalise_host(host: str) -> str:
    """Lower case, no brackets, no trailing dot: the form allow-list entries are compared in."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    ip = parse_ip(host)
    if ip is not None:
        return ip.compressed
    return host.rstrip(".")


@dataclass(frozen=True)
class AllowList:
    """Hosts exempt from the address guard and https rule (``HOST`` any port, or ``HOST:PORT``)."""

    any_port: frozenset[str] = frozenset()
    host_ports: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Accepts ``example.org``, ``example.org:8443``, ``127.0.0.1:8000``, ``[::1]:8000``."""
        any_port: set[str] = set()
        host_ports: set[tuple[str, int]] = set()
        for raw in entries:
            entry = raw.strip()
            if not entry:
                continue
            host, port = _split_host_port(entry)
            if port is None:
                any_port.add(normalise_host(host))
            else:
                host_ports.add((normalise_host(host), port))
        return cls(frozenset(any_port), frozenset(host_ports))

    def allows(self, host: str, port: int) -> bool:
        name = normalise_host(host)
        return name in self.any_port or (name, port) in self.host_ports


def _split_host_port(entry: str) -> tuple[str, int | None]:
    """``HOST[:PORT]`` with IPv6 literals in brackets; a bare IPv6 literal has no port."""
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif entry.count(":") == 1:
        host, _, port_text = entry.partition(":")
    else:
        host, port_text = entry, ""
    if not port_text:
        return host, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"allow-host entry {entry!r}: port must be a number from 1 to 65535")
    return host, int(port_text)


__all__ = ["AllowList", "IPAddress", "blocked_reason", "normalise_host", "parse_ip"]
