"""``portfolio-gen add`` against loopback servers imitating each platform (import.md §2-§6).

The servers answer as the platforms do (content negotiation, redirects, status codes,
HTML pages); nothing here talks to a real site.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from portfolio_gen.cli import main
from portfolio_gen.importer.add import Added, Importer, Skipped
from portfolio_gen.importer.platforms import ApiBases
from portfolio_gen.importer.target import find_portfolio
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.store import LayeredFetcher
from portfolio_gen.scaffold import create_portfolio
from portfolio_gen.testing.bake import bake_png, make_png
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify.context import VerifyContext
from tests.support.httpserver import LoopbackServer, Route

UUID = "0b9d7c2a-54f1-4e0e-8a77-3c2b1d0e9f11"
HEX = "a" * 40
OB3 = Ob3Issuer()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[LoopbackServer, TestIssuer, Path]]:
    """A new portfolio and a loopback issuer whose documents are published."""
    folder = tmp_path / "my-portfolio"
    create_portfolio(folder, name="Ada Example")
    with LoopbackServer() as srv:
        issuer = TestIssuer(srv.base + "/uni")
        for path, body in issuer.documents().items():
            srv.add(path, body)
        yield srv, issuer, folder


def _hosted(srv: LoopbackServer, issuer: TestIssuer, path: str) -> bytes:
    """An OB 2.0 hosted assertion whose id is ``path`` on the server (as platforms host them)."""
    doc = issuer.assertion(srv.url(path), verification={"type": "HostedBadge"})
    return json.dumps(doc, indent=2).encode()


def _badgr(srv: LoopbackServer, body: bytes, entity: str = "abc123") -> None:
    """Badgr's rule: Accept with text/html → 302 to the app; otherwise JSON; .json always JSON."""
    def negotiate(headers: dict[str, str]) -> Route:
        if "text/html" in headers.get("Accept", ""):
            return Route(b"", 302, "text/html",
                         {"Location": f"/ui/public/assertions/{entity}"})
        return Route(body, 200, "application/ld+json")
    srv.routes[f"/public/assertions/{entity}"] = Route(negotiate=negotiate)
    srv.add(f"/public/assertions/{entity}.json", body, content_type="application/ld+json")
    srv.add(f"/ui/public/assertions/{entity}", "<html><body>app</body></html>",
            content_type="text/html")


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _badges(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "badges").iterdir() if p.name != "README.md")


def _importer(folder: Path, srv: LoopbackServer, bases: ApiBases) -> Importer:
    fetcher = LayeredFetcher(GuardedHttpFetcher(allow_hosts=[srv.host_port]))
    return Importer(find_portfolio(folder), fetcher=fetcher,
                    ctx=VerifyContext(fetcher=fetcher, now=datetime.now(UTC)), bases=bases)


# -- platforms ------------------------------------------------------------------------------

def test_badgr_page_url_is_fetched_as_json_without_html_or_the_email(
        site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, issuer, folder = site
    body = _hosted(srv, issuer, "/public/assertions/abc123")
    _badgr(srv, body)
    page = srv.url("/public/assertions/abc123?identity__email=ada%40example.org&action=download")
    code, out = _cli("add", page, "--to", str(folder), "--allow-host", srv.host_port,
                     "--no-cache")
    assert code == 0, out
    assert "verified" in out and "Robotics Fundamentals" in out
    assert "ada@example.org" not in out and "ada%40example.org" not in out
    assert _badges(folder) == ["robotics-fundamentals.json"]
    assert (folder / "badges" / "robotics-fundamentals.json").read_bytes() == body
    first_path, first_headers = srv.requests[0]
    assert first_path == "/public/assertions/abc123.json"
    assert "text/html" not in first_headers["Accept"]
    assert first_headers["User-Agent"].startswith("portfolio-gen/")
    assert not any("identity__email" in path for path, _ in srv.requests)
    # pins were written for offline builds, and the credential then verifies offline
    assert json.loads((folder / "pins" / "index.json").read_text())
    code, out = _cli("verify", "--offline", "--pins", str(folder / "pins"),
                     str(folder / "badges" / "robotics-fundamentals.json"))
    assert code == 0, out


def test_credly_page_forms_go_to_the_obi_assertion(
        site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, issuer, folder = site
    path = f"/v1/obi/v2/badge_assertions/{UUID}"
    srv.add(path, _hosted(srv, issuer, path))
    importer = _importer(folder, srv, ApiBases(credly=srv.base))
    events = list(importer.add(f"https://www.credly.com/badges/{UUID}/public_url"))
    [added] = events
    assert isinstance(added, Added) and added.report is not None, events
    assert added.report.verdict.value == "verified"
    again = list(importer.add(f"https://www.youracclaim.com/badges/{UUID}"))
    assert [(type(e), getattr(e, "status", "")) for e in again] == [(Added, "present")]
    assert _badges(folder) == ["robotics-fundamentals.json"]
    [refused] = list(importer.add("https://www.credly.com/org/acme/badge/robotics"))
    assert isinstance(refused, Skipped) and "description, not your award" in refused.reason


def test_html_page_with_a_discovery_link_and_a_redirect(
        site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, issuer, folder = site
    srv.add("/data/a7.json", _hosted(srv, issuer, "/data/a7.json"),
            content_type="application/ld+json")
    srv.add("/moved/a7", b"", status=301, headers={"Location": "/badge/a7"})
    srv.add("/badge/a7", '<!doctype html><html><head><title>My badge</title>'
            '<link rel="alternate" type="application/ld+json" href="/data/a7.json">'
            "</head><body>Badge</body></html>", content_type="text/html; charset=utf-8")
    code, out = _cli("add", srv.url("/moved/a7"), "--to", str(folder), "--allow-host",
                     srv.host_port, "--no-cache")
    assert code == 0, out
    assert _badges(folder) == ["robotics-fundamentals.json"]


def test_a_page_without_badge_data_is_refused_with_advice(
        site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, _, folder = site
    srv.add("/plain", "<html><head><title>x</title></head></html>", content_type="text/html")
    code, out = _cli("add", srv.url("/plain"), "--to", str(folder), "--allow-host",
                     srv.host_port, "--no-cache")
    assert code == 1
    assert "holds no badge data" in out and "portfolio-gen add <file>" in out
    assert _badges(folder) == []


@pytest.mark.parametrize(("status", "said"), [
    (404, "not found"), (410, "revoked"), (403, "private"), (401, "private"),
    (429, "try again later"), (503, "try again later")])
def test_status_codes_add_nothing_and_say_why(
        site: tuple[LoopbackServer, TestIssuer, Path], status: int, said: str) -> None:
    srv, _, folder = site
    srv.add("/v1/assertion/" + HEX, b'{"revoked": true}', status=status)
    code, out = _cli("add", srv.url(f"/v1/assertion/{HEX}.html"), "--to", str(folder),
                     "--allow-host", srv.host_port, "--no-cache")
    assert code == 1 and said in out, out
    assert srv.requests[0][0] == f"/v1/assertion/{HEX}"  # OBF: .html page → JSON assertion
    assert _badges(folder) == []


def test_accredible_not_found_suggests_the_downloaded_png(
        site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, _, folder = site
    importer = _importer(folder, srv, ApiBases(accredible=srv.base))
    [event] = list(importer.add(f"https://www.credential.net/{UUID}"))
    assert isinstance(event, Skipped)
    assert "Download the badge image" in event.reason or "download the badge image" in event.reason
    assert srv.requests[0][0] == f"/v1/obi/badge_assertions/{UUID}"


def test_verifierplus_link_json_is_split_into_credentials(
        site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, _, folder = site
    one = json.dumps(OB3.sign_di(OB3.credential(achievement_name="Teamwork")), indent=2)
    envelope = (f'{{"credential": [{one}], "vp": {{"type": ["VerifiablePresentation"], '
                f'"holder": "did:example:me", "verifiableCredential": [{one}]}}, '
                f'"id": "{UUID}", "shared": true}}')
    srv.add(f"/api/credentials/{UUID}", envelope)
    code, out = _cli("add", srv.url(f"/api/credentials/{UUID}"), "--to", str(folder),
                     "--allow-host", srv.host_port, "--no-cache")
    assert code == 0, out
    assert _badges(folder) == ["teamwork.json"]
    assert (folder / "badges" / "teamwork.json").read_text() == one


# -- local files and wallets ----------------------------------------------------------------

def test_baked_png_copied_never_overwritten_and_identical_is_a_no_op(
        site: tuple[LoopbackServer, TestIssuer, Path], tmp_path: Path) -> None:
    srv, issuer, folder = site
    png = bake_png(make_png(), issuer.signed_assertion("s1"))
    (tmp_path / "Badge (1).png").write_bytes(png)
    args = ("--to", str(folder), "--allow-host", srv.host_port, "--no-cache")
    code, out = _cli("add", str(tmp_path / "Badge (1).png"), *args)
    assert code == 0, out
    assert (folder / "badges" / "robotics-fundamentals.png").read_bytes() == png
    code, out = _cli("add", str(tmp_path / "Badge (1).png"), *args)
    assert code == 0 and "already there" in out and "identical file" in out
    other = bake_png(make_png(32, 32), issuer.signed_assertion("s2"))  # same achievement
    (tmp_path / "other.png").write_bytes(other)
    code, out = _cli("add", str(tmp_path / "other.png"), *args)
    assert code == 0, out
    [new_name] = set(_badges(folder)) - {"robotics-fundamentals.png"}
    assert new_name.startswith("robotics-fundamentals-") and new_name.endswith(".png")
    assert (folder / "badges" / new_name).read_bytes() == other
    assert (folder / "badges" / "robotics-fundamentals.png").read_bytes() == png


def test_lcw_shared_credentials_and_backup(site: tuple[LoopbackServer, TestIssuer, Path],
                                          tmp_path: Path) -> None:
    _, _, folder = site
    a = json.dumps(OB3.sign_di(OB3.credential(achievement_name="Teamwork")), indent=2)
    b = json.dumps(OB3.sign_di(OB3.credential(
        achievement_name="Public Speaking",
        credential_id="urn:uuid:9a8b7c6d-2222-4c8e-9d7a-0d7a1b2c3d4e")), indent=2)
    vp = ('{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": '
          f'["VerifiablePresentation"], "verifiableCredential": [{a}, {b}]}}')
    (tmp_path / "SharedCredentials.txt").write_text(vp)
    same_as_a = json.dumps(json.loads(a))  # the same credential, other bytes
    backup = (f'{{"type": "UniversalWallet2020", "status": "UNLOCKED", "contents": [{same_as_a}, '
              '{"type": "Ed25519VerificationKey2020", "privateKeyMultibase": "zSECRETKEY"}]}')
    (tmp_path / "Wallet Backup.json").write_text(backup)
    code, out = _cli("add", str(tmp_path / "SharedCredentials.txt"),
                     str(tmp_path / "Wallet Backup.json"), "--to", str(folder), "--offline")
    assert code == 0, out
    assert _badges(folder) == ["public-speaking.json", "teamwork.json"]
    assert (folder / "badges" / "teamwork.json").read_text() == a
    assert "never publish" in out.lower() and "private keys" in out
    assert "same credential" in out  # the backup's copy of Teamwork is not added twice
    for name in os.listdir(folder / "badges"):
        assert b"SECRETKEY" not in (folder / "badges" / name).read_bytes()


def test_files_that_are_not_badges_are_skipped_with_a_hint(
        site: tuple[LoopbackServer, TestIssuer, Path], tmp_path: Path) -> None:
    _, _, folder = site
    (tmp_path / "screenshot.png").write_bytes(make_png())
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    (tmp_path / "broken.json").write_text('{"@context": "https://w3id.org/openbadges/v2", "ty')
    code, out = _cli("add", str(tmp_path), "--to", str(folder), "--offline")
    assert code == 1
    assert "no badge data baked in" in out and "Download Baked Image" in out
    assert "JPEG" in out and "damaged or incomplete" in out
    assert _badges(folder) == []


def test_not_a_portfolio_folder_exits_2_and_suggests_new(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "portfolio_gen", "add", "x.png", "--to",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "portfolio-gen new" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_offline_cannot_fetch_urls(site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, _, folder = site
    code, out = _cli("add", srv.url("/public/assertions/zz"), "--to", str(folder), "--offline")
    assert code == 1 and "--offline" in out
    assert srv.requests == []


def test_hostile_pages_cannot_steer_the_fetcher_or_leak_the_email(
        site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, _, folder = site
    srv.add("/evil", '<link rel="alternate" type="application/json" '
            'href="http://169.254.169.254/latest/meta-data/">', content_type="text/html")
    code, out = _cli("add", srv.url("/evil"), srv.url("/public/assertions/gone?identity__email="
                                                      "ada%40example.org"),
                     "--to", str(folder), "--allow-host", srv.host_port, "--no-cache")
    assert code == 1
    assert "could not be fetched" in out and "169.254.169.254" in out
    assert "not found" in out and "ada@" not in out and "ada%40" not in out
    assert [p for p, _ in srv.requests] == ["/evil", "/public/assertions/gone.json"]
    assert _badges(folder) == []


def test_badgr_collection_and_passport_info_lead_to_each_assertion(
        site: tuple[LoopbackServer, TestIssuer, Path]) -> None:
    srv, issuer, folder = site
    first = _hosted(srv, issuer, "/public/assertions/one")
    _badgr(srv, first, "one")
    issuer.badge_extra = {"id": srv.url("/uni/badge-b.json"), "name": "Soldering Safety"}
    srv.add("/uni/badge-b.json", issuer.badge_class())
    second = json.dumps(issuer.assertion(srv.url("/public/assertions/two"),
                                         verification={"type": "HostedBadge"},
                                         badge=srv.url("/uni/badge-b.json"))).encode()
    _badgr(srv, second, "two")
    collection = {"type": "Collection", "badges": [json.loads(first), json.loads(second)]}
    srv.add("/public/collections/h4sh.json?expand=badges.badge&expand=badges.badge.issuer",
            collection)
    code, out = _cli("add", srv.url("/public/collections/h4sh"), "--to", str(folder),
                     "--allow-host", srv.host_port, "--no-cache")
    assert code == 0, out
    assert _badges(folder) == ["robotics-fundamentals.json", "soldering-safety.json"]
    assert (folder / "badges" / "soldering-safety.json").read_bytes() == second
    # Open Badge Passport's public badge info names the assertion URL: followed, not saved
    srv.add("/obpv1/p/badge/info/7", {"assertion_url": srv.url("/public/assertions/one"),
                                      "name": "Robotics Fundamentals"})
    code, out = _cli("add", srv.url("/obpv1/p/badge/info/7"), "--to", str(folder),
                     "--allow-host", srv.host_port, "--no-cache")
    assert code == 0 and "identical file" in out, out
