"""The MkDocs side of a cohort site: one build, a small nav, everything else generated.

Thin like :mod:`portfolio_gen.mkdocs_plugin.plugin`: :mod:`portfolio_gen.cohort.build`
prepares the cohort and stages every learner's pages on disk; this plugin only lists
them as generated files and swaps in their HTML when MkDocs renders each page.

* The nav holds the cohort home, the directory and the four facet index pages; every
  other page (facet values, A-Z lists, every learner page) is ``NOT_IN_NAV``, which
  keeps Material's per-page cost flat.
* Learner pages are not MkDocs pages here: the pool workers already rendered them in
  the same chrome (:mod:`portfolio_gen.mkdocs_plugin.chrome`), so ``on_post_build`` links
  them into the site with the learners' files and adds them to the sitemap. No learner
  HTML passes through this process.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import os
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from portfolio_gen import theme
from portfolio_gen.cohort.engine import CohortSite
from portfolio_gen.cohort.pages import COHORT_ASSETS, HOME, photo_dest
from portfolio_gen.cohort.stage import LEARNERS_DIR, read_manifest
from portfolio_gen.render.generated import front_matter
from portfolio_gen.render.site import ASSET_DIR

log = get_plugin_logger(__name__)
_PORTFOLIO_ASSETS = ("portfolio.css", "portfolio.js")
_COHORT_ASSETS = ("cohort.css", "cohort.js")


class CohortPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def __init__(self, site: CohortSite) -> None:
        self.site = site
        self.learner_pages = 0
        self.warnings: set[str] = set()
        self._cohort: set[str] = set()
        self._links: list[tuple[Path, str]] = []  # staged learner file → site path
        self._sitemap: list[str] = []             # learner pages' addresses
        self._rendered = 0

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        site = self.site
        for src, title, in_nav in site.pages.entries():
            self._cohort.add(src)
            files.append(File.generated(config, src, content=front_matter(title),
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
        for name in _PORTFOLIO_ASSETS:
            files.append(File.generated(config, f"{ASSET_DIR}/{name}",
                                        content=theme.read(theme.ASSETS, name, site.theme)))
        for name in _COHORT_ASSETS:
            files.append(File.generated(config, f"{COHORT_ASSETS}/{name}",
                                        content=theme.read(theme.ASSETS, name, site.theme)))
        for warning in sorted(self.warnings):
            log.warning("%s", warning)
        return files

    def _add_learner(self, files: Files, config: MkDocsConfig, slug: str, folder: Path) -> None:
        """Learner pages and files (~10 per credential) are not handed to MkDocs: they are
        finished, and MkDocs would track and copy ~100,000 files for a large cohort."""
        manifest = read_manifest(folder)
        self.warnings.update(manifest.warnings)
        for dest, loc in manifest.pages:
            self._links.append((folder / "site" / dest, dest))
            if loc:
                self._sitemap.append(loc)
        base = f"{LEARNERS_DIR}/{slug}"
        for dest in manifest.files:
            self._links.append((folder / "files" / dest, f"{base}/{dest}"))
        self.learner_pages += len(manifest.pages)

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        src = page.file.src_uri
        if src in self._cohort:
            return self.site.pages.html(src) or html_text
        return html_text

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self._rendered += 1
        self.site.progress("rendering pages", self._rendered,
                           max(self._rendered, len(self._cohort)))
        extra = self.site.home_head if page.file.src_uri == HOME else ""
        if not extra:
            return output
        head_end = output.find("</head>")
        return output if head_end < 0 else output[:head_end] + extra + "\n" + output[head_end:]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Place the learners' pages and files: a hard link to the staged copy (same bytes,
        no copying), or a copy where the file system cannot link."""
        site_dir = Path(config.site_dir)
        _extend_sitemap(site_dir, self._sitemap)
        for done, (src, dest) in enumerate(self._links, 1):
            if done % 200 == 0 or done == len(self._links):
                self.site.progress("writing learner files", done, len(self._links))
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


def _extend_sitemap(site_dir: Path, locs: list[str]) -> None:
    """Add the learner pages to the sitemap MkDocs wrote (same entry format, same date),
    and write its gzip copy again with the timestamp MkDocs gave it."""
    path = site_dir / "sitemap.xml"
    if not locs or not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    end = text.rfind("</urlset>")
    if end < 0:
        return
    start = text.find("<lastmod>")
    lastmod = text[start:text.find("</lastmod>", start) + 10] if start >= 0 else ""
    entries = "".join(
        f"    <url>\n         <loc>{html.escape(loc)}</loc>\n"
        + (f"         {lastmod}\n" if lastmod else "") + "    </url>\n" for loc in locs)
    text = text[:end] + entries + text[end:]
    path.write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    mtime = 0
    with contextlib.suppress(OSError):
        mtime = int.from_bytes(gz.read_bytes()[4:8], "little")
    with gz.open("wb") as fh, gzip.GzipFile(fileobj=fh, filename=str(gz), mode="wb",
                                            mtime=mtime) as out:
        out.write(text.encode("utf-8"))
