"""What a recruiter sees first, in headless Chromium (issue 14): on every credential page of
the sample, the learner's name and the status seal are inside the first screen on desktop
and phone; on a phone the whole trust summary is, and the page is at most about five screens
with details collapsed; a credential prints on one A4 page; cohort chart labels fit their
chart; axe finds nothing serious with "How this was checked" opened, light and dark.

Screenshots of the home page and of a verified, a revoked, a failed and (when the sample has
one) a not-issued-to credential page, desktop and phone, are written to
``build/screenshots/`` (or ``$PORTFOLIO_GEN_SCREENSHOTS``) for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.harness import BrowserSession, format_violations
from tests.browser.server import SiteServer
from tests.browser.test_site_browser import build_portfolio, copy_sample

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/p/"
DESKTOP = (1280, 800)
PHONE = (390, 844)
LEARNER = "Maya Okafor"
#: one page of each state in the sample (the not-issued-to one only once the sample has it)
SHOTS = {"verified": "credentials/sql-for-analysts/",
         "revoked": "credentials/introduction-to-python/",
         "invalid": "credentials/data-storytelling/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("portfolio_gen.mkdocs_plugin.plugin")
    root = tmp_path_factory.mktemp("trust")
    return build_portfolio(copy_sample(root / "project"), root / "site")


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("PORTFOLIO_GEN_SCREENSHOTS") or ROOT / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot(session: BrowserSession, path: Path) -> None:
    """The first screen as a visitor sees it on arrival (no scrolling, so Material's header
    shows the site title, not a mid-scroll blend of two titles)."""
    session.page.wait_for_function("""() => [...document.images].every(
        i => i.complete || i.getBoundingClientRect().top > window.innerHeight)""")
    session.page.screenshot(path=str(path))


def credential_pages(site: Path) -> list[str]:
    pages = sorted(p.parent.name for p in (site / "credentials").glob("*/index.html"))
    assert len(pages) >= 10
    return [f"credentials/{slug}/" for slug in pages]


def _box(session: BrowserSession, selector: str) -> dict[str, float]:
    box = session.page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_name_and_seal_on_the_first_screen(
        viewport: tuple[int, int], site: Path, shots: Path,
        serve_site: Callable[..., SiteServer], browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(site, PREFIX)
    session = browser({srv.origin}, viewport=viewport)
    label = "desktop" if viewport == DESKTOP else "phone"
    problems = []
    kinds = set()
    for path in credential_pages(site):
        session.goto(srv.url(path))
        page = session.page
        seal = page.locator(".pg-seal").first
        kinds.add(seal.get_attribute("data-seal"))
        recipient = page.locator(".pg-fact--recipient").first
        assert LEARNER in recipient.inner_text(), path
        for what in (".pg-seal", ".pg-fact--recipient dd", "h1"):
            box = _box(session, what)
            if box["y"] < 0 or box["y"] + box["height"] > viewport[1]:
                problems.append(f"{path} ({label}): {what} ends at "
                                f"{box['y'] + box['height']:.0f} px > {viewport[1]}")
        if viewport == PHONE:
            trust = _box(session, ".pg-trust")
            if trust["y"] + trust["height"] > viewport[1]:
                problems.append(f"{path}: the trust summary ends at "
                                f"{trust['y'] + trust['height']:.0f} px on a phone")
            height = page.evaluate("() => document.documentElement.scrollHeight")
            if height > 5.2 * viewport[1]:
                problems.append(f"{path}: {height} px tall on a phone "
                                f"({height / viewport[1]:.1f} screens)")
        # technical detail is collapsed: no check id is visible until it is opened
        assert not page.locator(".pg-check__id").first.is_visible(), path
        assert page.locator("details.pg-how").get_attribute("open") is None, path
        # no raw timestamp where a person reads the summary
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d", page.locator(".pg-trust").inner_text())
        assert not session.horizontal_overflow(), path
    assert {"verified", "revoked", "expired", "unverified"} <= kinds, kinds
    assert not problems, "\n".join(problems)
    session.goto(srv.base)
    home = _box(session, ".pg-profile h1")
    assert home["y"] + home["height"] <= viewport[1]
    assert session.page.locator(".pg-profile h1").inner_text() == LEARNER
    _shot(session, shots / f"home-{label}.png")
    mismatch = [p for p in credential_pages(site)
                if (site / p / "index.html").read_text(encoding="utf-8").count(
                    'data-seal="mismatch"')]
    for kind, path in [*SHOTS.items(), *(("mismatch", p) for p in mismatch[:1])]:
        session.goto(srv.url(path))
        _shot(session, shots / f"credential-{kind}-{label}.png")
    assert not session.page_errors, session.page_errors


def _pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF Chromium wrote (no object streams: each is a plain dict)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_a_credential_prints_on_one_a4_page(
        site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(site, PREFIX)
    session = browser({srv.origin})
    page = session.page
    # control: the counter sees several pages where there are several
    session.goto(srv.url("credentials/"))
    assert _pdf_pages(page.pdf(format="A4")) > 1
    for path in [*credential_pages(site), "summary/"]:
        session.goto(srv.url(path))
        page.emulate_media(media="print")
        assert _pdf_pages(page.pdf(format="A4", print_background=True)) == 1, path
        if path != "summary/":
            owner = page.locator(".pg-print-owner")
            assert owner.is_visible() and LEARNER in owner.inner_text(), path
            assert page.locator(".pg-seal").is_visible(), path
            if page.locator("section.pg-share--off").count() == 0:
                # a credential that counts prints its QR code; one that does not offers no
                # sharing at all (issue #14 item 4), QR code included
                assert page.locator(".pg-qr svg").is_visible(), path
            assert not page.locator(".pg-verification").is_visible(), path
        page.emulate_media(media="screen")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_details_open(
        scheme: str, site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(site, PREFIX)
    found = []
    for viewport in (DESKTOP, PHONE):
        session = browser({srv.origin}, viewport=viewport, color_scheme=scheme)
        for path in ["", "credentials/", "summary/", "timeline/", *SHOTS.values()]:
            session.goto(srv.url(path))
            session.page.evaluate(
                "() => document.querySelectorAll('details').forEach(d => d.open = true)")
            violations = session.axe()
            if violations:
                found.append(f"{path} ({scheme}, {viewport}):\n"
                             f"{format_violations(violations)}")
            if session.horizontal_overflow() > 0:
                found.append(f"{path} ({scheme}, {viewport}): wider than the viewport")
        session.context.close()
    assert not found, "\n".join(found)


def test_filters_collapse_on_a_phone(
        site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(site, PREFIX)
    for viewport, opened in ((PHONE, False), (DESKTOP, True)):
        session = browser({srv.origin}, viewport=viewport)
        session.goto(srv.url("credentials/"))
        bar = session.page.locator("details.pg-filterbar")
        bar.wait_for(state="visible")
        assert (bar.get_attribute("open") is not None) is opened
        assert session.page.locator("select").first.is_visible() is opened
        first_card = _box(session, ".pg-card")
        assert first_card["y"] < viewport[1]
        session.context.close()


def test_cohort_chart_labels_fit(
        tmp_path: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    from portfolio_gen.cohort.build import build_cohort
    from portfolio_gen.cohort.charts import bar_chart_svg
    from portfolio_gen.mkdocs_plugin import MKDOCS
    from portfolio_gen.testing.cohort import make_cohort

    make_cohort(4, 3, tmp_path / "cohort")
    build_cohort(MKDOCS, tmp_path / "cohort" / "cohort.yml", site_dir=tmp_path / "site",
                 cache_dir=tmp_path / "cache")
    # and a chart with the labels that used to be cut ("ata Storytelling (Civic Code L…")
    long = [("Data Storytelling (Civic Code Lab) — Advanced Practice in Public Reporting", 3),
            ("W" * 70, 2), ("Short", 1)]
    (tmp_path / "site" / "long-chart.html").write_text(
        f"<!doctype html><html lang=en><title>chart</title><body style='width:380px'>"
        f"{bar_chart_svg('Long labels', long)}</body></html>", encoding="utf-8")
    srv = serve_site(tmp_path / "site", PREFIX)
    for viewport in (DESKTOP, PHONE):
        session = browser({srv.origin}, viewport=viewport)
        for path in ("", "long-chart.html"):
            session.goto(srv.url(path))
            boxes = session.page.evaluate("""() => [...document.querySelectorAll(
                    'svg.cohort-chart')].flatMap(svg => {
                const outer = svg.getBoundingClientRect();
                return [...svg.querySelectorAll('text')].map(t => {
                    const r = t.getBoundingClientRect();
                    return {text: t.textContent, left: r.left - outer.left,
                            right: outer.right - r.right, width: r.width,
                            box: outer.width};
                });
            })""")
            assert boxes, path
            cut = [b for b in boxes if b["left"] < -0.5 or b["right"] < -0.5 or b["width"] == 0]
            assert not cut, (path, viewport, cut)
        session.context.close()
