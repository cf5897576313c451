"""Run MkDocs for a portfolio folder: build once or serve with live reload.

Called by :func:`portfolio_gen.build.build_site` / ``serve_site`` so the CLI never imports
mkdocs. ``now`` also sets ``SOURCE_DATE_EPOCH`` for the build, which MkDocs uses for the
sitemap dates, so two builds with the same ``now`` are byte-identical.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from portfolio_gen.build import BuildSummary
from portfolio_gen.config import parse_instant
from portfolio_gen.errors import ConfigError
from portfolio_gen.net.fetch import Fetcher
from portfolio_gen.render.generated import source_date
from portfolio_gen.render.plugin import Overrides, PortfolioPlugin


def _config_file(project_dir: Path) -> Path:
    path = project_dir / "mkdocs.yml"
    if not path.is_file():
        raise ConfigError(f"{path}: not found (a portfolio folder needs a mkdocs.yml)")
    return path


def run_build(project_dir: Path, *, site_dir: Path | None, offline: bool | None,
              now: datetime | None, fetcher: Fetcher | None = None) -> BuildSummary:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = _config_file(project_dir)
    overrides = {"site_dir": str(site_dir.resolve())} if site_dir is not None else {}
    plugin = None
    try:
        config = load_config(str(config_file), **overrides)
        plugin = config.plugins.get("portfolio")
        if not isinstance(plugin, PortfolioPlugin):
            raise ConfigError(f"{config_file}: plugins: add 'portfolio' (after 'search')")
        plugin.overrides = Overrides(offline=offline, now=now, fetcher=fetcher,
                                     log_problems=False)  # returned in the summary instead
        configured = plugin.config.get("now")
        stamp = now or (parse_instant(configured, "plugins.portfolio.now") if configured else None)
        with source_date(stamp), _said_once(plugin):
            build(config)
    except MkDocsException as exc:
        if isinstance(plugin, PortfolioPlugin) and plugin.error:
            raise ConfigError(plugin.error) from None
        raise ConfigError(f"{config_file}: {exc}") from None
    if plugin.summary is None:  # pragma: no cover - on_post_build always runs after a build
        raise ConfigError(f"{config_file}: the portfolio plugin did not run")
    return plugin.summary


class _DropRepeat(logging.Filter):
    """Drops MkDocs' log copy of the plugin's error: the CLI prints it (errors print once)."""

    def __init__(self, plugin: PortfolioPlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def filter(self, record: logging.LogRecord) -> bool:
        error = self.plugin.error
        return not (error and record.levelno >= logging.ERROR and record.getMessage() == error)


@contextlib.contextmanager
def _said_once(plugin: PortfolioPlugin) -> Iterator[None]:
    logger = logging.getLogger("mkdocs.commands.build")
    repeat = _DropRepeat(plugin)
    logger.addFilter(repeat)
    try:
        yield
    finally:
        logger.removeFilter(repeat)


def run_serve(project_dir: Path, *, dev_addr: str | None, offline: bool | None,
              now: datetime | None) -> None:
    from mkdocs.commands.serve import serve

    config_file = _config_file(project_dir)
    PortfolioPlugin.default_overrides = Overrides(offline=offline, now=now)
    with source_date(now):
        if dev_addr:
            serve(config_file=str(config_file), livereload=True, dev_addr=dev_addr)
        else:
            serve(config_file=str(config_file), livereload=True)


def run_deploy(project_dir: Path, *, message: str | None, offline: bool | None,
               now: datetime | None) -> BuildSummary:
    """Build, then push the site to the ``gh-pages`` branch (``mkdocs gh-deploy``)."""
    from mkdocs.commands.gh_deploy import gh_deploy
    from mkdocs.config import load_config

    summary = run_build(project_dir, site_dir=None, offline=offline, now=now)
    config = load_config(str(_config_file(project_dir)))
    gh_deploy(config, message=message)
    return summary
