"""cohort.yml: the cohort's name and the learner folders it gathers.

Schema (paths and glob patterns are relative to the folder holding cohort.yml)::

    title: Class of 2026 showcase      # required
    programme: BSc Data Science
    term: Spring 2026
    logo: logo.png                     # an image file beside cohort.yml
    site_url: https://careers.example.edu/showcase/
    learners:                          # required: folders or glob patterns
      - learners/*
      - extra/ada-lovelace
    staff_outputs:                     # verification report + CSV for staff
      enabled: true
      path: staff-reports              # folder, relative to cohort.yml (outside the site)
      linked: false                    # true: the public site links to them
    now: 2026-06-01T12:00:00Z          # judge every credential at this instant (default:
                                       # midnight UTC of the build's day; caches key on it)
    offline: false                     # true: pinned documents only
    strict: false                      # true: every learner verified in strict mode
                                       # (conformance problems fail a credential)
    cache_dir: .cohort-cache           # verification cache (default: user cache folder)
    executor: process                  # process (this machine's cores) or dask (a cluster)
    scheduler: tcp://10.0.0.5:8786     # executor dask: the Dask scheduler's address

A learner entry that matches nothing is a problem naming the file, the key and the
pattern; it never stops the other learners from building. Each learner folder is a
single-learner portfolio (its own mkdocs.yml, profile.yml with ``showcase_consent``).
"""

from __future__ import annotations

import datetime as dt
import glob
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portfolio_gen.config import parse_instant, read_yaml_file, registry_paths
from portfolio_gen.errors import ConfigError
from portfolio_gen.theme import find_override

KEYS = ("title", "programme", "term", "logo", "site_url", "learners", "staff_outputs", "now",
        "offline", "cache_dir", "strict", "registries", "executor", "scheduler")
EXECUTORS = ("process", "dask")
_STAFF_KEYS = ("enabled", "path", "linked")


@dataclass(frozen=True)
class StaffOutputs:
    enabled: bool = True
    path: Path | None = None     # absolute; None when disabled
    linked: bool = False


@dataclass(frozen=True)
class LearnerEntry:
    """One learner folder; ``rel`` is its path relative to cohort.yml (POSIX), used for
    stable slugs and messages."""

    folder: Path
    rel: str


@dataclass(frozen=True)
class EntryProblem:
    """A cohort.yml learner entry that could not be used (file, reason)."""

    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass(frozen=True)
class CohortConfig:
    path: Path
    title: str
    programme: str = ""
    term: str = ""
    logo: Path | None = None
    site_url: str = ""
    learners: tuple[LearnerEntry, ...] = ()
    problems: tuple[EntryProblem, ...] = ()
    staff: StaffOutputs = field(default_factory=StaffOutputs)
    now: dt.datetime | None = None
    offline: bool = False
    cache_dir: Path | None = None
    strict: bool = False
    #: trust registry files for every learner's credentials (the learners' own are not used:
    #: the cohort site's owner decides whom it vouches for)
    registries: tuple[Path, ...] = ()
    executor: str = "process"
    scheduler: str = ""
    #: the cohort folder's own ``themes/portfolio/`` (:func:`portfolio_gen.theme.find_override`):
    #: it themes the cohort pages and every learner page; learners' own are never read
    theme: Path | None = None

    @property
    def root(self) -> Path:
        return self.path.parent


def load_cohort(path: Path) -> CohortConfig:
    """Validate cohort.yml and expand its learner patterns (sorted, de-duplicated)."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError(f"{path}: cohort file not found")
    data = read_yaml_file(path)
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping with at least 'title' and 'learners'")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; expected one of {', '.join(KEYS)}")
    root = path.parent
    title = _text(data.get("title"), path, "title", required=True)
    site_url = _text(data.get("site_url"), path, "site_url")
    if site_url and not site_url.startswith(("https://", "http://")):
        raise ConfigError(f"{path}: site_url: expected an http(s) URL, got {site_url!r}")
    logo = None
    if data.get("logo") is not None:
        logo = (root / _text(data["logo"], path, "logo", required=True)).resolve()
        if not logo.is_file():
            raise ConfigError(f"{path}: logo: expected an image file beside cohort.yml, "
                              f"{data['logo']!r} not found")
    entries, problems = _learners(data.get("learners"), path)
    theme_dir, why = find_override(root)
    if why is not None:   # the careers office's own folder: stop rather than build unthemed
        raise ConfigError(f"{path}: {why}")
    cache_dir = data.get("cache_dir")
    executor = _text(data.get("executor"), path, "executor") or "process"
    if executor not in EXECUTORS:
        raise ConfigError(f"{path}: executor: expected one of {', '.join(EXECUTORS)}, "
                          f"got {executor!r}")
    scheduler = _text(data.get("scheduler"), path, "scheduler")
    if executor == "dask" and not scheduler:
        raise ConfigError(f"{path}: scheduler: required with executor: dask (the Dask "
                          "scheduler's address, e.g. tcp://10.0.0.5:8786)")
    return CohortConfig(
        path=path, title=title,
        programme=_text(data.get("programme"), path, "programme"),
        term=_text(data.get("term"), path, "term"),
        logo=logo, site_url=site_url, learners=entries, problems=problems,
        staff=_staff(data.get("staff_outputs"), path),
        now=parse_instant(data["now"], f"{path}: now") if data.get("now") is not None else None,
        offline=_bool(data.get("offline", False), path, "offline"),
        strict=_bool(data.get("strict", False), path, "strict"),
        cache_dir=(root / _text(cache_dir, path, "cache_dir", required=True)).resolve()
        if cache_dir is not None else None,
        registries=registry_paths(data.get("registries"), root, f"{path}: registries"),
        executor=executor, scheduler=scheduler, theme=theme_dir,
    )


def _learners(value: Any, path: Path) -> tuple[tuple[LearnerEntry, ...], tuple[EntryProblem,
                                                                               ...]]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{path}: learners: required; expected a list of folders or glob "
                          f"patterns relative to cohort.yml, got {value!r}")
    root = path.parent
    found: dict[Path, LearnerEntry] = {}
    problems: list[EntryProblem] = []
    for i, item in enumerate(value):
        pattern = _text(item, path, f"learners[{i}]", required=True)
        where = f"learners[{i}] ({pattern!r})"
        if glob.has_magic(pattern):
            matches = sorted(Path(p) for p in glob.glob(str(root / pattern)))
            folders = [m for m in matches if m.is_dir()]
            if not folders:
                problems.append(EntryProblem(str(path), f"{where}: the pattern matches no "
                                                        "folder"))
        else:
            candidate = root / pattern
            folders = [candidate] if candidate.is_dir() else []
            if not folders:
                reason = "is not a folder" if candidate.exists() else "folder not found"
                problems.append(EntryProblem(str(path), f"{where}: {reason}"))
        for folder in folders:
            resolved = folder.resolve()
            if resolved not in found:
                found[resolved] = LearnerEntry(resolved, _rel(folder, root))
    return tuple(sorted(found.values(), key=lambda e: e.rel)), tuple(problems)


def _rel(folder: Path, root: Path) -> str:
    try:
        return folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return folder.resolve().as_posix()


def _staff(value: Any, path: Path) -> StaffOutputs:
    if value is None:
        return StaffOutputs(True, (path.parent / "staff-reports").resolve(), False)
    if not isinstance(value, Mapping):
        raise ConfigError(f"{path}: staff_outputs: expected a mapping with enabled, path, linked")
    unknown = sorted(set(value) - set(_STAFF_KEYS))
    if unknown:
        raise ConfigError(f"{path}: staff_outputs: unknown key {unknown[0]!r}; expected one of "
                          f"{', '.join(_STAFF_KEYS)}")
    enabled = _bool(value.get("enabled", True), path, "staff_outputs.enabled")
    linked = _bool(value.get("linked", False), path, "staff_outputs.linked")
    rel = _text(value.get("path", "staff-reports"), path, "staff_outputs.path", required=True)
    return StaffOutputs(enabled, (path.parent / rel).resolve() if enabled else None,
                        linked and enabled)


def _text(value: Any, path: Path, key: str, *, required: bool = False) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ConfigError(f"{path}: {key}: required; expected a non-empty text value")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ConfigError(f"{path}: {key}: expected a text value, got {value!r}")
    return str(value).strip()


def _bool(value: Any, path: Path, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: {key}: expected true or false, got {value!r}")
    return value
