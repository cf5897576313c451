"""Where ``add`` puts things: the badges and pins folders of a portfolio's ``mkdocs.yml``.

Read without importing MkDocs (only render modules may): the YAML is loaded with a safe
loader that ignores MkDocs' ``!!python/name`` and ``!ENV`` tags, and the ``portfolio``
plugin options go through the same validation as the build.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portfolio_gen.config import load_profile, parse_plugin_options
from portfolio_gen.errors import ConfigError


@dataclass(frozen=True)
class Portfolio:
    """The folders ``add`` writes into and the learner's identifiers for recipient checks."""

    root: Path
    badges_dir: Path
    pins_dir: Path
    identifiers: tuple[str, ...]


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML that reads any unknown tag (``!!python/name:…``, ``!ENV``) as plain data."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("", _unknown_tag)


def find_portfolio(root: Path) -> Portfolio:
    """The portfolio rooted at ``root``; :class:`ConfigError` if it is not one."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise ConfigError(f"{root}: not a portfolio folder (no mkdocs.yml). Create one with "
                          f"`portfolio-gen new <folder>`, then add badges with "
                          f"`portfolio-gen add SOURCE --to <folder>`.")
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{config_file}: cannot be read ({exc})") from None
    options = _plugin_options(data)
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


def _plugin_options(data: Any) -> Mapping[str, Any] | None:
    plugins = data.get("plugins") if isinstance(data, Mapping) else None
    entries = list(plugins.items()) if isinstance(plugins, Mapping) else [
        next(iter(p.items())) if isinstance(p, Mapping) and len(p) == 1 else (p, {})
        for p in (plugins if isinstance(plugins, list) else [])]
    for name, options in entries:
        if name == "portfolio":
            return options if isinstance(options, Mapping) else {}
    return None
