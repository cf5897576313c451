"""What a cohort build asks of a site engine, and the data it hands over.

The cohort package never imports a site engine. The caller (the CLI, a test, a benchmark)
passes one in: :data:`portfolio_gen.mkdocs_plugin.MKDOCS` (MkDocs + Material) today.
Pool workers render learner pages with the same object, so an engine must be picklable:
keep its state in the files it writes (the chrome file), not in the object.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from portfolio_gen.progress import Progress, silent

if TYPE_CHECKING:
    from portfolio_gen.cohort.pages import CohortPages
    from portfolio_gen.model.directory import DirectoryData


@dataclass(frozen=True)
class Chrome:
    """A chrome file: the engine's configuration every page of the cohort is rendered
    against, stored by ``digest`` so every worker and every later build reads the same."""

    path: str
    digest: str


@dataclass(frozen=True)
class HtmlPage:
    src: str            # site path of the page source, e.g. learners/ada/credentials/x.md
    title: str
    body: str           # the page body HTML (replaces the rendered Markdown)
    head: str = ""      # extra <head> markup


@dataclass(frozen=True)
class MarkdownPage:
    src: str
    markdown: str       # Markdown source (a reflection), rendered by the engine's Markdown
    after: str = ""     # HTML appended to the rendered Markdown (the reflection's panel)
    #: a learner's words on the shared cohort origin: the rendered body is cleaned
    #: (:func:`portfolio_gen.render.learner_html.clean_learner_html`)
    untrusted: bool = False
    before: str = ""    # HTML put before it (the learner's breadcrumb)


@dataclass(frozen=True)
class RenderedPage:
    src: str
    dest: str           # site path of the output file
    loc: str | None     # the page's sitemap address (canonical URL), when it has one
    output: bytes


@dataclass
class CohortSite:
    """Everything the engine's one site build needs besides the chrome."""

    pages: CohortPages
    directory: DirectoryData
    staged: dict[str, Path]               # learner slug → staged folder
    data_dir: Path                        # search index and charts (site-relative layout)
    home_head: str = ""
    extra_files: dict[str, Path] = field(default_factory=dict)   # site path → source file
    progress: Progress = silent           # rendering (cohort pages), writing (learner files)
    theme: Path | None = None             # the cohort's theme override (theme.find_override)


class LiveServer(Protocol):
    """A development server that serves a folder and reloads browsers after a rebuild."""

    url: str

    def watch(self, path: str) -> None: ...
    def unwatch(self, path: str) -> None: ...
    def serve(self) -> None: ...
    def shutdown(self) -> None: ...


class CohortEngine(Protocol):
    """A site engine as the cohort build uses it (see :mod:`portfolio_gen.cohort.build`)."""

    def chrome(self, *, title: str, site_url: str, description: str, nav: list[Any],
               logo: str | None, stylesheets: Sequence[str],
               scripts: Sequence[str]) -> dict[str, Any]:
        """The engine configuration of a cohort site, without its folders; every page,
        learner pages included, is rendered against exactly this."""

    def write_chrome(self, root: Path, config: dict[str, Any]) -> Chrome:
        """Store ``config`` under ``root`` by a digest that also names the engine version."""

    def render_pages(self, chrome: Chrome,
                     pages: Sequence[HtmlPage | MarkdownPage]) -> list[RenderedPage]:
        """Render one learner's pages in the chrome (in any process)."""

    def build_site(self, chrome: dict[str, Any], site: CohortSite, *, work: Path,
                   site_dir: Path, now: datetime, where: Path) -> tuple[int, int]:
        """One build of the cohort pages into ``site_dir``, linking the staged learners in;
        ``(pages rendered, learner pages)``. ``where`` names the cohort file in errors."""

    def live_server(self, root: Path, *, host: str, port: int, rebuild: Callable[[], None],
                    error_page: Callable[[int], bytes | None]) -> LiveServer:
        """A server for ``root`` that calls ``rebuild`` when a watched path changes."""
