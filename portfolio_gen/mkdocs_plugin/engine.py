"""Run MkDocs for a portfolio folder: build once, serve with live reload, or deploy.

The CLI calls these (it imports mkdocs only through this package). ``now`` also sets
``SOURCE_DATE_EPOCH`` for the build, which MkDocs uses for the sitemap dates, so two
builds with the same ``now`` are byte-identical.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from portfolio_gen.config import parse_instant
from portfolio_gen.errors import ConfigError
from portfolio_gen.mkdocs_plugin.git_check import check_git_remote
from portfolio_gen.mkdocs_plugin.plugin import Overrides, PortfolioPlugin
from portfolio_gen.mkdocs_plugin.serve_report import ServeReport
from portfolio_gen.model.build_summary import BuildSummary
from portfolio_gen.net.fetch import Fetcher
from portfolio_gen.progress import Progress
from portfolio_gen.render.generated import source_date


def _config_file(project_dir: Path) -> Path:
    path = project_dir / "mkdocs.yml"
    if not path.is_file():
        raise ConfigError(f"{project_dir.resolve()}: no mkdocs.yml here, so this is not a "
                          "portfolio folder. Start one with `portfolio-gen new my-portfolio`, "
                          "then `cd my-portfolio`; or give the portfolio folder's path")
    return path


def build_site(project_dir: Path, *, site_dir: Path | None = None, offline: bool | None = None,
               now: datetime | None = None, fetcher: Fetcher | None = None,
               progress: Progress | None = None) -> BuildSummary:
    """Build the site of ``project_dir/mkdocs.yml`` (``fetcher`` overrides the configured one;
    ``progress(phase, done, total)`` hears how verifying and rendering go)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = _config_file(project_dir)
    overrides = {"site_dir": str(site_dir.resolve())} if site_dir is not None else {}
    plugin = None
    details = _ConfigDetails()
    try:
        with details.held():
            config = load_config(str(config_file), **overrides)
        plugin = config.plugins.get("portfolio")
        if not isinstance(plugin, PortfolioPlugin):
            raise ConfigError(f"{config_file}: plugins: add 'portfolio' (after 'search')")
        plugin.overrides = Overrides(offline=offline, now=now, fetcher=fetcher,
                                     log_problems=False,  # returned in the summary instead
                                     progress=progress)
        configured = plugin.config.get("now")
        stamp = now or (parse_instant(configured, "plugins.portfolio.now") if configured else None)
        with source_date(stamp), _said_once(lambda: plugin.error):
            build(config)
    except MkDocsException as exc:
        if isinstance(plugin, PortfolioPlugin) and plugin.error:
            raise ConfigError(plugin.error) from None
        raise ConfigError(f"{config_file}: {details.text(exc)}") from None
    if plugin.summary is None:  # pragma: no cover - on_post_build always runs after a build
        raise ConfigError(f"{config_file}: the portfolio plugin did not run")
    return plugin.summary


class WarningCounter(logging.Handler):
    """Counts the warnings MkDocs and our plugin log during one build (``build --strict``)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    @contextlib.contextmanager
    def attached(self) -> Iterator[WarningCounter]:
        logger = logging.getLogger("mkdocs")   # our plugin's logger is a child of it
        logger.addHandler(self)
        try:
            yield self
        finally:
            logger.removeHandler(self)


class _DropRepeat(logging.Filter):
    """Drops MkDocs' log copy of the plugin's error: the CLI prints it (errors print once)."""

    def __init__(self, error: Callable[[], str | None]) -> None:
        super().__init__()
        self.error = error

    def filter(self, record: logging.LogRecord) -> bool:
        error = self.error()
        return not (error and record.levelno >= logging.ERROR and record.getMessage() == error)


@contextlib.contextmanager
def _said_once(error: Callable[[], str | None]) -> Iterator[None]:
    logger = logging.getLogger("mkdocs.commands.build")
    repeat = _DropRepeat(error)
    logger.addFilter(repeat)
    try:
        yield
    finally:
        logger.removeFilter(repeat)


class _ConfigDetails(logging.Filter):
    """Holds back MkDocs' "Config value 'x': …" error lines so they become part of the one
    error the CLI prints, instead of printing before a bare "Aborted with a configuration
    error!". ``active`` decides when to hold (serve: only until the first build)."""

    def __init__(self, active: Callable[[], bool] = lambda: True) -> None:
        super().__init__()
        self.active = active
        self.lines: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and self.active():
            self.lines.append(record.getMessage())
            return False
        return True

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        logger = logging.getLogger("mkdocs.config")
        logger.addFilter(self)
        try:
            yield
        finally:
            logger.removeFilter(self)

    def text(self, exc: Exception) -> str:
        return "; ".join(self.lines) if self.lines else str(exc)


def serve_site(project_dir: Path, *, dev_addr: str | None = None, offline: bool | None = None,
               now: datetime | None = None, echo: Callable[[str], None] | None = None) -> None:
    """Serve with live reload, watching badges, reflections, pathways and the profile; with
    ``echo``, print the address, each build's summary and one line per rebuild."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    from portfolio_gen.cohort.serve import parse_address

    config_file = _config_file(project_dir)
    addr = dev_addr or "127.0.0.1:8000"
    host, port = parse_address(addr)
    report = None
    if echo is not None:
        report = ServeReport(project_dir, f"http://{host}:{port}/", echo)
    PortfolioPlugin.default_overrides = Overrides(offline=offline, now=now,
                                                  log_problems=report is None, on_built=report)
    PortfolioPlugin.last_error = None

    def first_error() -> str | None:  # later rebuild errors are MkDocs' to print
        return PortfolioPlugin.last_error if report is None or not report.started else None

    details = _ConfigDetails(lambda: report is None or not report.started)
    try:
        with source_date(now), _said_once(first_error), details.held():
            serve(config_file=str(config_file), livereload=True, dev_addr=addr)
    except MkDocsException as exc:
        raise ConfigError(PortfolioPlugin.last_error
                          or f"{config_file}: {details.text(exc)}") from None
    except OSError as exc:
        raise ConfigError(f"cannot serve on {addr}: {exc}") from None
    finally:
        PortfolioPlugin.default_overrides = Overrides()


def deploy_site(project_dir: Path, *, message: str | None = None, offline: bool | None = None,
                now: datetime | None = None) -> BuildSummary:
    """Build, then push the site to the ``gh-pages`` branch (``mkdocs gh-deploy``).

    The repository and its remote are checked before git is touched (no branch is made when
    there is nowhere to push); git runs in the portfolio folder, whatever the current folder
    is."""
    from mkdocs.commands.gh_deploy import gh_deploy
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = _config_file(project_dir)
    details = _ConfigDetails()
    try:
        with details.held():
            remote = str(load_config(str(config_file)).remote_name or "origin")
    except MkDocsException as exc:
        raise ConfigError(f"{config_file}: {details.text(exc)}") from None
    summary = build_site(project_dir, site_dir=None, offline=offline, now=now)
    check_git_remote(project_dir, remote)  # after the build, whose own refusals come first
    config = load_config(str(config_file))
    try:
        with contextlib.chdir(project_dir):
            gh_deploy(config, message=message)
    except (MkDocsException, SystemExit) as exc:
        raise ConfigError(f"deploy failed: {exc}; the site was built in {summary.site_dir} "
                          "but not pushed (check `git push` works from this folder)") from None
    return summary
