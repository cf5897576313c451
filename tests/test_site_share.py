"""Sharing, wired into real MkDocs + Material builds: share links, Open Graph, oEmbed, JSON-LD,
QR codes, the embed files, the original embedded in the page, the archive and the cache.

Everything is read back from the built files with an HTML parser, ``urllib.parse``, ``json``,
``zipfile`` and Pillow, never by string search in the HTML.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import markdown
import pytest
from PIL import Image

from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.model.build_summary import BuildSummary
from portfolio_gen.render.sharing import NO_SITE_URL_WARNING
from portfolio_gen.share.embed import embed_js
from portfolio_gen.testing.ob2 import TestIssuer
from tests.test_site_support import HOSTILE_NAME, Node, make_portfolio, parse_html, resolve

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SITE_URL = "https://ada.example/my%20portfolio/"
ACCENTED = 'Robótica & Sensors #2 "Advanced" 100%'
ACCENTED_ISSUER = "Café & Co #1 'Makers'"


@pytest.fixture(scope="module", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds without cache_dir use the default cache: keep it out of ~/.cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


def _accented() -> tuple[TestIssuer, str, str]:
    issuer = TestIssuer("https://cafe.example", name=ACCENTED_ISSUER, slot=4)
    issuer.badge_extra = {"name": ACCENTED, "description": "Builds *sensor* rigs & more.",
                          "alignment": [{"targetName": "Sensors",
                                         "targetUrl": "https://skills.example/sensors",
                                         "targetCode": "SEN-2",
                                         "targetFramework": "Skills Framework"}]}
    jws = issuer.signed_assertion("c1", issued_on=datetime(2025, 12, 5, tzinfo=UTC),
                                  expires=datetime(2027, 1, 15, tzinfo=UTC))
    return issuer, "accented.jws", jws


def _build(root: Path, *, site_url: str | None = SITE_URL, site: str = "site"
           ) -> tuple[Path, BuildSummary]:
    out = root / site
    fetcher = make_portfolio(root, site_url=site_url, extra=[_accented()],
                             plugin_options="      cache_dir: .cache\n")
    return out, build_site(root, site_dir=out, now=NOW, fetcher=fetcher)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildSummary]:
    root = tmp_path_factory.mktemp("share")
    site, summary = _build(root)
    return root, site, summary


def page(site: Path, rel: str) -> Node:
    return parse_html(site / rel / "index.html")


def slug_of(site: Path, name: str) -> str:
    for card in page(site, "credentials").find_all("article", "pg-card"):
        link = card.find("a")
        if link.text == " ".join(name.split()):
            return link.attrs["href"].strip("/")
    raise AssertionError(f"no card named {name!r}")


def meta(doc: Node) -> dict[str, str]:
    out = {}
    for node in doc.find("head").find_all("meta"):
        key = node.attrs.get("property") or node.attrs.get("name")
        if key and key.startswith(("og:", "twitter:")):
            assert key not in out, f"duplicate {key}"
            out[key] = node.attrs["content"]
    return out


def jsonld_blocks(doc: Node) -> list[dict[str, Any]]:
    blocks = doc.find_all("script", pred=lambda n: n.attrs.get("type") == "application/ld+json")
    return [json.loads("".join(c for c in b.children if isinstance(c, str))) for b in blocks]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)


# -- share links ---------------------------------------------------------------------------------

def test_share_links_are_plain_and_correctly_encoded(
        built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    slug = slug_of(site, ACCENTED)
    page_url = f"{SITE_URL}credentials/{slug}/"
    panel = page(site, f"credentials/{slug}").find("section", "pg-share")
    links = {a.attrs["class"].removeprefix("pg-share__"): a.attrs["href"]
             for a in panel.find("ul", "pg-share__links").find_all("a")}
    assert set(links) == {"linkedin-add", "linkedin-feed", "x", "facebook", "email"}
    for href in links.values():
        raw_query = urlsplit(href).query
        assert "+" not in raw_query and " " not in raw_query and '"' not in raw_query
        assert "#" not in href  # a raw '#' would cut the URL short

    add = query(links["linkedin-add"])
    assert urlsplit(links["linkedin-add"]).netloc == "www.linkedin.com"
    assert add == {"startTask": ["CERTIFICATION_NAME"], "name": [ACCENTED],
                   "organizationName": [ACCENTED_ISSUER], "issueYear": ["2025"],
                   "issueMonth": ["12"], "expirationYear": ["2027"], "expirationMonth": ["1"],
                   "certUrl": [page_url]}  # no certId: the id is an internal urn:uuid
    assert query(links["linkedin-feed"]) == {"url": [page_url]}
    assert query(links["facebook"]) == {"u": [page_url]}
    post = query(links["x"])
    assert post["url"] == [page_url] and ACCENTED in post["text"][0]
    mail = urlsplit(links["email"])
    assert mail.scheme == "mailto" and mail.path == ""
    fields = query(links["email"])
    assert fields["subject"] == [f"{ACCENTED} \u2014 {ACCENTED_ISSUER} (cafe.example)"]
    assert page_url in fields["body"][0] and ACCENTED in fields["body"][0]
    # Copy link: the absolute address, in a labelled box.
    box = panel.find("input", pred=lambda n: n.attrs.get("id") == "pg-page-link")
    assert box.attrs["value"] == page_url
    assert panel.find("label", pred=lambda n: n.attrs.get("for") == "pg-page-link")


def test_flagged_credential_is_shared_honestly(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    slug = "credentials/" + next(
        s for s in (c.find("a").attrs["href"].strip("/") for c in
                    page(site, "credentials").find_all("article", "pg-card"))
        if s.startswith("line-following-"))
    # Issue #14: what does not verify is not shared: no share links, no LinkedIn add, no
    # embed codes, no oEmbed discovery, no JSON-LD claim...
    doc = page(site, slug)
    assert not doc.find_all("ul", "pg-share__links")
    assert not doc.find_all("textarea")
    html = (site / slug / "index.html").read_text(encoding="utf-8")
    assert "linkedin.com" not in html and "application/json+oembed" not in html
    assert "application/ld+json" not in html
    # ...but an iframe embedded while it was good still renders its honest current state.
    card = parse_html(site / slug / "embed-wide.html")
    assert "Invalid" in card.find("div", "state").text
    assert "failed verification" in card.find("div", "state").text


# -- Open Graph, oEmbed, JSON-LD -------------------------------------------------------------------

def test_open_graph_tags_parse_and_point_at_a_1200x630_jpeg(
        built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    slug = slug_of(site, ACCENTED)
    for rel in (f"credentials/{slug}", "", "credentials/robotics-fundamentals"):
        doc = page(site, rel)
        tags = meta(doc)
        canonical = doc.find("link", pred=lambda n: n.attrs.get("rel") == "canonical")
        assert len(doc.find_all("link", pred=lambda n: n.attrs.get("rel") == "canonical")) == 1
        assert tags["og:url"] == canonical.attrs["href"] == SITE_URL + (rel + "/" if rel else "")
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:title"] and tags["og:description"] and tags["og:image:alt"]
        assert tags["og:image"] == tags["twitter:image"]
        assert tags["og:image"].startswith(SITE_URL)
        assert tags["og:image"].endswith("/og-home.jpg" if rel == "" else f"{rel}/og.jpg")
        local = site / tags["og:image"].removeprefix(SITE_URL)
        with Image.open(local) as img:
            assert (img.format, img.size, img.mode) == ("JPEG", (1200, 630), "RGB")
        assert tags["og:image:type"] == "image/jpeg"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert not list(site.rglob("og.png")) and not list(site.rglob("og-home.png"))
    tags = meta(page(site, f"credentials/{slug}"))
    assert tags["og:title"] == f"{ACCENTED} \u2014 {ACCENTED_ISSUER} (cafe.example)"
    assert tags["og:description"].startswith(f"Ada Example earned {ACCENTED}")
    hostile = meta(page(site, f"credentials/{slug_of(site, HOSTILE_NAME)}"))
    assert hostile["og:title"].startswith(HOSTILE_NAME)  # exact text back, as an attribute


def test_oembed_json_and_discovery_link(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    slug = slug_of(site, ACCENTED)
    doc = page(site, f"credentials/{slug}")
    (link,) = doc.find_all("link", pred=lambda n: n.attrs.get("type") ==
                           "application/json+oembed")
    assert link.attrs["rel"] == "alternate" and link.attrs["title"]
    assert link.attrs["href"] == f"{SITE_URL}credentials/{slug}/oembed.json"
    data = json.loads((site / "credentials" / slug / "oembed.json").read_text())
    for key in ("version", "type", "html", "width", "height", "title", "provider_name",
                "provider_url", "author_name", "author_url", "thumbnail_url",
                "thumbnail_width", "thumbnail_height", "cache_age"):
        assert key in data, key
    assert (data["version"], data["type"]) == ("1.0", "rich")
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    frame = parse_html_text(data["html"]).find("iframe")
    assert frame.attrs["src"] == f"{SITE_URL}credentials/{slug}/embed-wide.html"
    assert (int(frame.attrs["width"]), int(frame.attrs["height"])) == (
        data["width"], data["height"]) == (330, 186)
    thumb = site / data["thumbnail_url"].removeprefix(SITE_URL)
    with Image.open(thumb) as img:
        assert img.size == (data["thumbnail_width"], data["thumbnail_height"])
    assert data["provider_url"] == SITE_URL and data["author_name"] == "Ada Example"


def parse_html_text(text: str) -> Node:
    from tests.test_site_support import _Builder

    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def test_json_ld_on_credential_and_home_pages(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    slug = slug_of(site, ACCENTED)
    (cred,) = jsonld_blocks(page(site, f"credentials/{slug}"))
    assert cred["@context"] == "https://schema.org"
    assert cred["@type"] == "EducationalOccupationalCredential"
    assert cred["name"] == ACCENTED and cred["url"] == f"{SITE_URL}credentials/{slug}/"
    assert cred["recognizedBy"] == {"@type": "Organization", "name": ACCENTED_ISSUER,
                                    "url": "https://cafe.example/",
                                    "description": f"Issued by {ACCENTED_ISSUER} (cafe.example)"}
    assert cred["dateCreated"].startswith("2025-12-05") and cred["expires"].startswith("2027-01")
    assert cred["competencyRequired"] == [{
        "@type": "DefinedTerm", "name": "Sensors", "url": "https://skills.example/sensors",
        "termCode": "SEN-2", "inDefinedTermSet": "Skills Framework"}]
    (hostile,) = jsonld_blocks(page(site, f"credentials/{slug_of(site, HOSTILE_NAME)}"))
    assert hostile["name"] == HOSTILE_NAME  # the script block could not be closed early
    (person,) = jsonld_blocks(page(site, ""))
    assert person["@type"] == "Person" and person["name"] == "Ada Example"
    held = {c["name"] for c in person["hasCredential"]}
    assert ACCENTED in held and "Robotics Fundamentals" in held
    assert "Soldering Safety" not in held  # tampered: never claimed as held


# -- QR, embeds, verify-it-yourself, downloads ----------------------------------------------------

def test_qr_code_on_the_page_and_the_summary(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    url = f"{SITE_URL}credentials/robotics-fundamentals/"
    qr = page(site, "credentials/robotics-fundamentals").find("svg", "portfolio-qr")
    assert qr.attrs["role"] == "img" and url in qr.find("title").text
    assert qr.find_all("path")
    summary = page(site, "summary")
    rows = summary.find("table", "pg-summary__table").find("tbody").find_all("tr")
    names = [r.find("a").text for r in rows]
    assert "Robotics Fundamentals" in names and "Soldering Safety" not in names
    assert all(r.find("svg", "portfolio-qr") for r in rows)
    home = page(site, "")
    assert any(resolve(site, site / "index.html", a.attrs["href"]) == site / "summary/index.html"
               for a in home.find_all("a"))


def test_embed_files_and_live_previews(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    folder = site / "credentials/robotics-fundamentals"
    doc = page(site, "credentials/robotics-fundamentals")
    embeds = doc.find("div", "pg-embeds")
    img = embeds.find("img")
    assert img.attrs["alt"].startswith("Ada Example's credential: Robotics Fundamentals")
    with Image.open(folder / "card.png") as png:
        assert (png.format, png.size) == ("PNG", (800, 280))
    assert b"<title" in (folder / "card.svg").read_bytes()
    frames = embeds.find_all("iframe")
    assert [f.attrs["src"] for f in frames] == ["embed-wide.html"]
    assert all(f.attrs["title"] for f in frames)
    badge = embeds.find("div", "portfolio-badge")
    # Issue #14: the preview is what the copyable code makes, and its caption says which.
    assert badge.attrs["data-portfolio-credential"] == "embed-wide.html"
    assert badge.attrs["data-size"] == "wide"
    caption = embeds.find("figcaption", pred=lambda n: n.attrs.get("id")
                          == "pg-embed-script-caption").text
    assert "wide" in caption and "tall" not in caption
    code = embeds.find("textarea", pred=lambda n: n.attrs.get("id") == "pg-snippet-script").text
    assert 'data-size="wide"' in code and "embed-wide.html" in code
    script = embeds.find("script")
    assert resolve(site, folder / "index.html", script.attrs["src"]).read_text() == embed_js()
    for size in ("wide", "tall"):
        card_path = folder / f"embed-{size}.html"
        assert card_path.stat().st_size <= 20 * 1024
        card = parse_html(card_path)
        link = card.find("a", "card")
        assert resolve(site, card_path, link.attrs["href"]) == folder / "index.html"
        assert card.find("img").attrs["alt"]
        src = card.find("img").attrs["src"]
        assert src.startswith("data:image/png;base64,") or (folder / src).is_file()
    codes = {t.attrs["id"]: "".join(c for c in t.children if isinstance(c, str))
             for t in doc.find("section", "pg-share").find_all("textarea")}
    assert set(codes) == {"pg-snippet-html", "pg-snippet-markdown", "pg-snippet-iframe",
                          "pg-snippet-iframe-tall", "pg-snippet-script"}
    snippet = parse_html_text(codes["pg-snippet-html"])
    assert snippet.find("a").attrs["href"] == f"{SITE_URL}credentials/robotics-fundamentals/"
    assert snippet.find("img").attrs["src"] == (
        f"{SITE_URL}credentials/robotics-fundamentals/card.png")
    as_html = parse_html_text(markdown.markdown(codes["pg-snippet-markdown"]))
    assert as_html.find("a").attrs["href"] == f"{SITE_URL}credentials/robotics-fundamentals/"
    assert as_html.find("img").attrs["src"] == (
        f"{SITE_URL}credentials/robotics-fundamentals/card.svg")
    assert as_html.find("img").attrs["alt"] == img.attrs["alt"]
    script_code = parse_html_text(codes["pg-snippet-script"])
    assert script_code.find("script").attrs["src"] == (
        f"{SITE_URL}assets/portfolio/portfolio-embed.js")


def test_original_is_embedded_and_linked(built: tuple[Path, Path, BuildSummary]) -> None:
    root, site, _ = built
    doc = page(site, "credentials/robotics-fundamentals")
    section = doc.find("section", "pg-verify-yourself")
    hrefs = [a.attrs["href"] for a in section.find_all("a")]
    assert hrefs == ["original.bin"]
    block = section.find("script", pred=lambda n: n.attrs.get("id") == "pg-original-credential")
    assert block.attrs["type"] == "application/json"
    data = json.loads("".join(c for c in block.children if isinstance(c, str)))
    original = (root / "badges/robot.jws").read_bytes()
    assert base64.b64decode(data["data"]) == original
    assert data["sha256"] == hashlib.sha256(original).hexdigest()
    assert data["filename"] == "robot.jws"


def test_archive_holds_every_published_original_byte_for_byte(
        built: tuple[Path, Path, BuildSummary]) -> None:
    root, site, _ = built
    home = page(site, "")
    link = home.find("a", pred=lambda n: n.attrs.get("href", "").endswith(".zip"))
    assert "download" in link.attrs and "Download everything" in link.text
    archive = resolve(site, site / "index.html", link.attrs["href"])
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as zf:
        names = zf.namelist()
        index = json.loads(zf.read("index.json"))
        by_file = {}
        for entry in index["credentials"]:
            by_file[Path(entry["original"]).name] = zf.read(entry["original"])
            report = json.loads(zf.read(entry["report"]))
            assert report["verdict"] == entry["verdict"]
    # flagged ones too; broken.json holds no credential: reported, never published
    published = {p.name for p in (root / "badges").iterdir()} - {"broken.json"}
    assert set(by_file) == published, names
    for name, data in by_file.items():
        assert data == (root / "badges" / name).read_bytes(), name
    assert "README.txt" in names


# -- site_url, warnings and the cache --------------------------------------------------------------

def test_without_site_url_one_warning_and_no_absolute_tags(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        site, _ = _build(tmp_path, site_url=None)
    warnings = [r for r in caplog.records if "site_url is not set" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].getMessage().endswith(NO_SITE_URL_WARNING)
    doc = page(site, "credentials/robotics-fundamentals")
    tags = meta(doc)
    assert tags["og:title"] and tags["twitter:card"] == "summary"
    assert "og:image" not in tags and "og:url" not in tags
    assert not doc.find_all("link", pred=lambda n: n.attrs.get("type") ==
                            "application/json+oembed")
    assert not (site / "credentials/robotics-fundamentals/oembed.json").exists()
    assert not doc.find_all("svg", "portfolio-qr")
    assert not doc.find("section", "pg-share").find_all("textarea")
    ids = {a.attrs["class"] for a in doc.find("ul", "pg-share__links").find_all("a")}
    assert ids == {"pg-share__linkedin-add", "pg-share__email"}
    # in-site previews still work from any address
    assert (site / "credentials/robotics-fundamentals/embed-wide.html").is_file()


def test_with_site_url_no_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        _build(tmp_path)
    assert not [r for r in caplog.records if "site_url" in r.getMessage()]


def test_warm_rebuild_renders_no_images(tmp_path: Path) -> None:
    _, cold = _build(tmp_path, site="one")
    _, warm = _build(tmp_path, site="two")
    assert cold.images_rendered > 20 and cold.images_cached == 0
    assert warm.images_rendered == 0 and warm.images_cached == cold.images_rendered
    assert "images: 0 rendered" in warm.line()
    for rel in ("credentials/robotics-fundamentals/og.jpg",
                "credentials/robotics-fundamentals/card.png", "assets/portfolio/og-home.jpg"):
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes()


def test_configured_linkedin_organization_id(tmp_path: Path) -> None:
    fetcher = make_portfolio(tmp_path, site_url=SITE_URL, plugin_options=(
        "      linkedin_organizations:\n        Example University: 1234567\n"))
    build_site(tmp_path, site_dir=tmp_path / "site", now=NOW, fetcher=fetcher)
    doc = page(tmp_path / "site", "credentials/robotics-fundamentals")
    add = doc.find("a", "pg-share__linkedin-add").attrs["href"]
    fields = query(add)
    assert fields["organizationId"] == ["1234567"] and "organizationName" not in fields


def test_linkedin_organization_id_must_be_numeric(tmp_path: Path) -> None:
    from portfolio_gen.errors import ConfigError

    fetcher = make_portfolio(tmp_path, plugin_options=(
        "      linkedin_organizations:\n        Example University: example-university\n"))
    with pytest.raises(ConfigError, match=r"linkedin_organizations.*numeric LinkedIn"):
        build_site(tmp_path, site_dir=tmp_path / "site", now=NOW, fetcher=fetcher)
