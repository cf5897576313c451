"""The ``portfolio`` MkDocs plugin: the only place the portfolio meets MkDocs.

It stays thin on purpose (MkDocs 1.x is unmaintained and Material for MkDocs reaches end
of life in 2027): options are validated by :mod:`portfolio_gen.config`, the portfolio is
verified and assembled by :mod:`portfolio_gen.model.assemble` and planned by
:mod:`portfolio_gen.render.site`; this module only adds the planned pages and files,
swaps in their HTML, sets the default nav and reports a one-line summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from portfolio_gen import theme
from portfolio_gen.config import PortfolioConfig, parse_plugin_options
from portfolio_gen.errors import ConfigError
from portfolio_gen.model.assemble import (
    assemble_portfolio,
    default_fetcher,
    share_cache_dir,
    verify_folder,
)
from portfolio_gen.model.build_summary import BuildSummary, summarize
from portfolio_gen.model.portfolio import Portfolio
from portfolio_gen.net.fetch import Fetcher
from portfolio_gen.progress import Progress
from portfolio_gen.render.generated import front_matter
from portfolio_gen.render.sharing import ShareSettings
from portfolio_gen.render.site import ASSET_DIR, NAV_PAGES, SitePlan, plan_site
from portfolio_gen.share.cache import RenderCache
from portfolio_gen.sitedir import check_site_dir, mark_site_dir

log = get_plugin_logger(__name__)
_ASSETS = ("portfolio.css", "portfolio.js")


class PortfolioPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """Loosely typed here; :func:`parse_plugin_options` gives the precise errors."""

    profile = c.Optional(c.Type(str))
    badges_dir = c.Optional(c.Type(str))
    reflections_dir = c.Optional(c.Type(str))
    pathways = c.Optional(c.Type(str))
    pins_dir = c.Optional(c.Type(str))
    cache_dir = c.Optional(c.Type(str))
    offline = c.Optional(c.Type(bool))
    failed_credentials = c.Optional(c.Type(str))
    now = c.Optional(c.Type(object))
    strict_recipient = c.Optional(c.Type(bool))
    strict = c.Optional(c.Type(bool))
    credentials = c.Optional(c.Type(dict))
    linkedin_organizations = c.Optional(c.Type(dict))
    registries = c.Optional(c.Type(list))
    holder_key = c.Optional(c.Type(str))


@dataclass(frozen=True)
class Overrides:
    """What a caller (CLI, tests) imposes over mkdocs.yml for one build."""

    offline: bool | None = None
    now: datetime | None = None
    fetcher: Fetcher | None = None
    #: False when the caller prints ``summary.problems`` itself (the CLI), so each is said once.
    log_problems: bool = True
    #: Called after every build with the summary and the site warnings (``serve`` prints them).
    on_built: Callable[[BuildSummary, tuple[str, ...]], None] | None = None
    progress: Progress | None = None    # phase, done, total (the CLI's display)


class PortfolioPlugin(BasePlugin[PortfolioPluginConfig]):  # type: ignore[no-untyped-call]
    #: Set by ``portfolio-gen serve`` for every rebuild (serve reloads the config each time).
    default_overrides = Overrides()
    #: The last configuration error of any instance (serve makes a new instance per build).
    last_error: str | None = None

    def __init__(self) -> None:
        self.overrides: Overrides | None = None
        self.error: str | None = None   # the ConfigError text, for callers outside mkdocs
        self.summary: BuildSummary | None = None
        self._html: dict[str, str] = {}
        self._head: dict[str, str] = {}
        self._cache: RenderCache | None = None
        self._panels: dict[str, str] = {}
        self._portfolio: Portfolio | None = None
        self._settings: PortfolioConfig | None = None
        self._started = 0.0
        self._over = Overrides()
        self._warnings: tuple[str, ...] = ()
        self._pages = (0, 0)               # rendered, to render (for the progress display)

    # -- events -------------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._started = time.perf_counter()
        over = self._over = self.overrides or self.default_overrides
        project_dir = Path(config.config_file_path or ".").resolve().parent
        try:
            settings = parse_plugin_options(dict(self.config), project_dir=project_dir,
                                            source=config.config_file_path or "mkdocs.yml")
            # MkDocs empties site_dir right after this event: refuse a folder it must not
            site = check_site_dir(Path(config.site_dir), inputs=_inputs(settings, config),
                                  roots=[("portfolio folder", project_dir)])
        except ConfigError as exc:
            self.error = PortfolioPlugin.last_error = str(exc)
            raise PluginError(self.error) from None
        if over.offline is not None:
            settings = _replace(settings, offline=over.offline)
        now = over.now or settings.now or datetime.now(UTC)
        fetcher = over.fetcher or default_fetcher(settings)
        self._settings = settings
        try:
            verified = verify_folder(settings, fetcher=fetcher, now=now,
                                     progress=_verify_progress(over.progress))
            self._portfolio = assemble_portfolio(settings, verified, now=now)
        except ConfigError as exc:  # profile.yml / pathways.yml: stop, say where and how
            self.error = PortfolioPlugin.last_error = str(exc)
            raise PluginError(self.error) from None
        mark_site_dir(site)  # only now: a configuration error leaves no site folder behind
        for name in _ASSETS:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            target.append(f"{ASSET_DIR}/{name}")
        if config.nav is None:
            config.nav = self._default_nav() + _own_pages(Path(config.docs_dir))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self._portfolio is not None and self._settings is not None
        user_home = files.get_file_from_path("index.md") is not None
        self._cache = RenderCache(share_cache_dir(self._settings))
        share = ShareSettings(site_url=config.site_url or None, site_name=config.site_name,
                              cache=self._cache,
                              linkedin_organizations=self._settings.linkedin_organizations)
        plan = plan_site(self._portfolio, use_directory_urls=config.use_directory_urls,
                         reflections_dir=self._settings.reflections_dir, skip_home=user_home,
                         share=share, theme=self._settings.theme)
        self._add_plan(plan, files, config)
        self._head = plan.head
        self._pages = (0, len(files.documentation_pages()))
        self._warnings = tuple(plan.warnings)
        for warning in plan.warnings if self._over.on_built is None else ():
            log.warning("%s", warning)
        for problem in self._portfolio.problems if self._over.log_problems else ():
            log.warning("%s", problem)
        return files

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        src = page.file.src_uri
        if src in self._html:
            return self._html[src]
        if src in self._panels:
            return html_text + self._panels[src]
        return html_text

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._over.progress is not None:
            done, total = self._pages[0] + 1, self._pages[1]
            self._pages = (done, total)
            self._over.progress("rendering pages", done, max(done, total))
        extra = self._head.get(page.file.src_uri)
        if not extra:
            return output
        head_end = output.find("</head>")
        return output if head_end < 0 else output[:head_end] + extra + "\n" + output[head_end:]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self._portfolio is not None
        pages = sum(1 for _ in self._html) + len(self._panels)
        cache = self._cache
        self.summary = summarize(self._portfolio, pages=pages,
                                 seconds=time.perf_counter() - self._started,
                                 site_dir=Path(config.site_dir),
                                 images_rendered=cache.misses if cache else 0,
                                 images_cached=cache.hits if cache else 0)
        log.info("%s", self.summary.line())
        if self._over.on_built is not None:
            self._over.on_built(self.summary, self._warnings)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        settings = self._settings
        if settings is not None:
            for path in (settings.badges_dir, settings.reflections_dir, settings.pathways,
                         settings.profile, settings.pins_dir, *settings.registries,
                         settings.project_dir / theme.OVERRIDE_DIR):
                if path.exists():
                    server.watch(str(path))
        return server

    # -- helpers ------------------------------------------------------------------------------
    def _add_plan(self, plan: SitePlan, files: Files, config: MkDocsConfig) -> None:
        def add(file: File) -> None:
            if files.get_file_from_path(file.src_uri) is not None:
                log.warning("docs/%s exists, so the portfolio's own %s was not generated",
                            file.src_uri, file.src_uri)
                return
            files.append(file)

        for page in plan.pages:
            self._html[page.src_uri] = page.html
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            add(File.generated(config, page.src_uri, content=front_matter(page.title),
                               inclusion=inclusion))
        for src, refl in plan.reflections:
            self._panels[src] = plan.reflection_panels[src]
            add(File.generated(config, src, content=refl.markdown))
        for item in plan.files:
            if item.path is not None:
                add(File.generated(config, item.dest, abs_src_path=str(item.path)))
            else:
                add(File.generated(config, item.dest, content=item.content or b""))
        for name in _ASSETS:
            data = theme.read(theme.ASSETS, name, self._settings.theme if self._settings else None)
            add(File.generated(config, f"{ASSET_DIR}/{name}", content=data))

    def _default_nav(self) -> list[Any]:
        assert self._portfolio is not None
        nav: list[Any] = [{title: src} for src, title in NAV_PAGES if src != "reflections/index.md"]
        reflections = sorted(self._portfolio.reflections,
                             key=lambda r: (r.date.isoformat() if r.date else "", r.path),
                             reverse=True)
        nav.append({"Reflections": [{"All reflections": "reflections/index.md"},
                                    *[{r.title: f"reflections/{r.path}"} for r in reflections]]})
        return nav


def _inputs(settings: PortfolioConfig, config: MkDocsConfig) -> list[tuple[str, Path]]:
    """Everything a build reads, which its site folder may not be, hold or lie in."""
    from portfolio_gen.net.store import default_cache_dir

    return [("badges folder (badges_dir)", settings.badges_dir),
            ("reflections folder (reflections_dir)", settings.reflections_dir),
            ("pins folder (pins_dir)", settings.pins_dir),
            ("profile", settings.profile), ("pathways file", settings.pathways),
            ("docs folder (docs_dir)", Path(config.docs_dir)),
            ("configuration", Path(config.config_file_path or "mkdocs.yml")),
            ("cache folder", settings.cache_dir or default_cache_dir())]


def _verify_progress(progress: Progress | None) -> Callable[[int, int], None]:
    """The CLI's display when it gave one; else (``mkdocs build``) the MkDocs log says how
    far long verification runs are (every 25 badges, and at the end)."""
    if progress is not None:
        return partial(progress, "verifying badges")
    return _log_progress


def _log_progress(done: int, total: int) -> None:
    if total >= 25 and (done % 25 == 0 or done == total):
        log.info("verifying badges: %d / %d", done, total)


def _own_pages(docs_dir: Path) -> list[str]:
    """The learner's own Markdown pages in docs_dir, listed after the portfolio's pages."""
    taken = {src for src, _ in NAV_PAGES}
    pages = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    return [p for p in pages if p not in taken
            and not any(part.startswith(".") for part in p.split("/"))]


def _replace(settings: PortfolioConfig, **changes: Any) -> PortfolioConfig:
    from dataclasses import replace

    return replace(settings, **changes)
