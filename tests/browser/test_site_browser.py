"""The built sample site in headless Chromium: served under a sub-path, no request leaves its
origin, no serious/critical axe-core violations, filters and dark mode work, and a hostile
credential runs no script.

Screenshots (phone 390 px and desktop 1280 px) are written to the test's temporary folder, or
to ``$PORTFOLIO_GEN_SCREENSHOTS`` when set, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import DESKTOP, PHONE, BrowserSession, format_violations
from tests.browser.server import SiteServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/some/prefix/"
PAGES = {
    "home": "",
    "credentials": "credentials/",
    "credential": "credentials/sql-for-analysts/",
    "credential-ob3": "credentials/data-visualisation-with-python/",
    "flagged-credential": "credentials/introduction-to-python/",
    "reflection": "reflections/my-first-dashboard/",
    "skills": "skills/",
    "pathways": "pathways/",
}


def build_portfolio(project: Path, out: Path) -> Path:
    """Build ``project/mkdocs.yml`` into ``out`` with MkDocs and the portfolio plugin."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(out))
    build(config)
    assert (out / "index.html").is_file()
    return out


def copy_sample(dest: Path) -> Path:
    """The sample portfolio and its mkdocs.yml, laid out as at the repository root."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "sample_portfolio", dest / "sample_portfolio")
    return dest


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("portfolio_gen.mkdocs_plugin.plugin")
    root = tmp_path_factory.mktemp("sample")
    return build_portfolio(copy_sample(root / "project"), root / "site")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = os.environ.get("PORTFOLIO_GEN_SCREENSHOTS")
    return Path(folder) if folder else tmp_path / "screenshots"


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_loads_offline_and_passes_axe(
        page: str, scheme: str, sample_site: Path, shots: Path,
        serve_site: Callable[..., SiteServer], browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(sample_site, PREFIX)
    found = []
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        session = browser({srv.origin}, viewport=viewport, color_scheme=scheme)
        session.goto(srv.url(PAGES[page]))
        session.screenshot(shots / f"{page}-{scheme}-{label}.png")
        assert session.page.locator("h1").first.is_visible()
        assert not session.page_errors, session.page_errors
        violations = session.axe()
        if violations:
            found.append(f"{page} ({scheme}, {label}):\n{format_violations(violations)}")
        if session.horizontal_overflow() > 0:
            found.append(f"{page} ({scheme}, {label}): wider than the viewport by "
                         f"{session.horizontal_overflow()} px")
        # A link or asset that forgot the sub-path would hit the server outside PREFIX.
        assert all(path.startswith(PREFIX) for path in srv.requests), srv.requests
        session.context.close()
    assert not found, "\n".join(found)


def _visible_cards(session: BrowserSession) -> int:
    return int(session.page.locator(".pg-card:visible").count())


def test_credentials_filter_by_issuer(
        sample_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(sample_site, PREFIX)
    session = browser({srv.origin})
    session.goto(srv.url("credentials/"))
    assert _visible_cards(session) == 13   # 9 that count + 4 in the "Not verified" group
    issuer = session.page.get_by_label("Issuer")
    issuer.select_option("Northbridge Community College")
    session.page.wait_for_function(
        "() => document.querySelectorAll('.pg-card:not([hidden])').length === 5")
    assert _visible_cards(session) == 5
    titles = session.page.locator(".pg-card:visible .pg-card__issuer").all_inner_texts()
    assert set(titles) == {"Northbridge Community College (badges.northbridge-college.example)"}
    session.page.get_by_label("State").select_option("Revoked")
    session.page.wait_for_function(
        "() => document.querySelectorAll('.pg-card:not([hidden])').length === 1")
    assert session.page.locator(".pg-card:visible .pg-card__title").inner_text() == \
        "Introduction to Python"
    session.page.get_by_role("button", name="Clear filters").click()
    session.page.wait_for_function(
        "() => document.querySelectorAll('.pg-card:not([hidden])').length === 13")


def test_dark_mode_toggle(
        sample_site: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(sample_site, PREFIX)
    session = browser({srv.origin}, color_scheme="light")
    session.goto(srv.base)

    def scheme() -> Any:
        return session.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")

    def background() -> Any:
        return session.page.evaluate("() => getComputedStyle(document.body).backgroundColor")

    assert scheme() == "default"
    light_bg = background()
    session.page.get_by_title("Switch to dark mode").click()
    session.page.wait_for_function(
        "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert background() != light_bg
    session.goto(srv.url("credentials/"))  # the choice is remembered across pages
    assert scheme() == "slate"
    session.page.get_by_title("Switch to light mode").click()
    session.page.wait_for_function(
        "() => document.body.getAttribute('data-md-color-scheme') === 'default'")


# -- a hostile credential --------------------------------------------------------------------

HOSTILE_NAME = 'Hostile <script>window.__pwned="name"</script><img src=x onerror="alert(1)">'
HOSTILE_DESCRIPTION = (
    'Description <script>window.__pwned="description";alert("d")</script> '
    '[click me](javascript:window.__pwned="md-link") '
    '<a href="javascript:alert(2)" id="pg-evil-a">raw link</a> '
    '<svg onload="window.__pwned=\'svg\'"></svg> <iframe src="javascript:alert(3)"></iframe>')
HOSTILE_CRITERIA = (
    "# Criteria\n\n<script>window.__pwned='criteria'</script>\n\n"
    "[criteria link](javascript:alert('criteria'))\n\n"
    '<img src="nope.png" onerror="window.__pwned=\'img\';alert(\'img\')" alt="x">\n\n'
    '![md image](javascript:alert(5))\n\n<style>body{display:none}</style>\n\n'
    '<div onmouseover="window.__pwned=\'hover\'" style="height:200px">hover me</div>')


def _hostile_credentials() -> dict[str, str]:
    """Two hostile OB 3.0 credentials: one properly signed (so it renders as verified) and
    one unsigned (rendered flagged)."""
    import json

    from portfolio_gen.testing.ob3 import Ob3Issuer

    issuer = Ob3Issuer("Ed25519", "did:key", name='Evil <b onmouseover="alert(9)">Issuer</b>')
    doc = issuer.credential(
        subject_id="did:example:learner", achievement_name="Hostile",
        credential_id="urn:uuid:6d1f0e62-7f43-4d7b-9a55-000000000bad")
    doc["name"] = HOSTILE_NAME
    doc["issuer"]["url"] = "javascript:alert('issuer-url')"
    achievement = doc["credentialSubject"]["achievement"]
    achievement.update(name=HOSTILE_NAME, description=HOSTILE_DESCRIPTION,
                       criteria={"narrative": HOSTILE_CRITERIA, "id": "javascript:alert(6)"})
    achievement["alignment"] = [{
        "type": ["Alignment"], "targetName": '<img src=x onerror="alert(7)">Skill',
        "targetUrl": "javascript:alert(7)"}]
    doc["evidence"] = [{"type": ["Evidence"], "id": "javascript:alert(8)",
                        "name": "<script>alert(8)</script>Evidence",
                        "narrative": "[evidence](javascript:alert(8))"}]
    unsigned = json.loads(json.dumps(doc))
    unsigned["id"] = "urn:uuid:6d1f0e62-7f43-4d7b-9a55-000000000bae"
    return {"zz-hostile-signed.json": json.dumps(issuer.sign_di(doc)),
            "zz-hostile-unsigned.json": json.dumps(unsigned)}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("portfolio_gen.mkdocs_plugin.plugin")
    root = tmp_path_factory.mktemp("hostile")
    project = copy_sample(root / "project")
    for name, text in _hostile_credentials().items():
        (project / "sample_portfolio" / "badges" / name).write_text(text, encoding="utf-8")
    return build_portfolio(project, root / "site")


SENTINEL_FREE = """() => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            if (attr.name.startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
            if (/^\\s*javascript:/i.test(attr.value)) bad.push(el.tagName + ' ' + attr.name);
        }
    }
    return bad;
}"""


def test_hostile_credential_runs_no_script(
        hostile_site: Path, shots: Path, serve_site: Callable[..., SiteServer],
        browser: Callable[..., BrowserSession]) -> None:
    srv = serve_site(hostile_site, PREFIX)
    session = browser({srv.origin})
    session.goto(srv.url("credentials/"))
    cards = session.page.locator(".pg-card", has_text="Hostile")
    assert cards.count() == 2, "both hostile credentials must be rendered (flagged or not)"
    pages = [srv.base, srv.url("credentials/"), srv.url("skills/"), srv.url("timeline/")]
    for link in cards.locator("a").all():
        href = link.get_attribute("href")
        assert href is not None
        pages.append(srv.url("credentials/") + href)
    for url in pages:
        session.goto(url)
        page = session.page
        # Fire the events inline handlers would listen to, in case any slipped through.
        page.evaluate("""() => document.querySelectorAll('article *').forEach(el => {
            for (const type of ['mouseover', 'focus', 'load', 'error'])
                el.dispatchEvent(new Event(type));
        })""")
        assert page.evaluate("() => window.__pwned") is None, url
        assert page.evaluate(SENTINEL_FREE) == [], url
        assert session.dialogs == [], url
    # The hostile text is shown as text, not markup.
    session.goto(pages[-1])
    assert "<script>" in session.page.locator("article").first.inner_text()
    assert session.page.evaluate("() => getComputedStyle(document.body).display") != "none"
    session.screenshot(shots / "hostile-credential-desktop.png")
