"""What a signature proves: each report says what anchors the issuer's name (domain, a
registry the site owner chose, or nothing), and no page or share artefact presents a
self-asserted name as checked (verification.md §7 item 17).

Real keys and proofs; did:web, https controller documents and OB 2.0 issuers over real TLS
loopback servers; real registry files; real site builds."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import ImageDraw

from portfolio_gen.cli import main
from portfolio_gen.errors import ConfigError
from portfolio_gen.ingest import Container, Kind, RawCredential, read_file
from portfolio_gen.model.normalize import credential_from_report
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.render.sharing import ShareSettings, share_info
from portfolio_gen.share import cards, embed, iframe_card, jsonld, links, oembed, og
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify.anchor import SELF_ASSERTED_SENTENCE, issuer_domain
from portfolio_gen.verify.cache import CachedVerifier, ReportCache
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.registry import Registry, load_registry, registries_digest
from portfolio_gen.verify.report import Verdict, VerificationReport
from portfolio_gen.verify.report_json import report_from_dict, report_to_cache_dict
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer

FAMOUS = "Harvard University"


def raw_of(doc: dict[str, Any]) -> RawCredential:
    return RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL,
                         json.dumps(doc).encode(), document=doc)


def offline(*registries: Registry) -> VerifyContext:
    return VerifyContext(OfflineFetcher(), FIXED_NOW, VerifyOptions(registries=registries))


def impostor() -> tuple[Ob3Issuer, dict[str, Any]]:
    """A did:key anyone could mint, naming a famous university, properly signed."""
    issuer = Ob3Issuer("Ed25519", "did:key", name=FAMOUS, slot=7)
    doc = issuer.credential(achievement_name="Doctor of Philosophy")
    doc["credentialSubject"]["achievement"]["id"] = "https://example.org/achievements/phd"
    return issuer, issuer.sign_di(doc)


def write_registry(path: Path, issuers: dict[str, dict[str, str]],
                   name: str = "Careers office trusted issuers") -> Path:
    lines = [f"name: {name}", "issuers:"]
    for issuer_id, entry in issuers.items():
        lines.append(f'  "{issuer_id}":')
        lines += [f"    {k}: {v}" for k, v in entry.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


# -- the report's anchor, for each kind --------------------------------------------------------

def test_did_key_naming_a_famous_university_is_verified_but_self_asserted() -> None:
    issuer, doc = impostor()
    report = verify_item(raw_of(doc), offline())
    assert report.verdict is Verdict.VERIFIED, report.to_dict()   # the signature is real
    assert report.issuer.name == FAMOUS
    data = report.to_dict()["issuer"]
    assert data["anchor"] == "self-asserted" and data["anchor_detail"] is None
    assert data["id"] == issuer.id and "listed_name" not in data


def test_did_jwk_is_self_asserted() -> None:
    issuer = Ob3Issuer("P-256", "did:jwk", name=FAMOUS)
    report = verify_item(raw_of(issuer.sign_di(issuer.credential())), offline())
    assert report.verdict is Verdict.VERIFIED
    assert (report.issuer.anchor, report.issuer.anchor_detail) == ("self-asserted", None)


@pytest.fixture
def tls() -> Iterator[LoopbackServer]:
    with LoopbackServer(tls=True) as srv:
        yield srv


def tls_ctx(srv: LoopbackServer, *registries: Registry) -> VerifyContext:
    assert srv.ca_path is not None
    return VerifyContext(GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path),
                         FIXED_NOW, VerifyOptions(registries=registries))


@pytest.mark.parametrize("method", ["did:web", "https"])
def test_did_web_and_https_controller_documents_are_anchored_by_domain(
        tls: LoopbackServer, method: str) -> None:
    issuer = Ob3Issuer("Ed25519", method, host_port=tls.host_port,  # type: ignore[arg-type]
                       name="Meridian University")
    for path, body in issuer.documents().items():
        tls.add(path, body)
    report = verify_item(raw_of(issuer.sign_di(issuer.credential())), tls_ctx(tls))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.to_dict()["issuer"]["anchor"] == "domain"
    assert report.issuer.anchor_detail == tls.host_port     # the domain that served the key


def _ob2_raw(tmp_path: Path, name: str, text: str) -> RawCredential:
    path = tmp_path / name
    path.write_text(text)
    (item,) = read_file(path)
    assert isinstance(item, RawCredential)
    return item


def test_ob2_signed_and_hosted_https_issuers_are_anchored_by_domain(
        tls: LoopbackServer, tmp_path: Path) -> None:
    issuer = TestIssuer(tls.base + "/uni", name="Northbridge College")
    signed = issuer.signed_assertion("s1")
    hosted = issuer.hosted_assertion("h1")
    for path, body in issuer.documents().items():
        tls.add(path, body)
    for name, text in (("signed.jws", signed), ("hosted.json", json.dumps(hosted))):
        report = verify_item(_ob2_raw(tmp_path, name, text), tls_ctx(tls))
        assert report.verdict is Verdict.VERIFIED, report.to_dict()
        assert (report.issuer.anchor, report.issuer.anchor_detail) == ("domain", tls.host_port)


def test_plain_http_issuer_is_not_anchored(tmp_path: Path) -> None:
    """--allow-host lets a plain-http issuer verify, but anyone on the path could have
    answered for it: its name is not anchored by a domain."""
    with LoopbackServer() as srv:
        issuer = TestIssuer(srv.base + "/uni", name="Intranet College")
        signed = issuer.signed_assertion("s1")
        for path, body in issuer.documents().items():
            srv.add(path, body)
        ctx = VerifyContext(GuardedHttpFetcher(allow_hosts=[srv.host_port]), FIXED_NOW)
        report = verify_item(_ob2_raw(tmp_path, "b.jws", signed), ctx)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.issuer.anchor == "self-asserted"


def test_a_forged_credential_naming_a_real_domain_is_not_anchored(tls: LoopbackServer) -> None:
    """An attacker's did:key signs a credential whose issuer id is the victim's https id:
    the binding fails, and the report must not say the victim's domain anchors it."""
    victim = Ob3Issuer("Ed25519", "https", host_port=tls.host_port, name="Victim University")
    for path, body in victim.documents().items():
        tls.add(path, body)
    attacker = Ob3Issuer("Ed25519", "did:key", slot=3)
    doc = victim.credential()
    forged = attacker.sign_di(doc)
    report = verify_item(raw_of(forged), tls_ctx(tls))
    assert report.verdict is not Verdict.VERIFIED
    assert report.issuer.anchor == "self-asserted" and report.issuer.anchor_detail is None


def test_issuer_domain_reads_hosts_not_paths_or_userinfo() -> None:
    assert issuer_domain("https://Uni.example/issuer") == "uni.example"
    assert issuer_domain("https://uni.example:8443/i") == "uni.example:8443"
    assert issuer_domain("did:web:uni.example%3A8443:users:alice") == "uni.example:8443"
    assert issuer_domain("did:web:evil.example%2Fpath") is None
    assert issuer_domain("http://uni.example/issuer") is None
    assert issuer_domain("did:key:z6Mk") is None
    assert issuer_domain("https://") is None
    # a look-alike host is shown as what it is, never as the name it imitates
    homograph = issuer_domain("https://h\u0430rvard.edu/issuer")
    assert homograph is not None and homograph.startswith("xn--") and homograph.endswith(".edu")
    assert issuer_domain("did:web:h\u0430rvard.edu").startswith("xn--")  # type: ignore[union-attr]
    assert issuer_domain("did:web:uni.example%3Aabc") is None


def test_bidi_controls_in_a_name_cannot_reorder_the_honest_words() -> None:
    from portfolio_gen.verify.anchor import issued_by

    assert issued_by("Harvard\u202e University", "self-asserted") == (
        "Issued by a key that calls itself Harvard University")


# -- registries -----------------------------------------------------------------------------------

def test_registry_listed_not_listed_and_name_mismatch(tmp_path: Path) -> None:
    issuer, doc = impostor()
    listed = load_registry(write_registry(tmp_path / "careers.yml", {
        issuer.id: {"name": "Civic Data Lab", "url": "https://civicdatalab.example"}}))
    other = load_registry(write_registry(tmp_path / "other.yml", {
        "did:key:z6MkOther": {"name": FAMOUS}}, name="Other list"))

    report = verify_item(raw_of(doc), offline(other, listed))
    data = report.to_dict()["issuer"]
    assert report.verdict is Verdict.VERIFIED
    assert data["anchor"] == "registry"
    assert data["anchor_detail"] == "Careers office trusted issuers"
    assert data["listed_name"] == "Civic Data Lab" and data["name"] == FAMOUS
    cred = credential_from_report(report, slug="x", source="x.json", source_path=None,
                                  file_bytes=b"")
    # the registry's name leads; the credential's own claim is shown beside it
    assert cred.issuer.issued_by == ("Issued by Civic Data Lab (Careers office trusted issuers; "
                                     f"the credential says \u201c{FAMOUS}\u201d)")
    # a card line holds the registry's name, never the claimed one; the registry goes beside
    # the state
    assert (cred.issuer.card_line, cred.issuer.anchor_note) == (
        "Civic Data Lab", "listed in Careers office trusted issuers")

    not_listed = verify_item(raw_of(doc), offline(other))
    assert not_listed.issuer.anchor == "self-asserted"


def test_registry_entry_with_the_same_name_reads_plainly(tmp_path: Path) -> None:
    issuer, doc = impostor()
    reg = load_registry(write_registry(tmp_path / "r.yml", {issuer.id: {"name": FAMOUS}}))
    report = verify_item(raw_of(doc), offline(reg))
    cred = credential_from_report(report, slug="x", source="x.json", source_path=None,
                                  file_bytes=b"")
    assert cred.issuer.issued_by == f"Issued by {FAMOUS} (Careers office trusted issuers)"


def test_a_listed_id_does_not_anchor_a_credential_that_fails(tmp_path: Path) -> None:
    issuer, doc = impostor()
    reg = load_registry(write_registry(tmp_path / "r.yml", {issuer.id: {"name": FAMOUS}}))
    doc["credentialSubject"]["achievement"]["name"] = "Forged degree"
    report = verify_item(raw_of(doc), offline(reg))
    assert report.verdict is Verdict.INVALID
    assert report.issuer.anchor == "self-asserted"


def test_dcc_registry_file_is_read_and_named_after_the_file(tmp_path: Path) -> None:
    issuer, doc = impostor()
    path = tmp_path / "dcc-community-registry.json"
    path.write_text(json.dumps({
        "meta": {"created": "2024-01-01T00:00:00+00:00", "updated": "2025-01-01T00:00:00+00:00"},
        "registry": {issuer.id: {"name": "Example Test Issuer", "location": "Somewhere",
                                 "url": "https://issuer.example"}}}))
    reg = load_registry(path)
    assert reg.name == "dcc-community-registry"
    # the same bytes under another file name are another registry (and another cache key)
    copy = tmp_path / "dcc-sandbox-registry.json"
    copy.write_bytes(path.read_bytes())
    assert registries_digest([reg]) != registries_digest([load_registry(copy)])
    report = verify_item(raw_of(doc), offline(reg))
    assert (report.issuer.anchor, report.issuer.anchor_detail,
            report.issuer.listed_name) == ("registry", "dcc-community-registry",
                                           "Example Test Issuer")


@pytest.mark.parametrize(("name", "text", "needle"), [
    ("dup.yml", "name: A\nname: B\nissuers: {}\n", "more than once"),
    ("dup.json", '{"name": "A", "issuers": {"did:key:z": {"name": "x"}, '
                 '"did:key:z": {"name": "y"}}}', "more than once"),
    ("nan.json", '{"name": "A", "issuers": {}, "x": NaN}', "not valid JSON"),
    ("extra.yml", "name: A\nissuers: {}\ntrusted_by_default: true\n", "unknown key"),
    ("entry.yml", 'name: A\nissuers:\n  "did:key:z": {name: X, admin: true}\n', "unknown key"),
    ("url.yml", 'name: A\nissuers:\n  "did:key:z": {name: X, url: "javascript:alert(1)"}\n',
     "http(s) URL"),
    ("id.yml", 'name: A\nissuers:\n  "did:key:z x": {name: X}\n', "not an issuer id"),
    ("noname.yml", 'issuers:\n  "did:key:z": {name: X}\n', "non-empty name"),
    ("bidi.yml", 'name: A\nissuers:\n  "did:key:z": {name: "Harvard\\u202e"}\n',
     "bidirectional"),
    ("list.yml", "- a\n- b\n", "expected a registry mapping"),
    ("empty.yml", "", "expected a registry mapping"),
    ("bad.yml", "name: [unclosed\n", "not a valid registry"),
    ("obj.yml", "name: A\nissuers: !!python/object:os.system {}\n", "not a valid registry"),
    ("shape.yml", "name: A\nentries_list: []\n", "expected the key 'issuers'"),
])
def test_bad_registry_files_are_config_errors_naming_the_file(
        tmp_path: Path, name: str, text: str, needle: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_registry(path)
    assert str(path) in str(err.value) and needle in str(err.value), str(err.value)


def test_missing_registry_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the registry file"):
        load_registry(tmp_path / "nope.yml")


# -- the CLI ------------------------------------------------------------------------------------

def test_cli_json_shows_anchor_and_registry_option(tmp_path: Path) -> None:
    issuer, doc = impostor()
    badge = tmp_path / "phd.json"
    badge.write_text(json.dumps(doc))
    runner = CliRunner()
    args = ["verify", "--offline", "--now", "2026-06-01T00:00:00Z", "--json", str(badge)]
    out = runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    (report,) = json.loads(out.output)
    assert report["verdict"] == "verified"
    assert report["issuer"]["anchor"] == "self-asserted"

    reg = write_registry(tmp_path / "careers.yml", {issuer.id: {"name": FAMOUS}})
    out = runner.invoke(main, [*args, "--registry", str(reg)])
    (report,) = json.loads(out.output)
    assert (report["issuer"]["anchor"], report["issuer"]["anchor_detail"]) == (
        "registry", "Careers office trusted issuers")

    verbose = runner.invoke(main, ["verify", "--offline", "-v", str(badge)])
    assert f"issuer (self-asserted): Issued by a key that calls itself {FAMOUS}" in verbose.output


def test_cli_bad_registry_exits_2_naming_the_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    _, doc = impostor()
    badge = tmp_path / "phd.json"
    badge.write_text(json.dumps(doc))
    reg = tmp_path / "bad.yml"
    reg.write_text("name: A\nname: B\nissuers: {}\n")
    proc = subprocess.run([sys.executable, "-m", "portfolio_gen", "verify", "--offline",
                           "--registry", str(reg), str(badge)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    assert str(reg) in proc.stderr and "more than once" in proc.stderr


# -- the cache keeps the anchor and keys on the registries -----------------------------------------

def test_report_cache_round_trip_keeps_the_anchor(tmp_path: Path) -> None:
    issuer, doc = impostor()
    reg = load_registry(write_registry(tmp_path / "r.yml", {issuer.id: {"name": "Civic"}}))
    report = verify_item(raw_of(doc), offline(reg))
    back = report_from_dict(json.loads(json.dumps(report_to_cache_dict(report))))
    assert back == report and back.issuer.listed_name == "Civic"


def test_cache_entries_depend_on_the_registries(tmp_path: Path) -> None:
    issuer, doc = impostor()
    item = raw_of(doc)
    verifier = CachedVerifier(ReportCache(tmp_path / "cache"))
    first = verifier.verify(item, offline())
    assert first.issuer.anchor == "self-asserted"
    path = write_registry(tmp_path / "r.yml", {issuer.id: {"name": "Civic"}})
    listed = verifier.verify(item, offline(load_registry(path)))
    assert listed.issuer.anchor == "registry" and verifier.misses == 2
    # the same file, edited: a new entry, not the old answer
    write_registry(path, {issuer.id: {"name": "Civic"}}, name="Renamed list")
    renamed = verifier.verify(item, offline(load_registry(path)))
    assert renamed.issuer.anchor_detail == "Renamed list" and verifier.misses == 3
    again = verifier.verify(item, offline(load_registry(path)))
    assert again == renamed and verifier.hits == 1


# -- every share artefact says it honestly --------------------------------------------------------

SETTINGS = ShareSettings(site_url="https://ada.example/portfolio/", site_name="Ada")


def _share(report: VerificationReport) -> Any:
    cred = credential_from_report(report, slug="phd", source="phd.json", source_path=None,
                                  file_bytes=json.dumps(report.document).encode())
    return cred, share_info(cred, learner_name="Ada", settings=SETTINGS,
                            page_src="credentials/phd.md")


def _all_share_text(info: Any) -> dict[str, str]:
    card_url = "https://ada.example/portfolio/credentials/phd/embed-wide.html"
    page = info.page_url
    og_page = og.credential_page(info, "credentials/phd/og.jpg", "Ada")
    return {
        "card alt": cards.card_alt(info),
        "card svg": cards.render_card_svg(info),
        "iframe": iframe_card.render_iframe_card(info, size="wide", page_url=page,
                                                 image_src="badge.png"),
        "iframe snippet": str(iframe_card.iframe_snippet(info, card_url)),
        "script embed": str(embed.script_embed_snippet(
            info, card_url=card_url, page_url=page, script_url="https://ada.example/e.js")),
        "oembed": json.dumps(oembed.oembed(
            info, card_url=card_url, thumbnail_url=card_url, provider_name="Ada",
            provider_url="https://ada.example/"), ensure_ascii=False),
        "og": str(og.og_html(og.og_tags(og_page, SETTINGS.site_url))),
        "share text": links.share_text(info),
        "links": " ".join(u.url for u in links.share_links(info)),
        "jsonld": json.dumps(jsonld.credential_jsonld(info), ensure_ascii=False),
        "person": json.dumps(jsonld.person_jsonld("Ada", url=None, credentials=[info]),
                             ensure_ascii=False),
    }


def test_self_asserted_name_is_never_presented_as_checked() -> None:
    _, doc = impostor()
    report = verify_item(raw_of(doc), offline())
    cred, info = _share(report)
    assert info.verdict is Verdict.VERIFIED and not info.issuer_anchored
    texts = _all_share_text(info)
    for where, text in texts.items():
        assert f"Verified \u2014 {FAMOUS}" not in text, where
        assert FAMOUS in text or "Harvard%20University" in text, where
    for where in ("card alt", "iframe snippet", "script embed", "oembed", "og", "share text",
                  "jsonld", "person"):
        assert (f"a key that calls itself {FAMOUS}" in texts[where]
                or "a%20key%20that%20calls%20itself" in texts[where]), where
    assert "Claims to be " + FAMOUS in texts["card svg"]
    assert "Claims to be " + FAMOUS in texts["iframe"]
    for where in ("card svg", "iframe"):
        assert SELF_ASSERTED_SENTENCE in html.unescape(texts[where]), where
    assert "recognizedBy" in texts["jsonld"]
    doc_ld = json.loads(texts["jsonld"])
    assert doc_ld["recognizedBy"]["name"] == f"a key that calls itself {FAMOUS}"
    assert "url" not in doc_ld["recognizedBy"]      # no claimed homepage vouched for
    add = links.linkedin_add_to_profile(info)
    assert "organizationName=Harvard%20University%20%28unconfirmed%20issuer%29" in add
    assert cred.image_alt.endswith(f"issued by a key that calls itself {FAMOUS}")


def test_self_asserted_name_does_not_borrow_a_linkedin_page_by_name() -> None:
    _, doc = impostor()
    report = verify_item(raw_of(doc), offline())
    cred = credential_from_report(report, slug="phd", source="phd.json", source_path=None,
                                  file_bytes=b"{}")
    settings = ShareSettings(site_url="https://ada.example/", site_name="Ada",
                             linkedin_organizations={FAMOUS: "1234"})
    info = share_info(cred, learner_name="Ada", settings=settings, page_src="credentials/phd.md")
    assert info.issuer_linkedin_org_id is None


def _drawn(monkeypatch: pytest.MonkeyPatch, render: Any) -> list[str]:
    """The strings Pillow is asked to draw (the real drawing still runs)."""
    seen: list[str] = []
    real = ImageDraw.ImageDraw.text

    def spy(self: ImageDraw.ImageDraw, xy: Any, text: Any, *args: Any, **kw: Any) -> Any:
        seen.append(str(text))
        return real(self, xy, text, *args, **kw)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", spy)
    cards._card_base.cache_clear()
    cards._card_png.cache_clear()
    og._credential_base.cache_clear()
    render()
    return seen


def test_card_png_and_og_image_draw_the_honest_words(monkeypatch: pytest.MonkeyPatch) -> None:
    _, doc = impostor()
    _, info = _share(verify_item(raw_of(doc), offline()))
    card_text = _drawn(monkeypatch, lambda: cards.render_card_png(info))
    assert f"Claims to be {FAMOUS}" in card_text
    assert SELF_ASSERTED_SENTENCE in card_text
    assert FAMOUS not in [t.strip() for t in card_text]          # never the bare name
    og_text = _drawn(monkeypatch, lambda: og.render_og_image(info, "Ada"))
    assert f"Claims to be {FAMOUS}" in og_text
    assert SELF_ASSERTED_SENTENCE in og_text
    assert f"Issued by {FAMOUS}" not in og_text


def test_anchored_issuer_reads_issued_by_name_and_domain(tls: LoopbackServer,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    issuer = Ob3Issuer("Ed25519", "did:web", host_port=tls.host_port, name="Meridian University")
    for path, body in issuer.documents().items():
        tls.add(path, body)
    report = verify_item(raw_of(issuer.sign_di(issuer.credential())), tls_ctx(tls))
    cred, info = _share(report)
    expected = f"Meridian University ({tls.host_port})"
    assert cred.issuer.issued_by == f"Issued by {expected}"
    assert info.issuer_url == f"https://{tls.host_port}/"      # the anchor, not a claimed url
    texts = _all_share_text(info)
    assert expected in texts["card alt"] and expected in texts["share text"]
    assert "a key that calls itself" not in " ".join(texts.values())
    # images: the name on the issuer line, what anchors it beside the state
    og_text = _drawn(monkeypatch, lambda: og.render_og_image(info, "Ada"))
    assert "Issued by Meridian University" in og_text and f"via {tls.host_port}" in og_text
    card_text = _drawn(monkeypatch, lambda: cards.render_card_png(info))
    assert "Meridian University" in card_text and f"via {tls.host_port}" in card_text
    assert cards.layout(info).sentence == f"via {tls.host_port}"
    wide = iframe_card.render_iframe_card(info, size="wide", page_url="https://a.example/",
                                          image_src="b.png")
    assert f"<span>via {tls.host_port}</span>" in wide


# -- the site --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from portfolio_gen.mkdocs_plugin.engine import build_site
    from tests.test_site_support import make_portfolio

    root = tmp_path_factory.mktemp("anchor-site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
        fetcher = make_portfolio(root, site_url="https://ada.example/portfolio/",
                                 plugin_options="      registries: [trusted.yml]\n")
        _, doc = impostor()
        (root / "badges" / "phd.json").write_text(json.dumps(doc))
        civic = Ob3Issuer("Ed25519", "did:key", name="Civic Lab", slot=8)
        (root / "badges" / "civic.json").write_text(json.dumps(
            civic.sign_di(civic.credential(achievement_name="OpenData"))))
        write_registry(root / "trusted.yml", {civic.id: {"name": "Civic Data Lab"}})
        # the OB 3.0 credentials name the learner by this DID (issue #14: declared, they are
        # hers; otherwise they would rightly count nowhere, the summary included)
        from portfolio_gen.holder.profile_edit import add_identifier

        add_identifier(root / "profile.yml", "did:example:learner")
        build_site(root, site_dir=root / "site", now=datetime(2026, 6, 1, 12, tzinfo=UTC),
                   fetcher=fetcher)
    return root / "site"


def _slug_page(site: Path, name: str) -> str:
    for page in (site / "credentials").glob("*/index.html"):
        html = page.read_text()
        if f">{name}</h1>" in html:
            return html
    raise AssertionError(f"no page for {name}")


def test_site_pages_say_who_issued_it_honestly(site: Path) -> None:
    phd = _slug_page(site, "Doctor of Philosophy")
    assert f"Issued by\n      \n      a key that calls itself {FAMOUS}" in phd or (
        f"a key that calls itself {FAMOUS}" in phd)
    assert "no web domain or trust registry confirms" in phd
    assert f"Verified \u2014 {FAMOUS}" not in phd
    robot = _slug_page(site, "Robotics Fundamentals")
    assert "Example University (uni.example)" in robot
    civic = _slug_page(site, "OpenData")
    assert ("Civic Data Lab (Careers office trusted issuers; the credential says "
            "\u201cCivic Lab\u201d)") in civic
    index = (site / "credentials" / "index.html").read_text()
    assert f"Claims to be {FAMOUS}" in index
    # the issuer filter offers the honest label, not the bare claimed name
    assert f'<option value="a key that calls itself {FAMOUS}">' in index
    assert f'<option value="{FAMOUS}">' not in index
    assert "Example University (uni.example)" in index
    summary = (site / "summary" / "index.html").read_text()
    assert f"a key that calls itself {FAMOUS}" in summary
    assert '<td>Example University<br><span class="pg-summary__url">uni.example</span>' in summary
    report = json.loads(next(
        p for p in (site / "credentials").glob("*/verification.json")
        if FAMOUS in p.read_text()).read_text())
    assert report["issuer"]["anchor"] == "self-asserted"


def test_issuer_link_is_what_the_anchor_backs() -> None:
    from portfolio_gen.model.credential import IssuerInfo

    evil = IssuerInfo("Harvard University", "https://evil.example/issuer.json",
                      url="https://harvard.edu/", anchor="domain", anchor_detail="evil.example",
                      proven=True)
    assert evil.anchor_link == "https://evil.example/issuer.json"   # not the claimed homepage
    sub = IssuerInfo("Northbridge", "https://badges.nb.example/i.json", url="https://nb.example/",
                     anchor="domain", anchor_detail="badges.nb.example", proven=True)
    assert sub.anchor_link == "https://nb.example/"                 # its own parent domain
    web = IssuerInfo("Meridian", "did:web:meridian.example", url="https://else.example/",
                     anchor="domain", anchor_detail="meridian.example", proven=True)
    assert web.anchor_link == "https://meridian.example/"
    key = IssuerInfo("Harvard University", "did:key:z6Mk", url="https://harvard.edu/")
    assert key.anchor_link is None and not key.anchored
    unproven = IssuerInfo("X", "https://x.example/i", anchor="domain", anchor_detail="x.example")
    assert unproven.anchor_link is None
    assert unproven.issued_by == "Issued by someone who claims to be X"


# -- cohorts: the cohort's registries decide, not a learner's -------------------------------------

def test_cohort_registries_anchor_issuers_and_learner_registries_do_not(tmp_path: Path) -> None:
    import yaml

    from portfolio_gen.cohort.config import load_cohort
    from portfolio_gen.cohort.prepare import pool_settings
    from portfolio_gen.cohort.verify_pool import LearnerTask, process_learner
    from portfolio_gen.testing.cohort import issuers, make_cohort

    make_cohort(3, 4, tmp_path)
    ob3 = issuers().ob3
    write_registry(tmp_path / "careers.yml", {ob3[0].id: {"name": "Listed Lab"}})
    data = yaml.safe_load((tmp_path / "cohort.yml").read_text())
    data["registries"] = ["careers.yml"]
    (tmp_path / "cohort.yml").write_text(yaml.safe_dump(data))
    config = load_cohort(tmp_path / "cohort.yml")
    assert config.registries == ((tmp_path / "careers.yml").resolve(),)
    # every learner vouches for every other did:key issuer in their own mkdocs.yml: ignored
    for entry in config.learners:
        write_registry(entry.folder / "mine.yml", {i.id: {"name": "Mine"} for i in ob3[1:]})
        mk = entry.folder / "mkdocs.yml"
        conf = yaml.safe_load(mk.read_text())
        conf["plugins"][1]["portfolio"]["registries"] = ["mine.yml"]
        mk.write_text(yaml.safe_dump(conf, allow_unicode=True))
    settings = pool_settings(config, now=FIXED_NOW, cache_dir=tmp_path / "cache")
    labels = set()
    for entry in config.learners:
        result = process_learner(LearnerTask(entry.folder, entry.rel), settings)
        assert result.summary is not None, result.problem
        labels |= {c.issuer_name for c in result.summary.verified}
    ob3_names = {i.name for i in ob3}
    assert "Listed Lab" in labels
    assert "Mine" not in labels
    unlisted = {lab for lab in labels if lab.startswith("a key that calls itself ")}
    assert unlisted and unlisted <= {f"a key that calls itself {i.name}" for i in ob3[1:]}
    assert not labels & ob3_names                    # no bare did:key name in the directory


def test_cohort_bad_registry_path_is_a_config_error(tmp_path: Path) -> None:
    from portfolio_gen.cohort.config import load_cohort
    from portfolio_gen.cohort.prepare import pool_settings

    (tmp_path / "cohort.yml").write_text("title: T\nlearners: [l]\nregistries: [nope.yml]\n")
    config = load_cohort(tmp_path / "cohort.yml")
    with pytest.raises(ConfigError, match=r"nope\.yml"):
        pool_settings(config, now=FIXED_NOW)
    (tmp_path / "cohort.yml").write_text("title: T\nlearners: [l]\nregistries: {a: 1}\n")
    with pytest.raises(ConfigError, match="registries"):
        load_cohort(tmp_path / "cohort.yml")


def test_endorsers_are_named_by_what_anchors_them(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key", slot=5, name="Civic Lab")
    endorser = Ob3Issuer("P-256", "did:key", slot=6, name=FAMOUS)
    good = endorser.sign_di(endorser.endorsement(issuer.id))
    forged = endorser.sign_di(endorser.endorsement(issuer.id, credential_id="urn:uuid:e2"))
    forged["credentialSubject"]["endorsementComment"] = "Best issuer ever."
    doc = issuer.credential(endorsement=[good, forged])
    cred = credential_from_report(verify_item(
        RawCredential("b.jwt", Container.JWS, Kind.OB3_JWT, issuer.sign_jwt(doc).encode()),
        offline()), slug="x", source="b.jwt", source_path=None, file_bytes=b"")
    assert [e.verdict for e in cred.endorsements] == [Verdict.VERIFIED, Verdict.INVALID]
    assert [e.issuer_phrase for e in cred.endorsements] == [
        f"a key that calls itself {FAMOUS}", f"someone who claims to be {FAMOUS}"]
    reg = load_registry(write_registry(tmp_path / "r.yml", {endorser.id: {"name": FAMOUS}}))
    cred = credential_from_report(verify_item(
        RawCredential("b.jwt", Container.JWS, Kind.OB3_JWT, issuer.sign_jwt(doc).encode()),
        offline(reg)), slug="x", source="b.jwt", source_path=None, file_bytes=b"")
    assert cred.endorsements[0].issuer_phrase == f"{FAMOUS} (Careers office trusted issuers)"


def test_site_build_with_a_bad_registry_stops_with_exit_2_naming_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "p"
    run = [sys.executable, "-m", "portfolio_gen"]
    subprocess.run([*run, "new", str(folder)], capture_output=True, check=True, timeout=120)
    (folder / "bad.json").write_text('{"name": "A", "issuers": {}, "name": "B"}')
    with (folder / "mkdocs.yml").open("a") as out:
        out.write("      registries: [bad.json]\n")
    proc = subprocess.run([*run, "build", "--offline", "-d", str(tmp_path / "site")],
                          cwd=folder, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2, proc.stderr
    assert str(folder / "bad.json") in proc.stderr and "more than once" in proc.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_cohort_serve_watches_the_registry_files(tmp_path: Path) -> None:
    from portfolio_gen.cohort.config import load_cohort
    from portfolio_gen.cohort.serve import watch_paths

    (tmp_path / "l").mkdir()
    write_registry(tmp_path / "careers.yml", {"did:key:z6Mk": {"name": "X"}})
    (tmp_path / "cohort.yml").write_text("title: T\nlearners: [l]\nregistries: [careers.yml]\n")
    assert (tmp_path / "careers.yml").resolve() in watch_paths(load_cohort(tmp_path /
                                                                           "cohort.yml"))
