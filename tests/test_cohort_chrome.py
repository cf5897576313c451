"""Learner pages rendered outside the MkDocs build must be the pages MkDocs would write.

The reference is a real ``mkdocs build`` of the same chrome with a small plugin that adds
the same pages the way the cohort plugin used to (generated, not in the nav, body swapped
in ``on_page_content``, head markup added in ``on_post_page``). Any drift between our
renderer and MkDocs/Material (an upgrade changing the page pipeline) fails here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from portfolio_gen.cohort.engine import HtmlPage, MarkdownPage
from portfolio_gen.cohort.pages import SCRIPTS, STYLESHEETS, nav
from portfolio_gen.mkdocs_plugin.chrome import PageRenderer, material_chrome, write_chrome
from portfolio_gen.render.generated import front_matter, source_date

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
BASE = "learners/ada-lovelace"
PAGES: list[HtmlPage | MarkdownPage] = [
    HtmlPage(f"{BASE}/index.md", "Ada <Lovelace>", "<h1>Ada</h1><p>Home &amp; more</p>",
             '<meta property="og:title" content="Ada">'),
    HtmlPage(f"{BASE}/credentials/python.md", "Python I",
             '<h1 id="python">Python I</h1><p><a href="../../">Home</a></p>'),
    MarkdownPage(f"{BASE}/reflections/first-week.md",
                 "---\ntitle: First week\n---\n# First week\n\nSee [Python](../credentials/"
                 "python.md) and the [home](../index.md).\n\n## What I learned\n\nLoops.\n",
                 '<aside class="panel">Linked credentials</aside>'),
]


def _chrome(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"title": "Class of 2026", "site_url": "https://ex.org/show/",
                            "description": "Data · Spring", "nav": nav(), "logo": None,
                            "stylesheets": STYLESHEETS, "scripts": SCRIPTS}
    args.update(overrides)
    return material_chrome(**args)


class _Reference(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Adds the cohort nav pages and PAGES as MkDocs itself would render them."""

    def on_files(self, files: Files, *, config: Any) -> Files:
        for entry in nav():
            for title, src in entry.items():
                files.append(File.generated(config, src, content=front_matter(title)))
        for page in PAGES:
            content = front_matter(page.title) if isinstance(page, HtmlPage) else page.markdown
            files.append(File.generated(config, page.src, content=content,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        for item in PAGES:
            if item.src == page.file.src_uri:
                return item.body if isinstance(item, HtmlPage) else html + item.after
        return html

    def on_post_page(self, output: str, *, page: Page, config: Any) -> str:
        for item in PAGES:
            if item.src == page.file.src_uri and isinstance(item, HtmlPage) and item.head:
                end = output.find("</head>")
                return output[:end] + item.head + "\n" + output[end:]
        return output


def test_learner_pages_equal_what_mkdocs_writes(tmp_path: Path) -> None:
    chrome = write_chrome(tmp_path / "chrome", _chrome())
    with source_date(NOW):
        rendered = PageRenderer(chrome.path).render(PAGES)

    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(yaml.safe_dump({**_chrome(), "docs_dir": str(docs), "site_dir": str(site)},
                                  sort_keys=False, allow_unicode=True), encoding="utf-8")
    config = load_config(str(yml))
    config.plugins["reference"] = _Reference()
    with source_date(NOW):
        build(config)

    assert [r.dest for r in rendered] == [f"{BASE}/index.html",
                                          f"{BASE}/credentials/python/index.html",
                                          f"{BASE}/reflections/first-week/index.html"]
    for page in rendered:
        assert page.output == (site / page.dest).read_bytes(), page.dest
    # the comparison has teeth: the pages carry the chrome, the body, the head and the TOC
    home = rendered[0].output.decode()
    assert "Class of 2026" in home and "<h1>Ada</h1>" in home
    assert '<meta property="og:title" content="Ada">\n</head>' in home
    reflection = rendered[2].output.decode()
    assert 'href="../../credentials/python/"' in reflection
    assert "What I learned" in reflection and "Linked credentials" in reflection
    assert rendered[1].loc == "https://ex.org/show/learners/ada-lovelace/credentials/python/"


def test_chrome_digest_names_the_configuration_not_the_folders(tmp_path: Path) -> None:
    one = write_chrome(tmp_path / "a", _chrome())
    again = write_chrome(tmp_path / "b", _chrome())
    other = write_chrome(tmp_path / "a", _chrome(title="Class of 2027"))
    assert one.digest == again.digest
    assert other.digest != one.digest
    assert Path(one.path).read_text(encoding="utf-8") == Path(again.path).read_text(
        encoding="utf-8")
    assert (Path(one.path).parent / "docs").is_dir()


@pytest.mark.parametrize("site_url", ["", "https://ex.org/show/"])
def test_sitemap_address_follows_site_url(tmp_path: Path, site_url: str) -> None:
    chrome = write_chrome(tmp_path, _chrome(site_url=site_url))
    with source_date(NOW):
        page = PageRenderer(chrome.path).render(PAGES[:1])[0]
    assert page.loc == (f"{site_url}{BASE}/" if site_url else None)
