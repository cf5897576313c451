"""Build a cohort showcase site: ``portfolio-gen cohort build cohort.yml [-d OUT]``.

The site engine is an argument (:class:`~portfolio_gen.cohort.engine.CohortEngine`; the CLI
passes MkDocs + Material): this package imports none. One run, in three steps:

1. :func:`prepare_cohort` verifies every learner on the pool (any ``Executor``) and
   builds the directory, which fixes every learner's slug (equal names are told apart);
2. :func:`stage_cohort`: on the same pool, each consenting learner's sub-site is planned
   and its pages rendered in the cohort's chrome (the engine's configuration, written
   first), cached by content — the reports come from the verification cache step 1
   filled, and no learner is staged twice because slugs are final before staging;
3. ONE engine build of the cohort pages, whose nav holds only the home, the directory and
   the facet index pages; the engine adds the other cohort pages and links every
   learner's finished pages and files in.

``now`` (cohort.yml, or the caller's) also sets ``SOURCE_DATE_EPOCH`` for the build,
so two builds of the same cohort are byte-identical.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from portfolio_gen.cohort.config import CohortConfig, load_cohort
from portfolio_gen.cohort.engine import CohortEngine, CohortSite
from portfolio_gen.cohort.executors import Pool, open_executor
from portfolio_gen.cohort.gc import collect, record_used
from portfolio_gen.cohort.pages import (
    COHORT_ASSETS,
    SCRIPTS,
    STAFF_DIR,
    STYLESHEETS,
    CohortPages,
    home_head,
    nav,
)
from portfolio_gen.cohort.prepare import PreparedCohort, pool_settings, prepare_cohort
from portfolio_gen.cohort.stage import (
    StagedLearner,
    StageOptions,
    StageTask,
    render_code_version,
    stage_task,
)
from portfolio_gen.cohort.verify_pool import PoolSettings, ordered_map
from portfolio_gen.progress import Progress, silent
from portfolio_gen.sitedir import check_site_dir, mark_site_dir


@dataclass(frozen=True)
class CohortBuildSummary:
    learners: int
    excluded: int
    invalid: int
    credentials: int
    verified: int
    pages: int                  # pages MkDocs rendered (cohort + learner pages)
    learner_pages: int
    staged_fresh: int           # learners planned this run
    staged_cached: int          # learners whose staged pages were reused
    verify_calls: int
    prepare_seconds: float
    seconds: float
    site_dir: Path
    problems: tuple[str, ...] = ()
    staff: dict[str, Path] = field(default_factory=dict)
    index: str = ""
    staged_removed: int = 0     # staged folders no cohort uses any more, removed

    def line(self) -> str:
        extra = f"; {len(self.problems)} problem(s)" if self.problems else ""
        return (f"cohort: {self.learners} learners shown, {self.excluded} without consent, "
                f"{self.invalid} invalid; {self.verified} verified credentials; {self.pages} "
                f"pages ({self.staged_fresh} learners planned, {self.staged_cached} cached); "
                f"{self.seconds:.1f} s{extra}")


def build_cohort(engine: CohortEngine, cohort_file: Path, *, site_dir: Path | None = None,
                 now: datetime | None = None, offline: bool | None = None,
                 cache_dir: Path | None = None, executor: Executor | None = None,
                 window: int | None = None, progress: Progress = silent,
                 executor_kind: str | None = None, scheduler: str | None = None,
                 ) -> CohortBuildSummary:
    """Build the cohort site of ``cohort_file`` with ``engine`` into ``site_dir`` (default:
    ``site/`` beside cohort.yml). ``executor``: any ``concurrent.futures.Executor``; without one,
    ``executor_kind`` and ``scheduler`` (default: cohort.yml's ``executor`` and
    ``scheduler``) name one (:func:`open_executor`: a process pool with every core, or a
    Dask cluster's). ``progress(phase, done, total)`` hears each phase."""
    started = time.perf_counter()
    config = load_cohort(cohort_file)
    # absolute: the generated mkdocs.yml lives inside the cache and names folders in it
    base = pool_settings(config, now=now, offline=offline,
                         cache_dir=cache_dir.resolve() if cache_dir else None)
    assert base.cache_dir is not None
    # before anything is read or written: MkDocs will empty this folder
    site = check_site_dir(site_dir or config.root / "site", inputs=_inputs(config, base),
                          roots=[("cohort folder", config.root)])
    chrome = _chrome(engine, config)
    options = StageOptions(root=base.cache_dir / "staged", now=base.now,
                           site_url=config.site_url, site_name=config.title,
                           code=render_code_version(config.theme), theme=config.theme,
                           engine=engine,
                           chrome=engine.write_chrome(base.cache_dir / "chrome", chrome))
    work = base.cache_dir / "build" / hashlib.sha256(str(config.path).encode()).hexdigest()[:16]
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    opened = (nullcontext(Pool(executor, None)) if executor is not None else
              open_executor(executor_kind or config.executor,
                            config.scheduler if scheduler is None else scheduler,
                            where=str(config.path)))
    with opened as pool:
        window = window if window is not None else pool.window
        prepared = prepare_cohort(config, data, settings=base, executor=pool.executor,
                                  window=window, progress=progress)
        staged = stage_cohort(prepared, base, options, pool.executor, window=window,
                              progress=progress)
    prepare_seconds = time.perf_counter() - started
    mark_site_dir(site)
    pages, learner_pages = engine.build_site(
        chrome, _site(config, prepared, staged, data, progress), work=work, site_dir=site,
        now=base.now, where=config.path)
    fresh = sum(1 for s in staged.values() if not s.hit)
    record_used(work, (s.key for s in staged.values()))
    collected = collect(options.root, work.parent)
    return CohortBuildSummary(
        learners=prepared.stats.learners, excluded=prepared.stats.excluded,
        invalid=prepared.stats.invalid, credentials=prepared.stats.credentials,
        verified=prepared.directory.headline.verified_credentials, pages=pages,
        learner_pages=learner_pages, staged_fresh=fresh, staged_cached=len(staged) - fresh,
        verify_calls=prepared.stats.verify_calls, prepare_seconds=prepare_seconds,
        seconds=time.perf_counter() - started, site_dir=site, problems=prepared.problems,
        staff=dict(prepared.staff), index=prepared.index.line(),
        staged_removed=collected.removed)


def _inputs(config: CohortConfig, settings: PoolSettings) -> list[tuple[str, Path]]:
    """What a cohort build reads or keeps, which its site folder may not be, hold or lie in."""
    assert settings.cache_dir is not None
    found = [("cohort file", config.path), ("cache folder", settings.cache_dir)]
    if settings.fetch_cache_dir is not None:
        found.append(("fetch cache folder", settings.fetch_cache_dir))
    found += [(f"learner folder {e.rel}", e.folder) for e in config.learners]
    if config.logo is not None:
        found.append(("cohort logo", config.logo))
    if config.staff.path is not None:
        found.append(("staff outputs folder", config.staff.path))
    return found


def stage_cohort(prepared: PreparedCohort, settings: PoolSettings, options: StageOptions,
                 executor: Executor, *, window: int | None = None,
                 progress: Progress = silent) -> dict[str, StagedLearner]:
    """Final slug → staged learner, every consenting learner staged on the pool."""
    folders = {e.rel: e.folder for e in prepared.config.learners}
    tasks = [StageTask(folders[card.rel], card.rel, card.slug)
             for card in prepared.directory.cards]
    run = partial(stage_task, settings=settings, options=options)
    out: dict[str, StagedLearner] = {}
    for done, (task, staged) in enumerate(
            zip(tasks, ordered_map(run, tasks, executor, window=window), strict=True), 1):
        out[task.slug] = staged
        progress("staging learners", done, len(tasks))
    return out


def _logo(config: CohortConfig) -> str | None:
    return f"{COHORT_ASSETS}/logo{config.logo.suffix.lower()}" if config.logo else None


def _chrome(engine: CohortEngine, config: CohortConfig) -> dict[str, Any]:
    """The cohort's engine configuration, folders left out: what every page is rendered
    against."""
    description = " · ".join(x for x in (config.programme, config.term) if x)
    return engine.chrome(title=config.title, site_url=config.site_url,
                         description=description, nav=nav(), logo=_logo(config),
                         stylesheets=STYLESHEETS, scripts=SCRIPTS)


def _site(config: CohortConfig, prepared: PreparedCohort, staged: dict[str, StagedLearner],
          data: Path, progress: Progress) -> CohortSite:
    """What the engine's one build is made of: the cohort pages, the staged learners, the
    search index and charts, the logo and the staff outputs the cohort links."""
    extra: dict[str, Path] = {}
    logo = _logo(config)
    if logo is not None and config.logo is not None:
        extra[logo] = config.logo
    staff_links: dict[str, str] = {}
    if config.staff.linked:
        labels = {"html": "Verification report", "json": "Verification report (JSON)",
                  "csv": "Verified credentials (CSV)"}
        for kind, path in sorted(prepared.staff.items()):
            dest = f"{STAFF_DIR}/{path.name}"
            extra[dest] = path
            staff_links[labels.get(kind, path.name)] = dest
    pages = CohortPages(config, prepared.directory, charts=prepared.charts,
                        staff_links=staff_links)
    return CohortSite(pages=pages, directory=prepared.directory,
                      staged={slug: Path(s.folder) for slug, s in staged.items()},
                      data_dir=data, home_head=home_head(config, prepared.directory),
                      extra_files=extra, progress=progress, theme=config.theme)
