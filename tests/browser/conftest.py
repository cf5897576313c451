"""Fixtures for the browser tests (``@pytest.mark.browser``).

* ``serve_site(root, prefix="/some/prefix/")`` serves a built site on 127.0.0.1 under a
  sub-path; every call starts another server on another port, i.e. another origin (for
  embedding tests).
* ``browser(allowed_origins, viewport=..., color_scheme=...)`` opens Debian's Chromium with a
  fresh profile; requests to any other origin are aborted and fail the test at teardown.

Without chromium, playwright or axe-core the tests are skipped with the reason, except under
``CI=true``, where they fail: CI must really run them (``scripts/install_browser.sh``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import (
    DESKTOP,
    BrowserSession,
    all_foreign,
    missing_requirement,
    open_session,
)
from tests.browser.server import SiteServer


def require_browser(reason: str | None = None) -> None:
    """Skip (or, under CI=true, fail) when the browser tests cannot run."""
    reason = reason or missing_requirement()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture
def serve_site() -> Iterator[Callable[..., SiteServer]]:
    with contextlib.ExitStack() as stack:

        def start(root: Path, prefix: str = "/some/prefix/") -> SiteServer:
            return stack.enter_context(SiteServer(root, prefix))

        yield start


@pytest.fixture
def browser(playwright_instance: Any, tmp_path_factory: pytest.TempPathFactory,
            ) -> Iterator[Callable[..., BrowserSession]]:
    sessions: list[tuple[BrowserSession, bool]] = []

    def open_browser(allowed_origins: list[str] | set[str], *,
                     viewport: tuple[int, int] = DESKTOP, color_scheme: str = "light",
                     foreign_expected: bool = False) -> BrowserSession:
        profile = tmp_path_factory.mktemp("chromium-profile")
        session = open_session(playwright_instance, profile, set(allowed_origins),
                               viewport=viewport, color_scheme=color_scheme)
        sessions.append((session, foreign_expected))
        return session

    yield open_browser
    problems = []
    for session, foreign_expected in sessions:
        with contextlib.suppress(Exception):
            session.context.close()
        foreign = all_foreign(session)
        if foreign and not foreign_expected:
            problems.append("requests left the site's origin:\n  " + "\n  ".join(foreign))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
