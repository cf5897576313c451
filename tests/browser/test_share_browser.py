"""Sharing in a real browser: the sample's embeds on a page from ANOTHER loopback origin, the
image card with JavaScript disabled, copy buttons, axe-core on the share panel and the iframe
card, and the print views.

The embed codes are taken from the built credential page (its ``<textarea>`` boxes), with
the sample's ``site_url`` replaced by the address the test serves the site at — exactly what
a learner pastes, pointed at this machine.

Screenshots go to the test's temporary folder, or to ``$PORTFOLIO_GEN_SCREENSHOTS``.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import pytest

from tests.browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    LOCAL_SCHEMES,
    PHONE,
    BrowserSession,
    format_violations,
    origin_of,
)
from tests.browser.server import SiteServer
from tests.browser.test_site_browser import build_portfolio, copy_sample
from tests.test_site_support import Node, parse_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/some/prefix/"
REVOKED = "credentials/introduction-to-python/"
VERIFIED = "credentials/sql-for-analysts/"


def copied_while_good(site: Path, rel: str) -> dict[str, str]:
    """Issue #14: a credential that no longer counts offers no embed codes on its page; the
    codes its learner copied while it was good are the same as a good one's, with its own
    address. They must keep working and show the credential's honest current state."""
    assert not parse_html(site / rel / "index.html").find_all("textarea")
    return {k: v.replace(VERIFIED, rel) for k, v in snippets(site, VERIFIED).items()}


def _site_url() -> str:
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    assert match, "the sample's mkdocs.yml must set site_url"
    return match.group(1)


SITE_URL = _site_url()


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("portfolio_gen.mkdocs_plugin.plugin")
    root = tmp_path_factory.mktemp("share-sample")
    return build_portfolio(copy_sample(root / "project"), root / "site")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = os.environ.get("PORTFOLIO_GEN_SCREENSHOTS")
    return Path(folder) if folder else tmp_path / "screenshots"


def snippets(site: Path, page: str) -> dict[str, str]:
    """The embed codes offered on a credential page, by textarea id."""
    doc = parse_html(site / page / "index.html")
    out = {}
    for area in doc.find("section", "pg-share").find_all("textarea"):
        out[area.attrs["id"].removeprefix("pg-snippet-")] = _raw_text(area)
    assert {"html", "markdown", "iframe", "script"} <= set(out), out
    return out


def _raw_text(node: Node) -> str:
    return "".join(c if isinstance(c, str) else _raw_text(c) for c in node.children)


def pointed_at(code: str, srv: SiteServer) -> str:
    """The learner's code with the published address replaced by the test server's."""
    assert SITE_URL in code, code
    return code.replace(SITE_URL, srv.base)


def external_page(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Someone else's site</title></head><body><main><h1>My blog</h1>"
        f"{body}</main></body></html>", encoding="utf-8")
    return folder


def _frame(session: BrowserSession, suffix: str, index: int = 0) -> Any:
    frames = [f for f in session.page.frames if f.url.endswith(suffix)]
    assert len(frames) > index, [f.url for f in session.page.frames]
    return frames[index]


# -- embeds on another origin ------------------------------------------------------------------

def test_iframe_and_script_embeds_render_on_another_origin(
        sample_site: Path, tmp_path: Path, shots: Path,
        serve_site: Callable[..., SiteServer], browser: Callable[..., BrowserSession]) -> None:
    site = serve_site(sample_site, PREFIX)
    revoked, verified = copied_while_good(sample_site, REVOKED), snippets(sample_site, VERIFIED)
    body = (f"<h2>Revoked, iframe</h2>{pointed_at(revoked['iframe'], site)}"
            f"<h2>Revoked, script</h2>{pointed_at(revoked['script'], site)}"
            f"<h2>Verified, script</h2>{pointed_at(verified['script'], site)}")
    ext = serve_site(external_page(tmp_path / "external", body), "/blog/")
    assert ext.origin != site.origin
    session = browser({site.origin, ext.origin})
    session.goto(ext.url())
    page = session.page
    # embed.js replaced both script-embed divs with iframes of the card.
    page.wait_for_function(
        "() => document.querySelectorAll('div.portfolio-badge iframe').length === 2")
    assert page.locator("div.portfolio-badge > a").count() == 0
    for frame in (page.locator("iframe").nth(i) for i in range(3)):
        frame.element_handle().content_frame().wait_for_load_state("load")  # type: ignore[union-attr]

    cards = {REVOKED: [_frame(session, REVOKED + "embed-wide.html", 0),
                       _frame(session, REVOKED + "embed-wide.html", 1)],
             VERIFIED: [_frame(session, VERIFIED + "embed-wide.html", 0)]}
    for cred, frames in cards.items():
        for frame in frames:
            assert origin_of(frame.url) == site.origin
            link = frame.locator("a.card")
            assert link.evaluate("a => a.href") == site.url(cred)
            img = frame.locator("a.card img")
            assert img.get_attribute("alt")
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), frame.url
            state = frame.locator(".state").inner_text()
            if cred == REVOKED:
                assert "Revoked" in state and "revoked this credential" in state
            else:
                assert "Verified" in state and "Revoked" not in state
    # The script embed's iframe is sized from the card's own report (a sane height).
    heights = page.evaluate("""() => [...document.querySelectorAll('div.portfolio-badge iframe')]
        .map(f => Number(f.getAttribute('height')))""")
    assert all(100 <= h <= 400 for h in heights), heights

    # Following the card opens the credential page (sandbox allows the popup).
    with page.expect_popup() as popup_info:
        cards[REVOKED][0].locator("a.card").click()
    popup = popup_info.value
    popup.wait_for_load_state("load")
    assert popup.url == site.url(REVOKED)
    assert "Introduction to Python" in popup.locator("h1").first.inner_text()
    assert "revoked" in popup.locator(".pg-banner").inner_text().lower()
    session.screenshot(shots / "external-embeds-desktop.png")
    assert not session.page_errors, session.page_errors
    assert all(path.startswith("/blog/") for path in ext.requests), ext.requests


@contextlib.contextmanager
def no_script_page(playwright: Any, profile: Path, allowed: set[str]) -> Iterator[Any]:
    """A Chromium context with JavaScript disabled; other origins are blocked and recorded."""
    foreign: list[str] = []
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
        viewport={"width": DESKTOP[0], "height": DESKTOP[1]}, java_script_enabled=False,
        service_workers="block")

    def guard(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in LOCAL_SCHEMES or origin_of(url) in allowed:
            route.continue_()
        else:
            foreign.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    try:
        yield context.pages[0] if context.pages else context.new_page()
    finally:
        context.close()
    assert not foreign, foreign


def test_image_card_works_with_javascript_disabled(
        sample_site: Path, tmp_path: Path, shots: Path, playwright_instance: Any,
        serve_site: Callable[..., SiteServer]) -> None:
    site = serve_site(sample_site, PREFIX)
    codes = copied_while_good(sample_site, REVOKED)
    # The Markdown snippet is rendered the way a README renderer would.
    as_markdown = markdown.markdown(pointed_at(codes["markdown"], site))
    body = (f"<section id='html'>{pointed_at(codes['html'], site)}</section>"
            f"<section id='md'>{as_markdown}</section>"
            f"<section id='script'>{pointed_at(codes['script'], site)}</section>")
    ext = serve_site(external_page(tmp_path / "nojs", body), "/readme/")
    with no_script_page(playwright_instance, tmp_path / "profile",
                        {site.origin, ext.origin}) as page:
        response = page.goto(ext.url(), wait_until="load")
        assert response is not None and response.status == 200
        for section in ("html", "md"):
            img = page.locator(f"#{section} a > img")
            assert img.count() == 1
            # the alt text is what was copied (while it was good); the image is today's
            assert img.get_attribute("alt")
            # Shown at the card's size: the 2x PNG through width/height, the SVG natively.
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), section
            assert img.evaluate("i => Math.round(i.getBoundingClientRect().width)") == 400
            href = page.locator(f"#{section} a").first.evaluate("a => a.href")
            assert href == site.url(REVOKED)
        # Without scripts, the script embed stays a working plain link.
        fallback = page.locator("#script div.portfolio-badge > a")
        assert fallback.is_visible() and fallback.evaluate("a => a.href") == site.url(REVOKED)
        assert page.locator("#script iframe").count() == 0
        served = {r.rsplit("/", 1)[-1] for r in site.requests if REVOKED in r}
        assert {"card.png", "card.svg"} <= served, site.requests
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "image-card-no-js.png"), full_page=True)


# -- the share panel on the credential page ----------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("cred", [REVOKED, VERIFIED])
def test_share_panel_axe_alt_text_and_live_previews(
        cred: str, scheme: str, sample_site: Path, shots: Path,
        serve_site: Callable[..., SiteServer], browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(sample_site, PREFIX)
    name = cred.strip("/").split("/")[-1]
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        session = browser({srv.origin}, viewport=viewport, color_scheme=scheme)
        session.goto(srv.url(cred))
        page = session.page
        panel = page.locator("section.pg-share")
        assert panel.is_visible()
        if cred == REVOKED:
            # Issue #14: what does not count is not shared: the panel only says so.
            assert "offers no LinkedIn, share links or embed codes" in panel.inner_text()
            assert panel.locator("a, textarea, iframe, button").count() == 0
            violations = session.axe()
            assert not violations, format_violations(violations)
            assert session.horizontal_overflow() == 0
            assert not session.page_errors, session.page_errors
            session.screenshot(shots / f"credential-{name}-{scheme}-{label}.png")
            session.context.close()
            continue
        # The embeds are folded under "Embed it" (issue 14: short pages); a click opens them.
        assert not panel.locator(".pg-embeds").is_visible()
        panel.locator("details.pg-embed-more > summary").click()
        # Live previews: the image card, the iframe card and the script embed (made by embed.js).
        page.wait_for_function(
            "() => document.querySelector('.pg-share div.portfolio-badge iframe') !== null")
        assert panel.locator(".pg-embed img").evaluate_all(
            "imgs => imgs.every(i => i.alt.trim().length > 10)")
        assert panel.locator("iframe").evaluate_all(
            "fs => fs.length === 2 && fs.every(f => f.title.trim().length > 5)")
        # The previews really render the card (sandboxed iframe and script embed alike).
        expected = "Revoked" if cred == REVOKED else "Verified"
        for selector in (".pg-embed__preview > iframe",
                         ".pg-embed__preview .portfolio-badge iframe"):
            page.locator(selector).scroll_into_view_if_needed()  # embed.js loads it lazily
            frame = page.frame_locator(selector)
            assert expected in frame.locator(".state").inner_text(), selector  # auto-waits
            image = frame.locator("img")
            image.wait_for()
            assert image.evaluate("i => i.complete && i.naturalWidth > 0"), selector
        links = panel.locator(".pg-share__links a")
        assert links.count() == 5
        # Copy buttons appear with JavaScript and have distinct accessible names.
        buttons = panel.locator("button[data-pg-copy]")
        assert buttons.count() >= 6 and buttons.first.is_visible()
        names = buttons.evaluate_all("bs => bs.map(b => b.textContent.trim())")
        assert len(set(names)) == len(names), names
        violations = session.axe()
        assert not violations, format_violations(violations)
        assert session.horizontal_overflow() == 0
        assert not session.page_errors, session.page_errors
        session.screenshot(shots / f"credential-{name}-{scheme}-{label}.png")
        session.context.close()


def test_copy_button_copies_the_embed_code(
        sample_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(sample_site, PREFIX)
    session = browser({srv.origin})
    session.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=srv.origin)
    session.goto(srv.url(VERIFIED))
    page = session.page
    page.locator("details.pg-embed-more > summary").click()
    expected = page.locator("#pg-snippet-markdown").input_value()
    assert expected.startswith("[![") and SITE_URL in expected
    page.get_by_role("button", name=re.compile(r"^Copy code\s+for Image card: Markdown")).click()
    page.wait_for_function(
        "() => document.querySelector('[data-pg-copy-status]').textContent.includes('Copied')")
    assert page.evaluate("() => navigator.clipboard.readText()") == expected
    page.get_by_role("button", name="Copy link").click()
    assert page.evaluate("() => navigator.clipboard.readText()") == SITE_URL + VERIFIED


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["wide", "tall"])
def test_iframe_card_page_passes_axe(
        size: str, scheme: str, sample_site: Path, shots: Path,
        serve_site: Callable[..., SiteServer], browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(sample_site, PREFIX)
    session = browser({srv.origin}, viewport=(360, 300), color_scheme=scheme)
    session.goto(srv.url(REVOKED + f"embed-{size}.html"))
    img = session.page.locator("img")
    assert (img.get_attribute("alt") or "").strip()
    assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    assert "Revoked" in session.page.inner_text("body")
    violations = session.axe()
    assert not violations, format_violations(violations)
    session.screenshot(shots / f"iframe-card-{size}-{scheme}.png")


# -- print -------------------------------------------------------------------------------------

def test_print_views(sample_site: Path, shots: Path, serve_site: Callable[..., SiteServer],
                     browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(sample_site, PREFIX)
    session = browser({srv.origin})
    page = session.page
    session.goto(srv.url(VERIFIED))
    page.emulate_media(media="print")
    assert page.locator("section.pg-share .pg-qr svg").is_visible()
    for hidden in (".md-header", ".pg-share__links", ".pg-embeds", ".md-sidebar--primary"):
        assert not page.locator(hidden).first.is_visible(), hidden
    session.screenshot(shots / "credential-print.png")
    pdf = page.pdf(path=str(shots / "credential-print.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")

    session.goto(srv.url("summary/"))
    page.emulate_media(media="print")
    rows = page.locator(".pg-summary__table tbody tr")
    assert rows.count() == 9  # the sample's verified credentials only
    assert page.locator(".pg-summary__table svg").count() == 9  # one QR code each
    assert "Introduction to Python" not in page.inner_text("main")  # revoked: not listed
    session.screenshot(shots / "summary-print.png")
    pdf = page.pdf(path=str(shots / "summary.pdf"), format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the CV summary should print on one page, got {pages}"
