"""The ``portfolio-gen`` CLI against a real loopback issuer: output, exit codes, pin → offline."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from portfolio_gen.cli import main
from portfolio_gen.testing.ob2 import TestIssuer
from tests.support.httpserver import LoopbackServer

NOW = "2026-06-01T12:00:00Z"


@pytest.fixture
def issuer_and_badges(tmp_path: Path) -> Iterator[tuple[LoopbackServer, Path]]:
    with LoopbackServer() as srv:
        issuer = TestIssuer(srv.base + "/uni")
        badges = tmp_path / "badges"
        badges.mkdir()
        (badges / "good.jws").write_text(issuer.signed_assertion("s1"))
        (badges / "hosted.json").write_text(json.dumps(issuer.hosted_assertion("a1")))
        revoked_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, issuer.base_url + 's3')}"
        (badges / "revoked.jws").write_text(issuer.signed_assertion("s3"))
        issuer.revoke(revoked_id, "Issued in error")
        for path, body in issuer.documents().items():
            srv.add(path, body)
        yield srv, badges


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_table_lists_each_credential_with_verdict_and_reason(
        issuer_and_badges: tuple[LoopbackServer, Path]) -> None:
    srv, badges = issuer_and_badges
    code, out, _ = _invoke("verify", str(badges), "--allow-host", srv.host_port, "--no-cache",
                           "--now", NOW)
    assert code == 1  # one credential is revoked
    lines = out.splitlines()
    assert any(line.startswith("verified") and "good.jws" in line for line in lines), out
    assert any(line.startswith("verified") and "hosted.json" in line for line in lines), out
    assert any(line.startswith("revoked") and "revoked.jws" in line for line in lines), out
    assert "Issued in error" in out
    assert "3 credential(s): 1 revoked, 2 verified" in out


def test_all_verified_exits_zero_and_verbose_lists_checks(
        issuer_and_badges: tuple[LoopbackServer, Path]) -> None:
    srv, badges = issuer_and_badges
    code, out, _ = _invoke("verify", "-v", str(badges / "good.jws"), "--allow-host",
                           srv.host_port, "--no-cache", "--now", NOW)
    assert code == 0, out
    assert "✓ proof.signature" in out
    assert "✓ proof.key_binding" in out


def test_json_output_is_only_a_json_array(issuer_and_badges: tuple[LoopbackServer, Path]) -> None:
    srv, badges = issuer_and_badges
    code, out, _ = _invoke("verify", "--json", str(badges), "--allow-host", srv.host_port,
                           "--no-cache", "--now", NOW)
    assert code == 1
    reports = json.loads(out)
    assert [Path(r["source"]).name for r in reports] == ["good.jws", "hosted.json", "revoked.jws"]
    assert [r["verdict"] for r in reports] == ["verified", "verified", "revoked"]
    assert all(r["checked_at"] == NOW for r in reports)
    assert all(r["checks"] and {"id", "status", "code", "message"} <= r["checks"][0].keys()
               for r in reports)


def test_without_allow_host_the_loopback_issuer_is_refused(
        issuer_and_badges: tuple[LoopbackServer, Path]) -> None:
    srv, badges = issuer_and_badges
    code, out, _ = _invoke("verify", "--json", str(badges / "good.jws"), "--no-cache")
    assert code == 1
    [report] = json.loads(out)
    assert report["verdict"] == "unverifiable"
    assert srv.requests == []  # the guard refused before any request reached the server


def test_pin_then_verify_offline(issuer_and_badges: tuple[LoopbackServer, Path],
                                 tmp_path: Path) -> None:
    srv, badges = issuer_and_badges
    pins = tmp_path / "pins"
    code, out, _ = _invoke("pin", str(badges / "good.jws"), "--pins", str(pins),
                           "--allow-host", srv.host_port)
    assert code == 0, out
    assert (pins / "index.json").is_file()
    before = len(srv.requests)
    code, out, _ = _invoke("verify", "--json", "--offline", "--pins", str(pins),
                           str(badges / "good.jws"), "--now", NOW)
    assert code == 0, out
    [report] = json.loads(out)
    assert report["verdict"] == "verified"
    assert "pinned" in json.dumps(report["checks"])
    assert len(srv.requests) == before  # offline: nothing fetched


def test_offline_without_pins_is_unverifiable_not_invalid(
        issuer_and_badges: tuple[LoopbackServer, Path]) -> None:
    _, badges = issuer_and_badges
    code, out, _ = _invoke("verify", "--json", "--offline", str(badges / "good.jws"))
    assert code == 1
    [report] = json.loads(out)
    assert report["verdict"] == "unverifiable"


def test_bad_now_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = _invoke("verify", "--now", "yesterday", str(tmp_path))
    assert code == 2
    assert "--now" in err


def test_installed_entry_point_runs(issuer_and_badges: tuple[LoopbackServer, Path]) -> None:
    srv, badges = issuer_and_badges
    result = subprocess.run(
        [sys.executable, "-m", "portfolio_gen", "verify", "--json", str(badges / "good.jws"),
         "--allow-host", srv.host_port, "--no-cache"],
        capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["verdict"] == "verified"


def test_strict_turns_conformance_warnings_into_failures(tmp_path: Path) -> None:
    """Issue #12: a genuine credential whose subject names nobody is verified with a
    conformance warning; --strict (validator use) makes it invalid."""
    from portfolio_gen.testing.ob3 import Ob3Issuer

    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential()
    doc["credentialSubject"].pop("id")
    path = tmp_path / "nameless.json"
    path.write_text(json.dumps(issuer.sign_di(doc)))
    code, out, _ = _invoke("verify", "--offline", "--now", NOW, "--json", str(path))
    [report] = json.loads(out)
    assert code == 0 and report["verdict"] == "verified", out
    warned = [c for c in report["checks"] if c["status"] == "warn"
              and c["id"].startswith("conformance.")]
    assert [c["code"] for c in warned] == ["subject_unidentified"]
    code, out, _ = _invoke("verify", "--offline", "--now", NOW, str(path))
    assert code == 0 and "departs from the standard" in out and "subject_unidentified" in out
    code, out, _ = _invoke("verify", "--offline", "--strict", "--now", NOW, "--json", str(path))
    [report] = json.loads(out)
    assert code == 1 and report["verdict"] == "invalid", out
    assert "neither an id nor an identifier" in report["reason"]
