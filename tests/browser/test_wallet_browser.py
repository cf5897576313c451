"""A credential from a wallet export, with verified and forged endorsements, in headless Chromium:
no serious/critical axe-core violations, no script from the forged endorsement runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.harness import DESKTOP, PHONE, BrowserSession, format_violations
from tests.browser.server import SiteServer
from tests.test_site_wallet import _build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def wallet_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, _ = _build(tmp_path_factory.mktemp("wallet"))
    return out


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wallet_credential_page_passes_axe(
        scheme: str, wallet_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession], tmp_path: Path) -> None:
    srv = serve_site(wallet_site, "/")
    found = []
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        session = browser({srv.origin}, viewport=viewport, color_scheme=scheme)
        session.goto(srv.url("credentials/teamwork/"))
        session.screenshot(tmp_path / f"teamwork-{scheme}-{label}.png")
        assert session.page.get_by_text("Verified endorsement").is_visible()
        assert session.page.get_by_text("Endorsement invalid").is_visible()
        assert not session.page_errors, session.page_errors
        violations = session.axe()
        if violations:
            found.append(f"{scheme}, {label}:\n{format_violations(violations)}")
        session.context.close()
    assert not found, "\n".join(found)
