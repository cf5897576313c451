"""Issue #12 in headless Chromium: a credential page with conformance notes and a plain VC
with the generic layout load offline, run no script errors and pass axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portfolio_gen.mkdocs_plugin.engine import build_site
from tests.browser.harness import DESKTOP, PHONE, BrowserSession, format_violations
from tests.browser.server import SiteServer
from tests.test_site_conformance import _portfolio, _slug

pytestmark = pytest.mark.browser

PREFIX = "/some/prefix/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("conformance-portfolio")
    fetcher = _portfolio(root)
    build_site(root, site_dir=root / "site", now=datetime(2026, 6, 1, 12, tzinfo=UTC),
               fetcher=fetcher)  # type: ignore[arg-type]
    return root / "site"


@pytest.mark.parametrize("name", ["Nameless Subject Badge", "Workshop Attendance"])
def test_conformance_notes_pass_axe(name: str, site: Path,
                                    serve_site: Callable[..., SiteServer],
                                    browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(site, PREFIX)
    found = []
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        session = browser({srv.origin}, viewport=viewport)
        session.goto(srv.url(f"credentials/{_slug(site, name)}/"))
        notes = session.page.locator(".pg-conformance")
        # folded under "How this was checked" (issue 14); a click opens it
        assert not notes.is_visible()
        session.page.locator("details.pg-how > summary").click()
        assert notes.is_visible()
        assert "Notes on the standard" in notes.inner_text()
        assert not session.page_errors, session.page_errors
        violations = session.axe()
        if violations:
            found.append(f"{name} ({label}):\n{format_violations(violations)}")
        if session.horizontal_overflow() > 0:
            found.append(f"{name} ({label}): wider than the viewport")
        session.context.close()
    assert not found, "\n".join(found)
