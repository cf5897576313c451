"""The MkDocs side of a cohort site: one build, a small nav, everything else generated.

Thin like :mod:`portfolio_gen.render.plugin`: :mod:`portfolio_gen.render.cohort_build`
prepares the cohort and stages every learner's pages on disk; this plugin only lists
them as generated files and swaps in their HTML when MkDocs renders each page.

* The nav holds the cohort home, the directory and the four facet index pages; every
  other page (facet values, A-Z lists, every learner page) is ``NOT_IN_NAV``, which
  keeps Material's per-page cost flat.
* Learner pages are read from their staged folder in ``on_page_content`` (and their
  extra head markup in ``on_post_page``), so no learner HTML is held in memory.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from portfolio_gen.cohort.directory import DirectoryData
from portfolio_gen.render.cohort_pages import COHORT_ASSETS, HOME, CohortPages, photo_dest
from portfolio_gen.render.cohort_stage import LEARNERS_DIR, read_manifest
from portfolio_gen.render.site import ASSET_DIR

log = get_plugin_logger(__name__)
_PORTFOLIO_ASSETS = ("portfolio.css", "portfolio.js")
_COHORT_ASSETS = ("cohort.css", "cohort.js")


@dataclass
class CohortSiteInput:
    """What the build hands the plugin."""

    pages: CohortPages
    directory: DirectoryData
    staged: dict[str, Path]               # learner slug → staged folder
    data_dir: Path                        # search index and charts (site-relative layout)
    home_head: str = ""
    extra_files: dict[str, Path] = field(default_factory=dict)   # site path → source file


class CohortPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def __init__(self, site: CohortSiteInput) -> None:
        self.site = site
        self.learner_pages = 0
        self.warnings: set[str] = set()
        self._cohort: set[str] = set()
        self._lazy: dict[str, tuple[Path, int, bool]] = {}
        self._panels: dict[str, tuple[Path, int]] = {}
        self._links: list[tuple[Path, str]] = []  # staged learner file → site path

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for name in (*_PORTFOLIO_ASSETS, *_COHORT_ASSETS):
            folder = ASSET_DIR if name in _PORTFOLIO_ASSETS else COHORT_ASSETS
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            target.append(f"{folder}/{name}")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        site = self.site
        for src, title, in_nav in site.pages.entries():
            self._cohort.add(src)
            files.append(File.generated(config, src, content=_front_matter(title),
                                        inclusion=InclusionLevel.UNDEFINED if in_nav
                                        else InclusionLevel.NOT_IN_NAV))
        for slug, folder in sorted(site.staged.items()):
            self._add_learner(files, config, slug, folder)
        for card in site.directory.cards:
            dest = photo_dest(card)
            if dest and card.photo:
                files.append(File.generated(config, dest, abs_src_path=card.photo))
        for path in sorted(site.data_dir.rglob("*")):
            if path.is_file():
                files.append(File.generated(config, path.relative_to(site.data_dir).as_posix(),
                                            abs_src_path=str(path)))
        for dest, path in sorted(site.extra_files.items()):
            files.append(File.generated(config, dest, abs_src_path=str(path)))
        theme = resources.files("portfolio_gen").joinpath("themes", "portfolio", "assets")
        for name in _PORTFOLIO_ASSETS:
            files.append(File.generated(config, f"{ASSET_DIR}/{name}",
                                        content=theme.joinpath(name).read_bytes()))
        for name in _COHORT_ASSETS:
            files.append(File.generated(config, f"{COHORT_ASSETS}/{name}",
                                        content=theme.joinpath(name).read_bytes()))
        for warning in sorted(self.warnings):
            log.warning("%s", warning)
        return files

    def _add_learner(self, files: Files, config: MkDocsConfig, slug: str, folder: Path) -> None:
        manifest = read_manifest(folder)
        self.warnings.update(manifest.warnings)
        base = f"{LEARNERS_DIR}/{slug}"
        for i, (src, title, has_head) in enumerate(manifest.pages):
            uri = f"{base}/{src}"
            self._lazy[uri] = (folder, i, has_head)
            files.append(File.generated(config, uri, content=_front_matter(title),
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        for i, src in enumerate(manifest.reflections):
            uri = f"{base}/{src}"
            self._panels[uri] = (folder, i)
            files.append(File.generated(config, uri,
                                        abs_src_path=str(folder / "refl" / f"{i}.md"),
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        # Learner downloads, cards and embeds (~10 per credential) are not handed to MkDocs:
        # it would track and copy ~100,000 files for a large cohort. on_post_build links them.
        for dest in manifest.files:
            self._links.append((folder / "files" / dest, f"{base}/{dest}"))
        self.learner_pages += len(manifest.pages) + len(manifest.reflections)

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        src = page.file.src_uri
        if src in self._cohort:
            return self.site.pages.html(src) or html_text
        lazy = self._lazy.get(src)
        if lazy is not None:
            folder, i, _ = lazy
            return (folder / "pages" / f"{i}.html").read_text(encoding="utf-8")
        panel = self._panels.get(src)
        if panel is not None:
            folder, i = panel
            return html_text + (folder / "panels" / f"{i}.html").read_text(encoding="utf-8")
        return html_text

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        src = page.file.src_uri
        extra = ""
        if src == HOME:
            extra = self.site.home_head
        else:
            lazy = self._lazy.get(src)
            if lazy is not None and lazy[2]:
                extra = (lazy[0] / "heads" / f"{lazy[1]}.html").read_text(encoding="utf-8")
        if not extra:
            return output
        head_end = output.find("</head>")
        return output if head_end < 0 else output[:head_end] + extra + "\n" + output[head_end:]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Place the learners' static files: a hard link to the staged copy (same bytes, no
        copying), or a copy where the file system cannot link."""
        site_dir = Path(config.site_dir)
        for src, dest in self._links:
            target = site_dir / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            try:
                os.link(src, target)
            except OSError:
                shutil.copyfile(src, target)

    @property
    def cohort_pages(self) -> int:
        return len(self._cohort)


def _front_matter(title: str) -> str:
    # JSON is valid YAML; the title is HTML-escaped because themes print it unescaped.
    return f"---\ntitle: {json.dumps(html.escape(title))}\n---\n"


def material_config(*, title: str, site_url: str, description: str, docs_dir: Path,
                    site_dir: Path, nav: list[Any], logo: str | None) -> dict[str, Any]:
    """The generated mkdocs.yml of a cohort site (no search plugin: the directory has its
    own sharded index, and Material's would hold every learner page)."""
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
    out: dict[str, Any] = {"site_name": title, "docs_dir": str(docs_dir),
                           "site_dir": str(site_dir), "use_directory_urls": True,
                           "theme": theme, "plugins": [], "nav": nav}
    if site_url:
        out["site_url"] = site_url
    if description:
        out["site_description"] = description
    return out
