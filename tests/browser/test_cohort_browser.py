"""The cohort site in headless Chromium, served under a sub-path: directory search and
filters (sharded index), facet pages, a learner sub-site's credential page and its widgets,
axe-core on the cohort pages. No request may leave the site's origin or its prefix.

Screenshots go to the test's temporary folder, or ``$PORTFOLIO_GEN_SCREENSHOTS``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from portfolio_gen.model.slugs import slugify
from portfolio_gen.testing.cohort import OB2_ISSUERS, OB3_ISSUERS, LearnerSpec, make_cohort
from tests.browser.harness import DESKTOP, PHONE, BrowserSession, format_violations
from tests.browser.server import SiteServer

pytestmark = pytest.mark.browser

PREFIX = "/showcase/2026/"
N, M = 12, 4


@dataclass
class Cohort:
    site: Path
    specs: list[LearnerSpec]


def _shown(spec: LearnerSpec) -> list[int]:
    """Indexes of the verified, unhidden credentials (generator: credential 0 hidden when
    i % 5 == 2, credential 1 tampered when i % 11 == 5)."""
    return [k for k in range(len(spec.achievements))
            if not (k == 0 and spec.hidden_id) and not (k == 1 and spec.index % 11 == 5)]


def _issuer(i: int, k: int) -> str:
    """The generator's issuer choice for learner i's credential k."""
    kind = ("ob2", "di", "jwt", "jwt", "ob2")[(i + k) % 5]
    return OB2_ISSUERS[(i + k) % 2] if kind == "ob2" else OB3_ISSUERS[(i + k) % 3]


def _skills(achievement: str) -> list[str]:
    from portfolio_gen.testing import cohort as gen

    return gen._skills_for(achievement)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    from portfolio_gen.cohort.build import build_cohort
    from portfolio_gen.mkdocs_plugin import MKDOCS

    root = tmp_path_factory.mktemp("cohort-browser")
    specs = make_cohort(N, M, root / "cohort")
    build_cohort(MKDOCS, root / "cohort" / "cohort.yml", site_dir=root / "site",
                 cache_dir=root / "cache")
    return Cohort(root / "site", specs)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = os.environ.get("PORTFOLIO_GEN_SCREENSHOTS")
    return Path(folder) if folder else tmp_path / "screenshots"


def _result_names(session: BrowserSession) -> list[str]:
    return sorted(session.page.locator(
        "[data-pg-cohort-results] .pg-cohort-card__name").all_inner_texts())


def _wait_results(session: BrowserSession, count: int) -> None:
    session.page.wait_for_function(
        """n => { const r = document.querySelector('[data-pg-cohort-results]');
                  return r.getAttribute('data-pg-state') === 'results' &&
                         r.querySelectorAll('.pg-cohort-card').length === n; }""", arg=count)


def test_directory_filters_by_skill_and_issuer_and_finds_a_name(
        cohort: Cohort, shots: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(cohort.site, PREFIX)
    session = browser({srv.origin})
    session.goto(srv.url("learners/"))
    page = session.page
    consenting = [s for s in cohort.specs if s.consent]
    assert len(_result_names(session)) == len(consenting)  # the static list, before any search
    page.get_by_role("searchbox", name="Name").wait_for(state="visible")

    skill = "Python"
    expected = sorted(s.name for s in consenting
                      if any(skill in _skills(s.achievements[k]) for k in _shown(s)))
    assert 0 < len(expected) < len(consenting)
    select = page.get_by_label("Skill", exact=True)
    value = select.locator("option", has_text=f"{skill} (").get_attribute("value")
    select.select_option(value=value)
    _wait_results(session, len(expected))
    assert _result_names(session) == expected
    assert f"{len(expected)} learner" in page.locator("[data-pg-cohort-status]").inner_text()

    page.get_by_role("button", name="Clear").click()
    page.wait_for_function("() => !document.querySelector('[data-pg-cohort-results]')"
                           ".hasAttribute('data-pg-state')")
    issuer = OB3_ISSUERS[0]
    expected = sorted(s.name for s in consenting
                      if any(_issuer(s.index, k) == issuer for k in _shown(s)))
    assert 0 < len(expected) < len(consenting)
    select = page.get_by_label("Issuer", exact=True)
    value = select.locator("option", has_text=f"{issuer} (").get_attribute("value")
    select.select_option(value=value)
    _wait_results(session, len(expected))
    assert _result_names(session) == expected

    # skill AND issuer: the intersection
    select = page.get_by_label("Skill", exact=True)
    value = select.locator("option", has_text=f"{skill} (").get_attribute("value")
    select.select_option(value=value)
    both = sorted(s.name for s in consenting
                  if any(_issuer(s.index, k) == issuer for k in _shown(s))
                  and any(skill in _skills(s.achievements[k]) for k in _shown(s)))
    _wait_results(session, len(both))
    assert _result_names(session) == both

    page.get_by_role("button", name="Clear").click()
    target = consenting[4]
    last = target.name.split()[-1]
    page.get_by_role("searchbox", name="Name").fill(last[:4].lower())
    matches = sorted(s.name for s in consenting
                     if any(w.lower().startswith(last[:4].lower()) for w in s.name.split()))
    _wait_results(session, len(matches))
    assert target.name in _result_names(session)
    session.screenshot(shots / "cohort-directory-search.png")
    # the result links into the learner's sub-site, under the prefix
    page.locator("[data-pg-cohort-results] a", has_text=target.name).first.click()
    page.wait_for_url(srv.url(f"learners/{slugify(target.name)}/"))
    assert page.locator("h1").first.inner_text() == target.name
    # sharded: one name shard was loaded, not all of them
    shards = {u for u in session.requests if "/directory/index/names/" in u}
    assert len(shards) == 1, shards
    assert all(p.startswith(PREFIX) for p in srv.requests), srv.requests
    assert not session.page_errors, session.page_errors


def test_facet_page_lists_the_right_learners(
        cohort: Cohort, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(cohort.site, PREFIX)
    session = browser({srv.origin})
    session.goto(srv.url("skills/"))
    session.page.get_by_role("link", name="SQL", exact=True).click()
    session.page.wait_for_url(srv.url("skills/sql/"))
    consenting = [s for s in cohort.specs if s.consent]
    expected = sorted(s.name for s in consenting
                      if any("SQL" in _skills(s.achievements[k]) for k in _shown(s)))
    names = sorted(session.page.locator(".pg-cohort-card__name").all_inner_texts())
    assert names == expected and expected


def test_learner_credential_page_and_widgets_under_the_prefix(
        cohort: Cohort, shots: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(cohort.site, PREFIX)
    session = browser({srv.origin})
    spec = next(s for s in cohort.specs if s.consent and not s.hidden_id)
    slug = slugify(spec.name)
    session.goto(srv.url(f"learners/{slug}/"))
    page = session.page
    page.locator("article").get_by_role("link", name="All credentials").click()
    page.wait_for_url(srv.url(f"learners/{slug}/credentials/"))
    achievement = spec.achievements[0]
    page.locator(".pg-card a", has_text=achievement).first.click()
    cred_url = srv.url(f"learners/{slug}/credentials/{slugify(achievement)}/")
    page.wait_for_url(cred_url)
    assert page.locator("h1").first.inner_text() == achievement
    assert page.locator(".pg-check").count() > 3        # the verification panel
    panel = page.locator("section.pg-share")
    assert panel.is_visible()
    link = page.locator("#pg-page-link").input_value()
    assert link == f"https://careers.example.edu/showcase/learners/{slug}/credentials/" \
                   f"{slugify(achievement)}/"
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_function(
        "() => document.querySelector('[data-pg-copy-status]').textContent.includes('Copied')")
    session.screenshot(shots / "cohort-learner-credential.png")
    # the widget files and downloads exist under the learner's prefix
    for href in panel.locator(".pg-embed img, a[download]").evaluate_all(
            "els => els.map(e => e.src || e.href)"):
        assert href.startswith(srv.url(f"learners/{slug}/")), href
        assert page.request.get(href).status == 200, href
    for size in ("wide", "tall"):
        session.goto(cred_url + f"embed-{size}.html")
        assert page.locator("img").first.is_visible()
    # the cohort chrome: the nav leads back to the cohort pages
    session.goto(cred_url)
    page.locator(".md-nav--primary").get_by_role("link", name="Learners").first.click()
    page.wait_for_url(srv.url("learners/"))
    assert all(p.startswith(PREFIX) for p in srv.requests), srv.requests
    assert not session.page_errors, session.page_errors


@pytest.mark.parametrize("path", ["", "learners/", "skills/python/", "issuers/"])
def test_axe_on_cohort_pages(
        path: str, cohort: Cohort, shots: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(cohort.site, PREFIX)
    found = []
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        for scheme in ("light", "dark"):
            session = browser({srv.origin}, viewport=viewport, color_scheme=scheme)
            session.goto(srv.url(path))
            if path == "learners/":
                session.page.get_by_role("searchbox", name="Name").wait_for(state="visible")
            session.screenshot(shots / f"cohort-{path.strip('/').replace('/', '-') or 'home'}"
                                       f"-{scheme}-{label}.png")
            violations = session.axe()
            if violations:
                found.append(f"{path} ({scheme}, {label}):\n{format_violations(violations)}")
            if session.horizontal_overflow() > 0:
                found.append(f"{path} ({scheme}, {label}): wider than the viewport by "
                             f"{session.horizontal_overflow()} px")
            assert not session.page_errors, session.page_errors
            session.context.close()
    assert not found, "\n".join(found)

