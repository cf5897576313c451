"""MkDocs + Material as the cohort build's site engine (:class:`CohortEngine`).

Stateless, so pool workers receive it pickled: the chrome file it writes holds what
every worker must agree on.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from portfolio_gen.cohort.engine import (
    Chrome,
    CohortSite,
    HtmlPage,
    LiveServer,
    MarkdownPage,
    RenderedPage,
)
from portfolio_gen.errors import ConfigError
from portfolio_gen.render.generated import source_date


class MkDocsEngine:
    """The cohort's pages, learner pages and development server, made by MkDocs."""

    def chrome(self, *, title: str, site_url: str, description: str, nav: list[Any],
               logo: str | None, stylesheets: Sequence[str],
               scripts: Sequence[str]) -> dict[str, Any]:
        from portfolio_gen.mkdocs_plugin.chrome import material_chrome

        return material_chrome(title=title, site_url=site_url, description=description,
                               nav=nav, logo=logo, stylesheets=stylesheets, scripts=scripts)

    def write_chrome(self, root: Path, config: dict[str, Any]) -> Chrome:
        from portfolio_gen.mkdocs_plugin.chrome import write_chrome

        return write_chrome(root, config)

    def render_pages(self, chrome: Chrome,
                     pages: Sequence[HtmlPage | MarkdownPage]) -> list[RenderedPage]:
        from portfolio_gen.mkdocs_plugin.chrome import renderer

        return renderer(chrome.path).render(pages)

    def build_site(self, chrome: dict[str, Any], site: CohortSite, *, work: Path,
                   site_dir: Path, now: datetime, where: Path) -> tuple[int, int]:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        from portfolio_gen.mkdocs_plugin.cohort_plugin import CohortPlugin

        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        docs = work / "docs"
        shutil.rmtree(docs, ignore_errors=True)
        docs.mkdir(parents=True)
        yml = work / "mkdocs.yml"
        yml.write_text(yaml.safe_dump({**chrome, "docs_dir": str(docs),
                                       "site_dir": str(site_dir)},
                                      sort_keys=False, allow_unicode=True), encoding="utf-8")
        plugin = CohortPlugin(site)
        try:
            mk = load_config(str(yml))
            mk.plugins["portfolio-cohort"] = plugin
            with source_date(now):
                build(mk)
        except MkDocsException as exc:
            raise ConfigError(f"{where}: the site build failed: {exc}") from None
        return plugin.cohort_pages + plugin.learner_pages, plugin.learner_pages

    def live_server(self, root: Path, *, host: str, port: int, rebuild: Callable[[], None],
                    error_page: Callable[[int], bytes | None]) -> LiveServer:
        from mkdocs.livereload import LiveReloadServer

        server: Any = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(root))
        server.error_handler = error_page
        return _Server(server)


class _Server:
    """MkDocs' live-reload server as a :class:`LiveServer`."""

    def __init__(self, server: Any) -> None:
        self._server = server
        self.url: str = server.url

    def watch(self, path: str) -> None:
        self._server.watch(path)

    def unwatch(self, path: str) -> None:
        self._server.unwatch(path)

    def serve(self) -> None:
        self._server.serve()

    def shutdown(self) -> None:
        self._server.shutdown(wait=self._server.serve_thread.is_alive())
