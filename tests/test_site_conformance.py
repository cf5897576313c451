"""Issue #12 on the site: genuine but nonconformant credentials are shown as verified with
their conformance notes in plain words; plain W3C VCs get the generic layout; the plugin's
``strict: true`` turns the notes into failures. Real MkDocs + Material builds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portfolio_gen.holder.profile_edit import add_identifier
from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.testing.ob3 import Ob3Issuer
from tests.test_site_support import Node, make_portfolio, parse_html

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


def _portfolio(root: Path, plugin_options: str = "") -> object:
    fetcher = make_portfolio(root, plugin_options=plugin_options)
    issuer = Ob3Issuer("Ed25519", "did:key", slot=6)
    nameless = issuer.credential(achievement_name="Nameless Subject Badge")
    nameless["credentialSubject"] = {"type": ["AchievementSubject"], "name": "Ada Example",
                                     "achievement": nameless["credentialSubject"]["achievement"]}
    (root / "badges" / "nameless.json").write_text(json.dumps(issuer.sign_di(nameless)))
    plain = {"@context": ["https://www.w3.org/ns/credentials/v2"],
             "id": "urn:uuid:5d0c9a52-7d3c-4f0e-9d55-0a9c3c1f7b21",
             "type": ["VerifiableCredential"], "issuer": {"id": issuer.id, "name": "Guild"},
             "validFrom": "2026-01-01T00:00:00Z", "name": "Workshop Attendance",
             "description": "Attended the *spring* workshop.",
             "credentialSubject": {"id": "did:example:ada", "name": "Ada <b>Example</b>"}}
    (root / "badges" / "plain.json").write_text(json.dumps(issuer.sign_di(plain)))
    # the plain VC names the learner by this DID: declared, it is "issued to" her (issue #14)
    add_identifier(root / "profile.yml", "did:example:ada")
    return fetcher


def _page(site: Path, slug: str) -> Node:
    return parse_html(site / "credentials" / slug / "index.html")


def _slug(site: Path, name: str) -> str:
    index = parse_html(site / "credentials" / "index.html")
    for card in index.find_all("article", "pg-card"):
        link = card.find("a")
        if link.text == name:
            return link.attrs["href"].strip("/").split("/")[-1]
    raise AssertionError(f"no card named {name!r}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("portfolio")
    fetcher = _portfolio(root)
    build_site(root, site_dir=root / "site", now=NOW, fetcher=fetcher)  # type: ignore[arg-type]
    return root / "site"


def test_nameless_subject_is_verified_with_a_note_for_people(site: Path) -> None:
    doc = _page(site, _slug(site, "Nameless Subject Badge"))
    assert doc.find("div", "pg-seal").attrs["data-seal"] == "verified"
    notes = doc.find("div", "pg-conformance")
    assert [li.attrs["data-conformance"] for li in notes.find_all("li")] == \
        ["subject_unidentified"]
    assert ("This credential does not name its recipient, so it cannot be tied to a person "
            "by itself.") in notes.text
    assert "do not change the result above" in notes.text
    row = doc.find("li", pred=lambda n: n.attrs.get("data-check") == "conformance.subject")
    assert row.find("span", "pg-check__result").text == "⚠ Departs from the standard"


def test_plain_vc_gets_the_generic_layout(site: Path) -> None:
    doc = _page(site, _slug(site, "Workshop Attendance"))
    # Genuine, and it names did:example:ada, which the learner declares (issue #14).
    assert doc.find("div", "pg-seal").attrs["data-seal"] == "verified"
    assert doc.find("div", "pg-fact--recipient").attrs["data-recipient"] == "issued-to"
    about = doc.find("section", "pg-attested")
    assert "Criteria" not in about.text
    pairs = about.find("dl", "pg-pairs")
    assert (pairs.find("dt").text, pairs.find("dd").text) == ("Name", "Ada <b>Example</b>")
    assert not pairs.find_all("b")
    assert "Verifiable Credential" in doc.find("span", "pg-type").text
    notes = doc.find("div", "pg-conformance")
    assert "general verifiable credential rather than an Open Badge" in notes.text


def test_strict_plugin_option_fails_them(tmp_path: Path) -> None:
    fetcher = _portfolio(tmp_path, "      strict: true\n")
    build_site(tmp_path, site_dir=tmp_path / "site", now=NOW, fetcher=fetcher)  # type: ignore[arg-type]
    site = tmp_path / "site"
    for name in ("Nameless Subject Badge", "Workshop Attendance"):
        doc = _page(site, _slug(site, name))
        seal = doc.find("div", "pg-seal")
        assert "pg-seal--unverified" in seal.attrs["class"]
        assert not doc.find_all("div", "pg-conformance")
