"""One cohort run without a site engine: verify on the pool, gather, write data files.

``prepare_cohort`` is the seam between the cohort core and the site build: it streams
learner results from :func:`verify_cohort` into the directory builder and the staff
writer, then writes the search index and charts. The site build (MkDocs plugin) turns
the returned :class:`PreparedCohort` into pages; nothing here imports an engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portfolio_gen.cohort.charts import bar_chart_svg
from portfolio_gen.cohort.config import CohortConfig
from portfolio_gen.cohort.search_index import IndexStats, write_search_index
from portfolio_gen.cohort.staff import StaffWriter
from portfolio_gen.cohort.verify_pool import LearnerTask, PoolSettings, verify_cohort
from portfolio_gen.model.directory import DirectoryBuilder, DirectoryData
from portfolio_gen.net.store import default_cache_dir
from portfolio_gen.progress import Progress, silent
from portfolio_gen.verify.registry import load_registries

INDEX_DIR = "directory/index"
CHART_DIR = "assets/cohort"


@dataclass(frozen=True)
class RunStats:
    learners: int = 0
    excluded: int = 0
    invalid: int = 0
    credentials: int = 0
    verify_calls: int = 0
    item_hits: int = 0
    learner_hits: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class PreparedCohort:
    config: CohortConfig
    directory: DirectoryData
    problems: tuple[str, ...]
    stats: RunStats
    index: IndexStats
    charts: dict[str, Path] = field(default_factory=dict)
    staff: dict[str, Path] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)   # learner rel → ``after`` result


def pool_settings(config: CohortConfig, *, now: datetime | None = None,
                  offline: bool | None = None, cache_dir: Path | None = None,
                  after: Callable[..., Any] | None = None) -> PoolSettings:
    """Settings from cohort.yml, with the caller's overrides (CLI flags, tests)."""
    return PoolSettings(
        now=now or config.now or start_of_day(datetime.now(UTC)),
        offline=config.offline if offline is None else offline,
        cache_dir=cache_dir or config.cache_dir or default_cache_dir() / "cohort-reports",
        fetch_cache_dir=default_cache_dir(), after=after, strict=config.strict,
        registries=load_registries(config.registries))


def start_of_day(instant: datetime) -> datetime:
    """The default verification time of a cohort build: midnight UTC of the build's day.

    Every page says when its credential was verified, so pages made at different instants
    differ. Judging a whole day's builds at one instant makes them reproducible and lets a
    rebuild reuse every unchanged learner's pages; each page states that instant ("Verified
    on ..."). Revocation is still re-checked on each build (fetched documents are
    revalidated against the cached ones).
    """
    return instant.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def prepare_cohort(config: CohortConfig, site_dir: Path, *, settings: PoolSettings,
                   executor: Executor | None = None, window: int | None = None,
                   progress: Progress = silent) -> PreparedCohort:
    """Verify every learner, write index/charts under ``site_dir`` and staff outputs
    (``progress("verifying learners", done, total)`` as each learner is finished)."""
    started = time.perf_counter()
    builder = DirectoryBuilder()
    problems = [str(p) for p in config.problems]
    counts = dict.fromkeys(("learners", "excluded", "invalid", "credentials", "verify_calls",
                            "item_hits", "learner_hits"), 0)
    extras: dict[str, Any] = {}
    staff = StaffWriter(config.staff.path, config.title) if config.staff.path else None
    for p in config.problems:
        if staff:
            staff.add_invalid(p.file, p.reason)
    tasks = (LearnerTask(e.folder, e.rel) for e in config.learners)
    try:
        for done, result in enumerate(verify_cohort(tasks, settings, executor, window=window),
                                      1):
            progress("verifying learners", done, len(config.learners))
            counts["verify_calls"] += result.stats.verify_calls
            counts["item_hits"] += result.stats.item_hits
            if result.status == "excluded":
                counts["excluded"] += 1
                if staff:
                    staff.add_excluded()
            elif result.status == "invalid":
                counts["invalid"] += 1
                problems.append(f"{result.rel}: {result.problem}")
                if staff:
                    staff.add_invalid(result.rel, result.problem or "")
            elif result.summary is not None:
                counts["learners"] += 1
                counts["learner_hits"] += int(result.stats.learner_hit)
                counts["credentials"] += sum(n for _, n in result.summary.verdicts)
                builder.add(result.summary)
                problems.extend(f"{result.rel}: {p}" for p in result.summary.problems)
                if staff:
                    staff.add_learner(result.summary)
                if result.extra is not None:
                    extras[result.rel] = result.extra
        staff_paths = staff.close() if staff else {}
    finally:
        if staff:
            staff.__exit__(None, None, None)
    directory = builder.finish()
    index = write_search_index(directory, site_dir / INDEX_DIR)
    charts = write_charts(directory, site_dir / CHART_DIR)
    return PreparedCohort(config, directory, tuple(problems),
                          RunStats(**counts, seconds=time.perf_counter() - started),
                          index, charts, staff_paths, extras)


def write_charts(directory: DirectoryData, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {"top-skills": folder / "top-skills.svg",
           "top-credentials": folder / "top-credentials.svg"}
    out["top-skills"].write_text(bar_chart_svg(
        "Top skills by number of learners",
        [(v.label, v.count) for v in directory.top_skills]), encoding="utf-8")
    out["top-credentials"].write_text(bar_chart_svg(
        "Top credentials by number of learners",
        [(v.label, v.count) for v in directory.top_credentials]), encoding="utf-8")
    return out
