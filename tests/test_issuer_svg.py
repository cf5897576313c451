"""Issuer SVG never runs on the portfolio's origin (issue 11, problem 3).

A baked SVG badge, a BadgeClass image and an issuer logo given as ``data:image/svg+xml``
all carry script, event handlers, ``foreignObject``, ``javascript:`` links, animations that
set links, external images and ``@import``. The site must publish only rebuilt copies of
them, and the byte-exact originals only under a name a static host serves as an inert type.
The browser half of this lives in ``tests/browser/test_issuer_svg_browser.py``.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.model.build_summary import BuildSummary
from portfolio_gen.net.static import StaticFetcher
from portfolio_gen.render.svg_sanitize import sanitize_svg
from portfolio_gen.testing.bake import bake_svg
from portfolio_gen.testing.ob2 import TestIssuer
from tests.test_site_support import make_portfolio, parse_html

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
#: Every way the hostile SVGs try to act; none of these strings may reach a served SVG/HTML.
MARKERS = ("svg-script", "svg-onload", "svg-fo", "svg-link", "svg-animate", "svg-style",
           "svg-console", "html-original", "tracker.png", "evil.css")
#: Served with a type a browser renders as a document when opened directly.
RENDERED = (".svg", ".html", ".htm", ".xhtml", ".xml", ".xsl", ".js", ".mjs")


def hostile_svg(colour: str = "#3366cc") -> str:
    """A drawable badge with every trick an issuer could try inside it."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="64" height="64" viewBox="0 0 64 64" onload="alert(\'svg-onload\')">'
        "<script>console.log('svg-console');alert('svg-script')</script>"
        "<style>@import url(http://127.0.0.1:9/evil.css);"
        " .ring{stroke:#222;stroke-width:4} .x{background:url(http://127.0.0.1:9/svg-style)}"
        "</style>"
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/>'
        f'<stop offset="1" stop-color="{colour}"/></linearGradient></defs>'
        '<a xlink:href="javascript:alert(\'svg-link\')">'
        '<circle class="ring" cx="32" cy="32" r="28" fill="url(#g)"/></a>'
        '<foreignObject width="64" height="64"><body xmlns="http://www.w3.org/1999/xhtml">'
        "<script>alert('svg-fo')</script></body></foreignObject>"
        '<set attributeName="onmouseover" to="alert(\'svg-animate\')"/>'
        '<animate attributeName="href" to="javascript:alert(\'svg-animate\')"/>'
        '<image href="http://127.0.0.1:9/tracker.png" width="1" height="1"/>'
        '<text x="32" y="36" text-anchor="middle" onclick="alert(\'svg-onload\')">OK</text>'
        "</svg>")


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def svg_portfolio(root: Path) -> StaticFetcher:
    """The site-test portfolio plus a baked hostile SVG, a hostile data-URI badge image and
    issuer logo, and a JSON assertion carrying script in a file named ``notes.html``."""
    baker = TestIssuer("https://baker.example", name="SVG Baker", slot=4)
    baker.badge_extra = {"name": "Baked SVG Badge"}
    drawer = TestIssuer("https://drawer.example", name="Inline SVG Issuer", slot=5)
    drawer.badge_extra = {"name": "Inline SVG Badge", "image": data_uri(hostile_svg("#c33"))}
    drawer.profile_extra = {"image": data_uri(hostile_svg("#3c3"))}
    baked = bake_svg(hostile_svg(), jws=baker.signed_assertion("b1"), ob3=False)
    # a real (hosted) assertion whose file name makes a static host serve it as HTML
    hosted = json.dumps(drawer.hosted_assertion(
        "h1", evidence="<script>alert('html-original')</script>"))
    return make_portfolio(root, extra=[(baker, "baked.svg", baked),
                                       (drawer, "inline.jws", drawer.signed_assertion("d1")),
                                       (drawer, "notes.html", hosted)])


def build_svg_site(root: Path, site: Path) -> BuildSummary:
    return build_site(root, site_dir=site, now=NOW, fetcher=svg_portfolio(root))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildSummary]:
    root = tmp_path_factory.mktemp("svg-portfolio")
    site = root / "site"
    return root, site, build_svg_site(root, site)


def _page_of(site: Path, name: str) -> Path:
    index = parse_html(site / "credentials" / "index.html")
    for card in index.find_all("article", "pg-card"):
        link = card.find("a")
        if link.text == name:
            return site / "credentials" / link.attrs["href"].strip("/")
    raise AssertionError(f"no credential named {name!r}")


def assert_inert_svg(data: bytes, where: str) -> None:
    """Only drawing: no script, no handler, no foreign content, no link leaving the file."""
    root = fromstring(data)
    for element in root.iter():
        local = str(element.tag).rsplit("}", 1)[-1]
        assert local not in {"script", "foreignObject", "set", "animate", "iframe", "a"}, where
        for key, value in element.attrib.items():
            name = key.rsplit("}", 1)[-1]
            assert not name.lower().startswith("on"), (where, key)
            if name == "href":
                assert value.startswith(("#", "data:image/png")), (where, value)
            assert "javascript" not in value.lower() and "http" not in value.lower(), (where, key)
        if local == "style":
            assert "@import" not in (element.text or "") and "http" not in (element.text or "")


def test_every_served_svg_is_inert(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    svgs = sorted(site.rglob("*.svg"))
    assert len(svgs) >= 4
    for path in svgs:
        assert_inert_svg(path.read_bytes(), str(path.relative_to(site)))


def test_no_rendered_file_carries_issuer_script(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    checked = 0
    for path in site.rglob("*"):
        if path.is_file() and path.suffix.lower() in RENDERED:
            text = path.read_text(encoding="utf-8", errors="replace")
            checked += 1
            for marker in MARKERS:
                assert marker not in text, (path.relative_to(site), marker)
    assert checked > 20


def test_baked_svg_is_shown_as_a_clean_copy_and_offered_byte_exact(
        built: tuple[Path, Path, BuildSummary]) -> None:
    root, site, _ = built
    folder = _page_of(site, "Baked SVG Badge")
    doc = parse_html(folder / "index.html")
    shown = doc.find("img", "pg-img").attrs["src"]
    assert shown.endswith(".svg") and "original" not in shown
    shown_file = (folder / shown).resolve()
    assert b"<circle" in shown_file.read_bytes()          # still the issuer's drawing
    assert_inert_svg(shown_file.read_bytes(), shown)
    # the original: byte for byte, under a neutral name, its real name in the link
    assert not list(folder.glob("original.svg"))
    assert (folder / "original.bin").read_bytes() == (root / "badges/baked.svg").read_bytes()
    link = doc.find("a", pred=lambda n: n.attrs.get("href") == "original.bin")
    assert link.attrs["download"] == "baked.svg"
    # the iframe card's sibling image is the clean copy too
    assert_inert_svg((folder / "badge.svg").read_bytes(), "badge.svg")


def test_data_uri_badge_image_and_issuer_logo_are_clean_copies(
        built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    folder = _page_of(site, "Inline SVG Badge")
    doc = parse_html(folder / "index.html")
    for img in (doc.find("img", "pg-img"), doc.find("img", "pg-logo")):
        path = (folder / img.attrs["src"]).resolve()
        assert path.suffix == ".svg" and b"<circle" in path.read_bytes()
        assert_inert_svg(path.read_bytes(), img.attrs["src"])
    assert_inert_svg((folder / "badge.svg").read_bytes(), "badge.svg")


def test_other_browser_rendered_originals_get_a_neutral_name(
        built: tuple[Path, Path, BuildSummary]) -> None:
    root, site, _ = built
    originals = sorted(p.name for p in site.glob("credentials/*/original*"))
    assert originals and set(originals) <= {"original.bin", "original.json", "original.png"}
    html_like = [p for p in site.glob("credentials/*/original.bin")
                 if p.read_bytes() == (root / "badges/notes.html").read_bytes()]
    assert len(html_like) == 1


def test_archive_keeps_original_names(built: tuple[Path, Path, BuildSummary]) -> None:
    import io
    import zipfile

    root, site, _ = built
    with zipfile.ZipFile(io.BytesIO((site / "credentials/all-credentials.zip").read_bytes())) \
            as zf:
        names = {n.rsplit("/", 1)[-1]: n for n in zf.namelist()}
        assert zf.read(names["baked.svg"]) == (root / "badges/baked.svg").read_bytes()


# -- the sanitiser itself -------------------------------------------------------------------

def test_sanitiser_keeps_the_drawing_and_drops_every_trick() -> None:
    clean = sanitize_svg(hostile_svg().encode())
    assert clean is not None
    assert_inert_svg(clean, "hostile")
    text = clean.decode()
    for marker in MARKERS:
        assert marker not in text
    for kept in ('<circle class="ring"', 'fill="url(#g)"', "stop-color", ".ring{stroke:#222",
                 ">OK</text>", 'viewBox="0 0 64 64"'):
        assert kept in text, kept


@pytest.mark.parametrize("data", [
    b"not xml at all",
    b"<html><script>alert(1)</script></html>",                         # not an SVG
    b'<svg width="1"/>',                                                # no SVG namespace
    b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
])
def test_sanitiser_refuses_what_is_not_a_plain_svg(data: bytes) -> None:
    assert sanitize_svg(data) is None


@pytest.mark.parametrize(("attr", "value"), [
    ("fill", "url(http://127.0.0.1:9/x)"),
    ("fill", "url( 'javascript:alert(1)' )"),
    ("style", "fill:url(//127.0.0.1:9/x)"),
    ("style", "fill:red;behavior:url(x.htc)"),
    ("style", "fill:expression(alert(1))"),
    ("style", "fill:var(--x)"),
    ("style", "fill:\\75rl(http://127.0.0.1:9/x)"),
    ("filter", "image-set('http://127.0.0.1:9/x' 1x)"),
    ("href", "data:image/svg+xml;base64,PHN2Zz4="),
])
def test_sanitiser_drops_values_that_load_or_run_anything(attr: str, value: str) -> None:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg"><image {attr}="{value}"/>'
           f'<rect {attr}="{value}"/></svg>').encode()
    clean = sanitize_svg(svg)
    assert clean is not None
    assert "127.0.0.1" not in clean.decode() and "alert" not in clean.decode()
    assert "svg+xml" not in clean.decode() and "expression" not in clean.decode()
    assert "var(" not in clean.decode() and "\\" not in clean.decode()
