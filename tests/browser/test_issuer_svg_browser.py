"""Issuer SVG opened directly in Chromium runs nothing (issue 11, problem 3).

The portfolio of ``tests/test_issuer_svg.py`` (a baked hostile SVG, a hostile data-URI badge
image and issuer logo, a JSON assertion named ``notes.html``) is built and served from a
loopback sub-path with ``mimetypes`` content types, as a static host would serve it. Every
published SVG, the iframe cards and the credential pages are opened at their own addresses
with dialog, console and page-error listeners; nothing may run and nothing may be fetched
from anywhere else. The originals are fetched by clicking their links: they download under
their real names instead of opening. A control opens the unsanitised SVG the same way and
must see its script run, so the listeners are known to work.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import BrowserSession
from tests.browser.server import SiteServer
from tests.test_issuer_svg import MARKERS, build_svg_site, hostile_svg
from tests.test_site_support import parse_html

pytestmark = pytest.mark.browser

PREFIX = "/portfolio/"
CREDENTIALS = ("Baked SVG Badge", "Inline SVG Badge")


@pytest.fixture(scope="module")
def svg_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("portfolio_gen.mkdocs_plugin.plugin")
    root = tmp_path_factory.mktemp("svg-browser")
    build_svg_site(root / "project", root / "site")
    return root / "site"


def _listen(session: BrowserSession) -> list[str]:
    console: list[str] = []
    session.page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    return console


def _credential_folders(site: Path) -> dict[str, str]:
    index = parse_html(site / "credentials" / "index.html")
    found = {}
    for card in index.find_all("article", "pg-card"):
        link = card.find("a")
        if link.text in CREDENTIALS:
            found[link.text] = "credentials/" + link.attrs["href"].strip("/") + "/"
    assert set(found) == set(CREDENTIALS), found
    return found


def _ran(messages: list[str]) -> list[str]:
    """Messages that only the issuer's script could have produced."""
    return [m for m in messages if any(marker in m for marker in MARKERS)]


def _settle(session: BrowserSession) -> None:
    """Give onload handlers, animations and queued scripts a moment to fire."""
    session.page.wait_for_timeout(300)


def test_published_svgs_and_pages_run_no_issuer_script(
        svg_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(svg_site, PREFIX)
    session = browser({srv.origin})
    console = _listen(session)
    folders = _credential_folders(svg_site)
    svgs = sorted(p.relative_to(svg_site).as_posix() for p in svg_site.rglob("*.svg"))
    assert any(s.startswith("assets/portfolio/images/") for s in svgs)
    targets = [*svgs, *folders.values(),
               *(f"{f}embed-wide.html" for f in folders.values()),
               *(f"{f}embed-tall.html" for f in folders.values())]
    for target in targets:
        session.goto(srv.url(target))
        _settle(session)
        if target.endswith(".svg"):
            kind = session.page.evaluate("() => document.contentType")
            assert kind == "image/svg+xml", (target, kind)   # opened as a document
            # the hover and click handlers an issuer may have added are gone too
            session.page.mouse.move(20, 20)
            session.page.mouse.click(32, 32)
            _settle(session)
        assert session.dialogs == [], (target, session.dialogs)
        assert _ran(console) == [], (target, console)
        assert session.page_errors == [], (target, session.page_errors)
    assert all_requests_stayed_home(session, srv)


def all_requests_stayed_home(session: BrowserSession, srv: SiteServer) -> bool:
    leaving = [u for u in session.requests if not u.startswith((srv.origin, "data:", "about:"))]
    assert leaving == [] and session.foreign_requests == [], leaving
    return True


def test_originals_download_under_their_real_names(
        svg_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(svg_site, PREFIX)
    session = browser({srv.origin})
    console = _listen(session)
    expected = {"Baked SVG Badge": "baked.svg"}
    folders = _credential_folders(svg_site)
    notes = [p.parent for p in svg_site.glob("credentials/*/original.bin")
             if b"html-original" in p.read_bytes()]
    assert len(notes) == 1
    pages = {**{name: folders[name] for name in expected},
             "notes": notes[0].relative_to(svg_site).as_posix() + "/"}
    expected["notes"] = "notes.html"
    for name, folder in pages.items():
        session.goto(srv.url(folder))
        session.page.locator("details.pg-how > summary").click()   # folded (issue 14)
        link = session.page.locator("section.pg-verification .pg-downloads a[href='original.bin']")
        with session.page.expect_download() as info:
            link.click()
        download: Any = info.value
        assert download.suggested_filename == expected[name]
        saved = Path(download.path())
        assert saved.read_bytes() == (svg_site / folder / "original.bin").read_bytes()
        _settle(session)
        assert session.dialogs == [] and _ran(console) == []
        assert session.page.url == srv.url(folder)          # still on the page


def test_control_the_unsanitised_svg_would_run(
        tmp_path: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    """Without the sanitiser the same file runs its script: the listeners above can see it."""
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "badge.svg").write_text(hostile_svg(), encoding="utf-8")
    srv = serve_site(folder, PREFIX)
    session = browser({srv.origin}, foreign_expected=True)
    console = _listen(session)
    session.goto(srv.url("badge.svg"))
    _settle(session)
    assert _ran(session.dialogs), session.dialogs
    assert any("svg-console" in c for c in console), console
    assert session.foreign_requests            # its tracker image was asked for (and blocked)
