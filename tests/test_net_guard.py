"""The address and allow-list rules on their own (pure functions, no network)."""

from __future__ import annotations

import ipaddress

import pytest

from portfolio_gen.errors import ConfigError
from portfolio_gen.net.guard import AllowList, blocked_reason, normalise_host, parse_ip

REFUSED = ["127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255",
           "192.168.1.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.254",
           "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1",
           "255.255.255.255", "192.0.0.8", "198.18.0.1", "192.0.2.1",
           "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
           "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
           "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "2002:a9fe:a9fe::1", "2002:7f00:1::",
           "2001:0:4136:e378::1", "2001:db8::1"]
ALLOWED = ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111",
           "2a00:1450:4001:82a::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", REFUSED)
def test_refused_addresses(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


def test_reason_names_the_address() -> None:
    reason = blocked_reason(ipaddress.ip_address("::ffff:169.254.169.254"))
    assert reason is not None and "169.254.169.254" in reason


def test_parse_ip_and_normalise() -> None:
    assert parse_ip("[::1]") == ipaddress.ip_address("::1")
    assert parse_ip("issuer.example") is None
    assert normalise_host("[0:0::1]") == "::1"
    assert normalise_host("Issuer.Example.") == "issuer.example"


def test_allow_list_entries() -> None:
    allow = AllowList.parse(["Intranet.Example", "127.0.0.1:8443", "[::1]:9000", "[fe80::2]",
                             " ", "fd00::5"])
    assert allow.allows("intranet.example", 443) and allow.allows("INTRANET.example.", 80)
    assert allow.allows("127.0.0.1", 8443) and not allow.allows("127.0.0.1", 8444)
    assert allow.allows("::1", 9000) and allow.allows("[::1]", 9000)
    assert not allow.allows("::1", 9001)
    assert allow.allows("fe80::2", 1) and allow.allows("fd00::5", 22)
    assert not allow.allows("other.example", 443)


@pytest.mark.parametrize("entry", ["host:0", "host:70000", "host:http", "[::1]:x"])
def test_bad_allow_entries_are_config_errors(entry: str) -> None:
    with pytest.raises(ConfigError):
        AllowList.parse([entry])
