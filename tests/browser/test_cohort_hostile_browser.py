"""Issue #11 (2): no learner's script runs on the cohort origin, in a real browser.

The hostile cohort (``benchmarks/make_cohort.py`` output plus the learners of
:mod:`tests.support.hostile_cohort`, built by ``portfolio-gen cohort build``) is served
under a sub-path, and every HTML file of the site is opened in headless Chromium with a
dialog and a console listener. The payloads call ``alert``/``confirm`` or log ``PWNED``;
a single dialog or such a message fails the test. The directory search (which draws
cards from the index with JavaScript) is run for the hostile learner's name too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from portfolio_gen.model.slugs import slugify
from tests.browser.harness import BrowserSession
from tests.browser.server import SiteServer
from tests.support.hostile_cohort import SCRIPT_ATTACHMENTS, SCRIPT_NAME, build_hostile_site

pytestmark = pytest.mark.browser

PREFIX = "/careers/showcase/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, folder, _ = build_hostile_site(tmp_path_factory.mktemp("hostile-browser"))
    return folder


def _listen(session: BrowserSession) -> list[str]:
    messages: list[str] = []
    session.page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    return messages


@pytest.mark.timeout(600)  # opens 150+ pages: ~60 s alone, far more on a loaded 2-core machine
def test_no_page_of_the_hostile_cohort_runs_learner_script(
        site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(site, PREFIX)
    session = browser({srv.origin})
    console = _listen(session)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    learner = f"learners/{slugify(SCRIPT_NAME)}/"
    hostile = [p for p in pages if p.startswith(learner)]
    assert len(pages) > 150 and len(hostile) > 15
    for page in pages:
        session.goto(srv.url(page))
    assert session.dialogs == [], session.dialogs
    pwned = [m for m in console if "PWNED" in m]
    assert pwned == [], pwned


def test_directory_search_draws_the_hostile_name_as_text(
        site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(site, PREFIX)
    session = browser({srv.origin})
    console = _listen(session)
    session.goto(srv.url("learners/"))
    page = session.page
    box = page.get_by_role("searchbox", name="Name")
    box.wait_for(state="visible")
    box.fill("Mallory")
    page.wait_for_function(
        "() => document.querySelector('[data-pg-cohort-results]')"
        ".getAttribute('data-pg-state') === 'results'")
    names = page.locator("[data-pg-cohort-results] .pg-cohort-card__name").all_inner_texts()
    assert SCRIPT_NAME in names          # shown, as the text the learner typed
    assert session.dialogs == [] and not [m for m in console if "PWNED" in m]


def test_executable_attachments_are_not_served(
        site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(site, PREFIX)
    session = browser({srv.origin})
    base = f"learners/{slugify(SCRIPT_NAME)}/reflections/"
    for name in SCRIPT_ATTACHMENTS:   # fetched, not opened (the PDF viewer is an extension)
        response = session.page.request.get(srv.url(base + name))
        assert response.status == (200 if name == "notes.pdf" else 404), name
    assert session.dialogs == []
