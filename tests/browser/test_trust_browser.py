"""Issue #14 in headless Chromium, on the built sample: a classmate's badge shows the
"not issued to this learner" state and counts nowhere; revoked and tampered credentials are
not evidence on the skills page and offer no LinkedIn "Add to profile"."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.harness import PHONE, BrowserSession
from tests.browser.server import SiteServer
from tests.browser.test_site_browser import PREFIX, build_portfolio, copy_sample

pytestmark = pytest.mark.browser

MISMATCH = "credentials/data-cleaning/"
REVOKED = "credentials/introduction-to-python/"
TAMPERED = "credentials/data-storytelling/"
GOOD = "credentials/data-visualisation-with-python/"


@pytest.fixture(scope="module")
def trust_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("portfolio_gen.mkdocs_plugin.plugin")
    root = tmp_path_factory.mktemp("trust-sample")
    return build_portfolio(copy_sample(root / "project"), root / "site")


def _skill_links(session: BrowserSession) -> list[str]:
    hrefs = session.page.locator("main .pg-skill a").evaluate_all(
        "els => els.map(a => a.href)")
    return [str(h) for h in hrefs]


def test_mismatch_credential_shows_its_state_and_counts_nowhere(
        trust_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(trust_site, PREFIX)
    for viewport in (None, PHONE):
        session = browser({srv.origin}, **({"viewport": viewport} if viewport else {}))
        session.goto(srv.url(MISMATCH))
        banner = session.page.locator(".pg-banner--mismatch")
        assert banner.is_visible()
        assert "Not issued to this learner" in banner.inner_text()
        box = banner.bounding_box()
        assert box is not None and box["y"] < session.page.viewport_size["height"]  # type: ignore[index]
        recipient = session.page.locator("[data-pg-recipient='mismatch']").last
        assert recipient.is_visible()
        assert session.page.locator("a[href*='linkedin.com']").count() == 0
        assert session.page.locator("textarea").count() == 0
        assert not session.page_errors, session.page_errors
        session.context.close()

    session = browser({srv.origin})
    session.goto(srv.url("credentials/"))
    card = session.page.locator(".pg-not-verified .pg-card", has_text="Data Cleaning")
    assert card.is_visible() and "Not the owner's" in card.inner_text()
    # the counted grid does not hold it
    assert session.page.locator("[data-pg-grid]").first.locator(
        ".pg-card", has_text="Data Cleaning").count() == 0

    session.goto(srv.url("skills/"))
    links = _skill_links(session)
    assert links and not [h for h in links if h.endswith("/data-cleaning/")]
    assert session.page.get_by_role("heading", name="Data engineering").count() == 0
    skills_on_page = session.page.locator("main section.pg-skill").count()

    session.goto(srv.url(""))
    figures = dict(zip(session.page.locator(".pg-counts dt").all_inner_texts(),
                       session.page.locator(".pg-counts dd").all_inner_texts(), strict=True))
    assert figures["Credentials"] == "9"          # 13 files: 9 verified and hers
    assert int(figures["Skills"]) == skills_on_page
    assert session.page.locator("#pg-featured ~ .pg-grid .pg-card",
                                has_text="Data Cleaning").count() == 0


@pytest.mark.parametrize("rel", [REVOKED, TAMPERED])
def test_revoked_and_tampered_are_not_evidence_and_not_shareable(
        rel: str, trust_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(trust_site, PREFIX)
    session = browser({srv.origin})
    session.goto(srv.url("skills/"))
    slug = rel.rstrip("/").rsplit("/", 1)[1]
    links = _skill_links(session)
    assert links and not [h for h in links if h.endswith(f"/{slug}/")], links

    session.goto(srv.url(rel))
    assert session.page.locator(".pg-banner").first.is_visible()
    assert session.page.locator("a[href*='linkedin.com/profile/add']").count() == 0
    assert session.page.locator("a[href*='linkedin.com']").count() == 0
    if rel == TAMPERED:
        assert session.page.get_by_text("Claimed in this file (not verified)").first.is_visible()
        session.page.locator("details.pg-how > summary").click()   # downloads sit in there
        assert session.page.get_by_role("link", name=re.compile("file as found")).count() >= 1

    # the verified page, for contrast, does offer LinkedIn
    session.goto(srv.url(GOOD))
    assert session.page.locator("a[href*='linkedin.com/profile/add']").count() == 1
    assert not session.page_errors, session.page_errors


def test_state_filter_reaches_the_not_verified_group(
        trust_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(trust_site, PREFIX)
    session = browser({srv.origin})
    session.goto(srv.url("credentials/"))
    session.page.get_by_label("State").select_option("Not the owner's")
    session.page.wait_for_function(
        "() => document.querySelectorAll('.pg-card:not([hidden])').length === 1")
    assert session.page.locator(".pg-card:visible .pg-card__title").inner_text() == \
        "Data Cleaning"
