"""Drive Debian's headless Chromium through Playwright for the browser tests.

* Chromium is launched from ``/usr/bin/chromium`` (Playwright's own browser download cannot
  work on these machines) with a fresh profile directory per session.
* Every request a page makes is recorded; any request to an origin that is not allowed is
  aborted before it leaves and listed in ``foreign_requests``.
* :meth:`BrowserSession.axe` injects axe-core (from ``tests/browser/node_modules``) and
  returns the serious and critical violations.
* Dialogs (``alert``/``confirm``/``prompt``) are recorded and dismissed.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import (
        BrowserContext,
        Dialog,
        Error,
        Page,
        Playwright,
        Request,
        Route,
    )

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("PORTFOLIO_GEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Schemes that never reach the network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
SERIOUS = frozenset({"serious", "critical"})
PHONE = (390, 844)
DESKTOP = (1280, 900)


def missing_requirement(chromium: Path = CHROMIUM, axe_js: Path = AXE_JS) -> str | None:
    """Why the browser tests cannot run here, or ``None`` when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (scripts/install_browser.sh)"
    if not (chromium.is_file() and os.access(chromium, os.X_OK)):
        return f"{chromium} is missing: install Debian's chromium (scripts/install_browser.sh)"
    if not axe_js.is_file():
        return f"{axe_js} is missing: run scripts/install_browser.sh (npm ci in tests/browser)"
    return None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class BrowserSession:
    """One browser profile with one page; ``allowed`` are the origins it may contact."""

    context: BrowserContext
    page: Page
    allowed: set[str]
    requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def goto(self, url: str) -> None:
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        assert response.status == 200, f"{url} answered {response.status}"

    def axe(self, *, include_impacts: frozenset[str] = SERIOUS) -> list[dict[str, Any]]:
        """Run axe-core on the current page; violations of the given impacts."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, so a page's CSP cannot block it.
            self.page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        violations: list[dict[str, Any]] = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                              summary: n.failureSummary}))}));
            }"""
        )
        return [v for v in violations if v["impact"] in include_impacts]

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
        return int(self.page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"))

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        """Save a screenshot, after loading lazy images (scrolls down and back up)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.evaluate("""async () => {
            for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
                window.scrollTo(0, y);
                await new Promise(requestAnimationFrame);
            }
            window.scrollTo(0, 0);
        }""")
        self.page.wait_for_function(
            "() => [...document.images].every(img => img.complete)")
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
    return "\n".join(lines)


def open_session(pw: Playwright, profile_dir: Path, allowed: set[str], *,
                 viewport: tuple[int, int] = DESKTOP, color_scheme: str = "light",
                 ) -> BrowserSession:
    """Launch Chromium with a fresh profile in ``profile_dir``; block non-allowed origins."""
    if profile_dir.exists():
        shutil.rmtree(profile_dir)
    profile_dir.mkdir(parents=True)
    context = pw.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": viewport[0], "height": viewport[1]},
        color_scheme=color_scheme,  # type: ignore[arg-type]
        service_workers="block",
    )
    page = context.pages[0] if context.pages else context.new_page()
    session = BrowserSession(context=context, page=page, allowed=set(allowed))

    def on_request(request: Request) -> None:
        session.requests.append(request.url)

    def guard(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in LOCAL_SCHEMES or origin_of(url) in session.allowed:
            route.continue_()
        else:
            session.foreign_requests.append(url)
            route.abort("blockedbyclient")

    context.on("request", on_request)
    context.route("**/*", guard)
    def on_dialog(dialog: Dialog) -> None:
        session.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_page_error(error: Error) -> None:
        session.page_errors.append(str(error))

    page.on("dialog", on_dialog)
    page.on("pageerror", on_page_error)
    return session


def all_foreign(session: BrowserSession) -> list[str]:
    """Recorded requests (routed or not) whose origin is not allowed."""
    seen = [u for u in session.requests
            if urlsplit(u).scheme not in LOCAL_SCHEMES and origin_of(u) not in session.allowed]
    return sorted(set(seen) | set(session.foreign_requests))
