"""Where ``add`` puts things: the badges and pins folders of a portfolio's ``mkdocs.yml``.

Read without importing MkDocs (only ``mkdocs_plugin/`` may): :func:`read_plugin_options`
finds the ``portfolio`` plugin options, which go through the same validation as the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portfolio_gen.config import load_profile, parse_plugin_options, read_plugin_options
from portfolio_gen.errors import ConfigError


@dataclass(frozen=True)
class Portfolio:
    """The folders ``add`` writes into and the learner's identifiers for recipient checks."""

    root: Path
    badges_dir: Path
    pins_dir: Path
    identifiers: tuple[str, ...]


def find_portfolio(root: Path) -> Portfolio:
    """The portfolio rooted at ``root``; :class:`ConfigError` if it is not one."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise ConfigError(f"{root}: not a portfolio folder (no mkdocs.yml). Create one with "
                          f"`portfolio-gen new <folder>`, then add badges with "
                          f"`portfolio-gen add SOURCE --to <folder>`.")
    options = read_plugin_options(config_file)
    if options is None:
        raise ConfigError(f"{config_file}: plugins: add 'portfolio' (after 'search')")
    config = parse_plugin_options(options, project_dir=root, source=str(config_file))
    identifiers: tuple[str, ...] = ()
    if config.profile.is_file():
        try:
            identifiers = load_profile(config.profile).identifiers
        except ConfigError:
            identifiers = ()  # the build reports profile problems; add still works
    return Portfolio(root, config.badges_dir, config.pins_dir, identifiers)
