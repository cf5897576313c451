"""The browser harness itself: each guard is shown to catch what it is there to catch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.conftest import require_browser
from tests.browser.harness import BrowserSession, all_foreign, missing_requirement
from tests.browser.server import SiteServer

pytestmark = pytest.mark.browser

GOOD = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harness</title>
<link rel="stylesheet" href="style.css"></head><body><main><h1>Hello</h1>
<img src="pic.svg" alt="A blue square"><p><a href="sub/">A sub page</a></p></main></body></html>"""
BAD = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<img src="pic.svg"><input type="text"></body></html>"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" ' \
      'height="10" fill="blue"/></svg>'


def _site(root: Path, extra_head: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(GOOD.replace("</head>", extra_head + "</head>"))
    (root / "style.css").write_text("body { font-family: sans-serif; }")
    (root / "pic.svg").write_text(SVG)
    (root / "bad.html").write_text(BAD)
    (root / "sub").mkdir(exist_ok=True)
    (root / "sub" / "index.html").write_text(GOOD.replace("Hello", "Sub"))
    return root


def test_serves_under_a_prefix_and_passes_axe(
        tmp_path: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(_site(tmp_path / "site"))
    session = browser({srv.origin})
    session.goto(srv.base)
    assert session.page.inner_text("h1") == "Hello"
    session.page.click("text=A sub page")
    session.page.wait_for_url(srv.url("sub/"))
    assert session.page.inner_text("h1") == "Sub"
    assert session.axe() == []
    assert "/some/prefix/style.css" in srv.requests
    # Outside the prefix nothing is served: a link that forgot the prefix would break.
    assert session.page.goto(srv.origin + "/index.html").status == 404  # type: ignore[union-attr]


def test_axe_reports_serious_violations(
        tmp_path: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(_site(tmp_path / "site"))
    session = browser({srv.origin})
    session.goto(srv.url("bad.html"))
    ids = {v["id"] for v in session.axe()}
    assert {"image-alt", "label"} <= ids


def test_requests_to_another_origin_are_blocked_and_reported(
        tmp_path: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    other = serve_site(_site(tmp_path / "other"), "/")
    link = f'<link rel="stylesheet" href="{other.url("style.css")}">'
    srv = serve_site(_site(tmp_path / "site", link))
    assert srv.origin != other.origin
    session = browser({srv.origin}, foreign_expected=True)
    session.goto(srv.base)
    assert all_foreign(session) == [other.url("style.css")]
    assert other.requests == []  # aborted before it left the browser


def test_script_sentinels_detect_a_script_that_ran(
        tmp_path: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    root = _site(tmp_path / "site")
    (root / "evil.html").write_text(
        '<!doctype html><html lang="en"><title>x</title><img src="nope.png" alt="x" '
        'onerror="window.__pwned = 1; alert(1)"></html>')
    srv = serve_site(root)
    session = browser({srv.origin})
    session.goto(srv.url("evil.html"))
    session.page.wait_for_function("() => window.__pwned === 1")
    assert session.dialogs == ["alert: 1"]


def test_missing_browser_skips_locally_and_fails_in_ci(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reason = missing_requirement(chromium=tmp_path / "no-chromium")
    assert reason is not None and "no-chromium" in reason
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        require_browser(reason)
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        require_browser(reason)
