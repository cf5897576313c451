"""Learner pages in the cohort's MkDocs + Material chrome, rendered in any process.

Why: nine pages in ten of a cohort site are learner pages. Rendering them in the pool
worker that staged the learner (instead of one by one in the single MkDocs build) uses
every core, and keeps each learner's finished pages in its staged folder, so an unchanged
learner is not rendered again on the next build.

Each page takes the steps MkDocs' own build takes for a page that is not in the nav: read
the source (front matter), render the Markdown, swap in the staged body (what the cohort
plugin's ``on_page_content`` did), render the theme's template with MkDocs' own
``get_context``, add the head markup (``on_post_page``), and encode as MkDocs writes. The
configuration is the *chrome file*: the cohort's generated mkdocs.yml without the
build-specific folders, stored under a content digest so every worker, and every later
build, reads the same one.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from portfolio_gen.cohort.engine import Chrome, HtmlPage, MarkdownPage, RenderedPage
from portfolio_gen.render.generated import front_matter
from portfolio_gen.render.learner_html import clean_learner_html

CHROME_VERSION = "1"
#: The Markdown extension that cleans learners' raw HTML on cohort sites.
LEARNER_MARKDOWN = "portfolio_gen.render.learner_html"


def material_chrome(*, title: str, site_url: str, description: str, nav: list[Any],
                    logo: str | None, stylesheets: Sequence[str],
                    scripts: Sequence[str]) -> dict[str, Any]:
    """The generated mkdocs.yml of a cohort site, without its folders (no search plugin:
    the directory has its own sharded index, and Material's would hold every learner
    page). Learner pages are rendered against exactly this configuration."""
    theme: dict[str, Any] = {
        "name": "material", "font": False, "features": ["navigation.top"],
        "palette": [
            {"media": "(prefers-color-scheme: light)", "scheme": "default",
             "primary": "indigo", "accent": "indigo",
             "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"}},
            {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
             "primary": "indigo", "accent": "indigo",
             "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"}}]}
    if logo:
        theme["logo"] = logo
    out: dict[str, Any] = {"site_name": title, "use_directory_urls": True, "theme": theme,
                           "plugins": [], "nav": nav,
                           # learner Markdown: raw HTML cut to the issuer allow-list
                           "markdown_extensions": [LEARNER_MARKDOWN],
                           "extra_css": list(stylesheets),
                           "extra_javascript": list(scripts)}
    if site_url:
        out["site_url"] = site_url
    if description:
        out["site_description"] = description
    return out


def write_chrome(root: Path, config: dict[str, Any]) -> Chrome:
    """Store ``config`` (a generated mkdocs.yml, folders left out) under ``root`` by digest."""
    import material
    import mkdocs

    body = dict(config, docs_dir="docs", site_dir="site")
    text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
    digest = hashlib.sha256("\0".join(
        (CHROME_VERSION, mkdocs.__version__, material.__version__, text)).encode()).hexdigest()
    folder = root / digest[:2] / digest
    path = folder / "mkdocs.yml"
    if not path.is_file():
        (folder / "docs").mkdir(parents=True, exist_ok=True)
        tmp = folder / f".tmp-{os.getpid()}.yml"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return Chrome(str(path), digest)


class PageRenderer:
    """MkDocs' configuration, theme environment and nav for one chrome file, loaded once."""

    def __init__(self, chrome_path: str) -> None:
        from mkdocs.config import load_config
        from mkdocs.structure.files import Files, InclusionLevel
        from mkdocs.structure.nav import get_navigation

        self.config = load_config(chrome_path)
        self.env = self.config.theme.get_env()
        self._nav_files = [_generated(self.config, src, front_matter(title),
                                      InclusionLevel.UNDEFINED)
                           for title, src in _nav_entries(self.config.nav)]
        self.nav = get_navigation(Files(list(self._nav_files)), self.config)
        self._templates: dict[str, Any] = {}

    def render(self, pages: Sequence[HtmlPage | MarkdownPage]) -> list[RenderedPage]:
        """Render one learner's pages (links between them resolve, as in the full build)."""
        from mkdocs.commands.build import get_context
        from mkdocs.structure.files import Files, InclusionLevel
        from mkdocs.structure.pages import Page

        config = self.config
        files = [_generated(config, p.src, front_matter(p.title) if isinstance(p, HtmlPage)
                            else p.markdown, InclusionLevel.NOT_IN_NAV) for p in pages]
        all_files = Files([*self._nav_files, *files])
        doc_files = all_files.documentation_pages()
        out = []
        for item, file in zip(pages, files, strict=True):
            page = Page(None, file, config)
            config._current_page = page
            try:
                page.read_source(config)
                page.render(config, all_files)
                if isinstance(item, HtmlPage):
                    page.content = item.body
                elif item.untrusted:
                    page.content = (item.before + clean_learner_html(page.content or "")
                                    + item.after)
                else:
                    page.content = item.before + (page.content or "") + item.after
                page.active = True
                template = self._template(page.meta.get("template", "main.html"))
                output: str = template.render(get_context(self.nav, doc_files, config, page))
            finally:
                page.active = False
                config._current_page = None
            if isinstance(item, HtmlPage) and item.head:
                end = output.find("</head>")
                if end >= 0:
                    output = output[:end] + item.head + "\n" + output[end:]
            out.append(RenderedPage(item.src, file.dest_uri,
                                    page.canonical_url or page.abs_url,
                                    output.encode("utf-8", errors="xmlcharrefreplace")))
        return out

    def _template(self, name: str) -> Any:
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]


@functools.lru_cache(maxsize=4)
def renderer(chrome_path: str) -> PageRenderer:
    """One renderer per chrome file per process (loading Material's templates is slow)."""
    return PageRenderer(chrome_path)


def _nav_entries(nav: Any) -> Iterator[tuple[str, str]]:
    for item in nav or ():
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    yield str(title), value
                else:
                    yield from _nav_entries(value)


def _generated(config: Any, src: str, content: str, inclusion: Any) -> Any:
    """What ``File.generated`` makes, outside a plugin event (it asks which plugin runs)."""
    from mkdocs.structure.files import File

    file = File(src, src_dir=None, dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls, inclusion=inclusion)
    file.generated_by = "portfolio-cohort"
    file.content_string = content
    return file
