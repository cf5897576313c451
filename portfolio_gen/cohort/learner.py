"""Read one learner folder as the cohort sees it: plugin options, profile and consent.

A learner folder is a single-learner portfolio, so its own ``mkdocs.yml`` (plugin
options: badges folder, pins, hidden credentials) and ``profile.yml`` are the truth.
Consent is the profile's ``showcase_consent: true``; anything else (missing, false)
leaves the learner out. Problems raise :class:`ConfigError` naming file and reason,
which the pool turns into an "invalid entry" for staff; the cohort builds on.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portfolio_gen.config import (
    FAST_SAFE_LOADER,
    PortfolioConfig,
    ProfileConfig,
    load_profile,
    parse_plugin_options,
    read_plugin_options,
)
from portfolio_gen.errors import ConfigError

CONSENT_KEY = "showcase_consent"


@dataclass(frozen=True)
class LearnerSetup:
    """A consenting learner's folder, read and validated."""

    config: PortfolioConfig
    profile: ProfileConfig


def plugin_options(folder: Path) -> tuple[Path, dict[str, Any]]:
    """``(mkdocs.yml path, portfolio plugin options)`` of a learner folder."""
    path = folder / "mkdocs.yml"
    if not path.is_file():
        raise ConfigError(f"{path}: not found (a learner folder is a portfolio with a mkdocs.yml)")
    options = read_plugin_options(path)
    if options is None:
        raise ConfigError(f"{path}: plugins: no 'portfolio' plugin; not a portfolio folder")
    return path, options


def read_learner(folder: Path) -> LearnerSetup | None:
    """Options and profile of a consenting learner; ``None`` without consent.

    Consent is read before the rest of the profile is validated, so a learner who did
    not consent is never reported by name or path, even when their profile is broken.
    Raises ConfigError (file, key, reason) for a folder that cannot be read.
    """
    mkdocs_path, options = plugin_options(folder)
    config = parse_plugin_options(options, project_dir=folder, source=str(mkdocs_path))
    if "profile" in config.refused:   # without its own profile, no consent can be read
        raise ConfigError(f"{mkdocs_path}: {config.refused['profile']}")
    raw = _raw_profile(config.profile)
    consent = raw.get(CONSENT_KEY, False)
    if consent is not True:
        return None
    return LearnerSetup(config, _profile(config.profile, raw))


def _raw_profile(path: Path) -> Mapping[str, Any]:
    if not path.is_file():
        raise ConfigError(f"{path}: profile file not found")
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=FAST_SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping with at least 'name'")
    return data


def _profile(path: Path, raw: Mapping[str, Any]) -> ProfileConfig:
    """The profile as the single-learner site reads it.

    Until ``ProfileConfig`` knows ``showcase_consent`` (site helper's schema), a profile
    that carries it is validated from a copy without that key, and error messages still
    name the real file.
    """
    if CONSENT_KEY not in raw or CONSENT_KEY in {f.name for f in
                                                 dataclasses.fields(ProfileConfig)}:
        return load_profile(path)
    rest = {k: v for k, v in raw.items() if k != CONSENT_KEY}
    with tempfile.TemporaryDirectory(prefix="portfolio-gen-profile-") as tmp:
        copy = Path(tmp) / path.name
        copy.write_text(yaml.safe_dump(rest, allow_unicode=True), encoding="utf-8")
        try:
            return load_profile(copy)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(copy), str(path))) from None
