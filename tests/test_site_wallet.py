"""A wallet export in the badges folder: one page per credential, endorsements and holder shown.

Real MkDocs build (like tests/test_site_build.py), real proofs from portfolio_gen.testing,
offline (did:key issuers and holder need no network).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer
from tests.test_site_support import Node, parse_html

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
FORGED_WORDS = "Best college in the world <script>alert(1)</script>"


@pytest.fixture(scope="module", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    return _build(tmp_path_factory.mktemp("wallet-portfolio"))


def _build(root: Path, options: str = "") -> tuple[Path, bytes]:
    college = Ob3Issuer("Ed25519", "did:key", slot=11, name="City College")
    board = Ob3Issuer("P-256", "did:key", slot=12, name="Accreditation Board")
    holder = Ob3Issuer("Ed25519", "did:key", slot=13, name="Ada")
    good = board.sign_di(board.endorsement(college.id, "An accredited college."))
    forged = board.sign_di(board.endorsement(college.id, credential_id="urn:uuid:e-forged"))
    forged["credentialSubject"]["endorsementComment"] = FORGED_WORDS
    teamwork = college.credential(subject_id=holder.id)
    teamwork["issuer"]["endorsement"] = [good, forged]
    credentials = [college.sign_di(teamwork),
                   college.sign_jwt(college.credential(achievement_name="Maths",
                                                       credential_id="urn:uuid:maths"))]
    vp = holder.sign_presentation(holder.presentation(credentials))
    (root / "badges").mkdir()
    (root / "docs").mkdir()
    (root / "reflections").mkdir()
    text = json.dumps(vp, indent=2)
    (root / "badges" / "wallet.json").write_text(text, encoding="utf-8")
    (root / "profile.yml").write_text("name: Ada Example\n")
    (root / "mkdocs.yml").write_text(
        "site_name: Ada Example\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - portfolio:\n      now: 2026-06-01T12:00:00Z\n" + options)
    out = root / "site"
    summary = build_site(root, site_dir=out, now=NOW, fetcher=OfflineFetcher())
    assert (summary.verified + summary.hidden, summary.flagged, summary.problems) == (2, 0, ())
    start = text.index('"verifiableCredential": [') + len('"verifiableCredential": [')
    first = text[start:].lstrip()
    first_bytes = json.dumps(credentials[0], indent=2).replace("\n", "\n    ").encode()
    assert first.encode().startswith(first_bytes)
    return out, first_bytes


def _page(site: Path, slug: str) -> Node:
    return parse_html(site / "credentials" / slug / "index.html")


def test_each_credential_of_the_wallet_has_its_page(site: tuple[Path, bytes]) -> None:
    out, first_bytes = site
    assert (out / "credentials" / "teamwork" / "index.html").is_file()
    assert (out / "credentials" / "maths" / "index.html").is_file()
    originals = list((out / "credentials" / "teamwork").glob("original.*"))
    assert [p.read_bytes() for p in originals] == [first_bytes]  # its own bytes, not the VP


def test_endorsements_show_their_verdicts(site: tuple[Path, bytes]) -> None:
    out, _ = site
    html = (out / "credentials" / "teamwork" / "index.html").read_text(encoding="utf-8")
    assert "Accreditation Board" in html and "endorses the issuer" in html
    assert "Verified endorsement" in html and "An accredited college." in html
    assert "Endorsement invalid" in html
    assert "Best college in the world" not in html and "alert(1)" not in html


def test_holder_is_shown_in_the_verification_panel(site: tuple[Path, bytes]) -> None:
    out, _ = site
    html = (out / "credentials" / "teamwork" / "index.html").read_text(encoding="utf-8")
    assert "The presentation is signed by its holder did:key:" in html
    text = _page(out, "teamwork").find("section", "pg-verification").text
    assert "the holder is the credential's subject" in text


def test_one_credential_of_a_wallet_can_be_hidden(tmp_path: Path) -> None:
    out, _ = _build(tmp_path, "      credentials:\n        wallet.json#1: {hidden: true}\n")
    assert (out / "credentials" / "teamwork" / "index.html").is_file()
    assert not (out / "credentials" / "maths").exists()
    published = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    token = json.loads((tmp_path / "badges" / "wallet.json").read_text())["verifiableCredential"][1]
    assert token.split(".")[2].encode() not in published  # not even in another page's download
    assert b"Maths" not in published
