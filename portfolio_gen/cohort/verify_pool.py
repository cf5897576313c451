"""Verify every learner of a cohort on any ``concurrent.futures.Executor``, with a cache.

Why a pool: verification (RDF canonicalisation, signatures) is CPU-bound and learners
are independent, so a cohort is verified one learner per task on every core. The
executor is any :class:`concurrent.futures.Executor`; by default a
``ProcessPoolExecutor`` with ``os.cpu_count()`` workers. Only picklable values cross
the boundary: a :class:`LearnerTask` and :class:`PoolSettings` in (the fetcher is
built *in the worker* from offline/pins/cache settings, never pickled live), and a
small :class:`LearnerResult` out (a card-sized summary, never the reports). Results
are streamed in input order with a bounded number of tasks in flight, so the parent
holds summaries, not the cohort.

Cohorts that outgrow one machine: any executor with ``submit`` works.

* Dask distributed: ``executor: dask`` and ``scheduler:`` in cohort.yml (or ``cohort build
  --executor dask --scheduler tcp://HOST:8786``) runs every learner task on the cluster
  through ``Client.get_executor()`` (:mod:`portfolio_gen.cohort.executors`).
* Ray: ``ray.init(address="auto")``; ``ray.util.multiprocessing.Pool()`` is a drop-in
  ``multiprocessing.Pool`` running on the Ray cluster, so wrap it:
  ``verify_cohort(tasks, settings, executor=ApplyAsyncExecutor(Pool()))``.
  :class:`ApplyAsyncExecutor` adapts anything with ``apply_async(fn, args, callback=,
  error_callback=)`` (also the standard library's ``multiprocessing.Pool``).

Every worker must see the learner folders and the cache folder at the same paths
(a shared file system), and must run the same code (the cache key includes a digest
of the verification code, so mixed versions only miss, never mix results).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

from portfolio_gen.cohort.learner import LearnerSetup, read_learner
from portfolio_gen.cohort.learner_portfolio import learner_summary
from portfolio_gen.confine import link_leaves
from portfolio_gen.errors import ConfigError
from portfolio_gen.ingest import read_paths
from portfolio_gen.model.assemble import profile_photo
from portfolio_gen.model.learner_summary import LearnerSummary, summary_from_dict, summary_to_dict
from portfolio_gen.net.fetch import Fetcher
from portfolio_gen.verify.cache import (
    CachedVerifier,
    ReportCache,
    code_digest,
    deps_still_valid,
    merge_deps,
    sha256_hex,
)
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.registry import Registry, registries_digest
from portfolio_gen.verify.report import VerificationReport
from portfolio_gen.verify.report_json import report_to_cache_dict

T = TypeVar("T")
R = TypeVar("R")


def code_version() -> str:
    """The code's identity in cache keys (:func:`portfolio_gen.verify.cache.code_digest`)."""
    return code_digest()


@dataclass(frozen=True)
class PoolSettings:
    """Everything a worker needs, all picklable.

    ``after`` (optional, a module-level function so it pickles by name) runs in the
    worker after a consenting learner is verified, as ``after(task, setup, reports,
    summary)``; its return value comes back in :attr:`LearnerResult.extra`. It is the
    hook for per-learner work that needs the full reports (rendering the learner's
    sub-site, card/OG images) without shipping reports to the parent.
    """

    now: datetime
    offline: bool = False
    cache_dir: Path | None = None            # verification cache; None: no cache
    fetch_cache_dir: Path | None = None      # HTTP document cache when online; None: none
    allow_hosts: tuple[str, ...] = ()
    ca_bundle: str | None = None
    #: cohort.yml ``strict``: conformance problems fail credentials for every learner (a
    #: learner's own ``strict: true`` plugin option applies too)
    strict: bool = False
    code_version: str = field(default_factory=code_version)
    after: Callable[..., Any] | None = None
    registries: tuple[Registry, ...] = ()    # trust registries (cohort.yml), loaded


@dataclass(frozen=True)
class LearnerTask:
    folder: Path
    rel: str


@dataclass(frozen=True)
class WorkerStats:
    verify_calls: int = 0      # verify_item calls actually made for this learner
    item_hits: int = 0         # credentials answered from item entries
    learner_hit: bool = False  # the whole learner came from the cache
    reports_digest: str = ""   # SHA-256 of the reports (to compare runs, pool vs serial)
    seconds: float = 0.0


Status = Literal["ok", "excluded", "invalid"]


@dataclass(frozen=True)
class LearnerResult:
    """One learner's outcome. An excluded learner carries nothing that identifies them."""

    rel: str
    status: Status
    summary: LearnerSummary | None = None
    problem: str | None = None
    stats: WorkerStats = field(default_factory=WorkerStats)
    extra: Any = None


# -- the worker ----------------------------------------------------------------------------

def process_learner(task: LearnerTask, settings: PoolSettings) -> LearnerResult:
    """Read, verify (or fetch from the cache) and summarise one learner folder.

    With a cache and no ``after`` hook, an unchanged learner is answered from a
    *summary* entry: no YAML, no ingest, no verification — only file digests and the
    recorded documents are checked.
    """
    started = time.perf_counter()
    cache = ReportCache(settings.cache_dir) if settings.cache_dir is not None else None
    use_summary = cache is not None and settings.after is None
    mkdocs = task.folder / "mkdocs.yml"
    skey = sha256_hex("summary", _policy(settings, VerifyOptions()), str(task.folder),
                      _file_digest(mkdocs)) if use_summary else ""
    if cache is not None and use_summary:
        hit = _summary_hit(cache, skey, task, settings)
        if hit is not None:
            return LearnerResult(task.rel if hit.status == "ok" else "", hit.status, hit.summary,
                                 stats=WorkerStats(learner_hit=True,
                                                   seconds=time.perf_counter() - started))
    try:
        setup = read_learner(task.folder)
    except ConfigError as exc:
        return LearnerResult(task.rel, "invalid", problem=str(exc))
    if setup is None:
        if cache is not None and use_summary:
            cache.put("summaries", skey, {"files": _input_files(task.folder, None), "deps": {},
                                          "pins": None, "excluded": True})
        return LearnerResult("", "excluded")
    fetcher = learner_fetcher(settings, setup)
    reports, stats = learner_reports(task, setup, settings, fetcher)
    summary = learner_summary(task.rel, setup, reports, settings.now)
    extra = settings.after(task, setup, reports, summary) if settings.after else None
    if cache is not None and use_summary:
        cache.put("summaries", skey, {"files": _input_files(task.folder, setup, summary),
                                      "deps": stats_deps(cache, setup, settings),
                                      "pins": str(setup.config.pins_dir),
                                      "summary": summary_to_dict(summary)})
    stats = WorkerStats(stats.verify_calls, stats.item_hits, stats.learner_hit,
                        reports_digest(reports), time.perf_counter() - started)
    return LearnerResult(task.rel, "ok", summary, None, stats, extra)


def _summary_hit(cache: ReportCache, key: str, task: LearnerTask,
                 settings: PoolSettings) -> LearnerResult | None:
    entry = cache.get("summaries", key)
    if entry is None:
        return None
    files = entry.get("files", {})
    if any(_file_digest(Path(p)) != d for p, d in files.items() if not p.startswith("walk:")):
        return None
    if any(_walk_digest(Path(p[5:])) != d for p, d in files.items() if p.startswith("walk:")):
        return None
    if entry.get("excluded"):
        return LearnerResult("", "excluded")
    from portfolio_gen.net.store import make_fetcher

    pins = Path(entry["pins"])
    fetcher = make_fetcher(offline=settings.offline, pins=pins if pins.is_dir() else None,
                           cache_dir=settings.fetch_cache_dir or False,
                           allow_hosts=settings.allow_hosts, ca_bundle=settings.ca_bundle)
    if not deps_still_valid(entry.get("deps", {}), fetcher):
        return None
    try:
        return LearnerResult(task.rel, "ok", summary_from_dict(entry["summary"]))
    except (KeyError, TypeError, ValueError):
        return None


def _input_files(folder: Path, setup: LearnerSetup | None,
                 summary: LearnerSummary | None = None) -> dict[str, str]:
    """Every file the summary was computed from, with its digest."""
    paths = [folder / "mkdocs.yml"]
    if setup is not None:
        config = setup.config
        paths += [config.profile, config.pathways]
        photo, _ = profile_photo(config, setup.profile)
        if photo is not None:
            paths.append(photo)
        files = {str(p): _file_digest(p) for p in paths}
        files["walk:" + str(config.badges_dir)] = _walk_digest(config.badges_dir)
        # reflections feed the staff report's learner problems (links out, attachments)
        files["walk:" + str(config.reflections_dir)] = _walk_digest(config.reflections_dir)
        return files
    from portfolio_gen.cohort.learner import plugin_options
    from portfolio_gen.config import parse_plugin_options

    mkdocs, options = plugin_options(folder)
    config = parse_plugin_options(options, project_dir=folder, source=str(mkdocs))
    return {str(p): _file_digest(p) for p in (*paths, config.profile)}


def stats_deps(cache: ReportCache, setup: LearnerSetup, settings: PoolSettings) -> dict[str, str]:
    """The documents the learner's reports depend on (from its learner entry)."""
    options = VerifyOptions(identities=setup.profile.identifiers,
                            strict_recipient=setup.config.strict_recipient,
                            strict=settings.strict or setup.config.strict,
                            registries=settings.registries)
    files = badge_file_digests(setup.config.badges_dir) if setup.config.badges_dir.is_dir() else []
    key = sha256_hex("learner", _policy(settings, options), *(f"{s}\0{d}" for s, d in files))
    entry = cache.get("learners", key)
    return dict(entry.get("deps", {})) if entry else {"": "unknown"}


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _walk_digest(root: Path) -> str:
    if not root.is_dir():
        return "missing"
    return sha256_hex(*(f"{s}\0{d}" for s, d in badge_file_digests(root)))


def learner_reports(task: LearnerTask, setup: LearnerSetup, settings: PoolSettings,
                    fetcher: Fetcher) -> tuple[list[VerificationReport], WorkerStats]:
    """The learner's reports in ingest order, from the cache when inputs are unchanged.

    Credentials go through the shared :class:`CachedVerifier`; the cohort adds only a
    per-learner memo (``learners`` entries: badge file digests → item keys and every
    document the reports depend on), so an unchanged learner needs no ingest at all.
    """
    config = setup.config
    options = VerifyOptions(identities=setup.profile.identifiers,
                            strict_recipient=config.strict_recipient,
                            strict=settings.strict or config.strict,
                            registries=settings.registries)
    ctx = VerifyContext(fetcher=fetcher, now=settings.now, options=options)
    if not config.badges_dir.is_dir():
        return [], WorkerStats()
    cache = ReportCache(settings.cache_dir) if settings.cache_dir is not None else None
    policy = _policy(settings, options)
    verifier = CachedVerifier(cache or ReportCache(None), salt=policy)
    files = badge_file_digests(config.badges_dir)
    learner_key = sha256_hex("learner", policy, *(f"{s}\0{d}" for s, d in files))
    if cache is not None:
        hit = _learner_hit(cache, verifier, learner_key, fetcher)
        if hit is not None:
            return hit, WorkerStats(learner_hit=True, item_hits=len(hit))
    reports, item_keys, all_deps = [], [], []
    items = list(read_paths([config.badges_dir]))
    if cache is not None:
        verifier.prefetch(items, ctx)
    for item in items:
        report, item_key, deps = verifier.verify_entry(item, ctx)
        reports.append(report)
        item_keys.append(item_key)
        all_deps.append(deps)
    if cache is not None:
        cache.put("learners", learner_key, {"deps": merge_deps(all_deps), "items": item_keys})
    return reports, WorkerStats(verify_calls=verifier.misses, item_hits=verifier.hits)


def _learner_hit(cache: ReportCache, verifier: CachedVerifier, key: str,
                 fetcher: Fetcher) -> list[VerificationReport] | None:
    """Every report of the learner memo ``key``, when the documents they used are unchanged."""
    entry = cache.get("learners", key)
    deps, items = (entry or {}).get("deps"), (entry or {}).get("items")
    if not isinstance(deps, dict) or not isinstance(items, list):
        return None
    if not deps_still_valid(deps, fetcher):
        return None
    reports = []
    verifier.prefetch_keys(str(k) for k in items)
    for item_key in items:
        found = verifier.stored(str(item_key))
        if found is None:
            return None
        reports.append(found[1])
    return reports


def badge_file_digests(root: Path) -> list[tuple[str, str]]:
    """``(source, sha256)`` of every file ingest's directory walk would read, in order."""
    found: list[tuple[str, ...]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel = Path(dirpath).relative_to(root).parts
        found.extend((*rel, name) for name in filenames if not name.startswith("."))
    out = []
    for parts in sorted(found):
        path = root.joinpath(*parts)
        try:
            # a link out of the folder is never read (ingest reports it), only named
            digest = ("outside:" + os.readlink(path) if link_leaves(path, root)
                      else hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:
            digest = "unreadable"
        out.append((os.path.join(str(root), *parts), digest))
    return out


def _policy(settings: PoolSettings, options: VerifyOptions) -> str:
    return json.dumps({"code": settings.code_version, "now": settings.now.isoformat(),
                       "offline": settings.offline, "identities": sorted(options.identities),
                       "strict_recipient": options.strict_recipient,
                       # the cohort's strict covers the summary key (built without options)
                       "strict": options.strict or settings.strict,
                       "clock_skew": options.clock_skew.total_seconds(),
                       "registries": registries_digest(settings.registries)}, sort_keys=True)


def learner_fetcher(settings: PoolSettings, setup: LearnerSetup) -> Fetcher:
    from portfolio_gen.net.store import make_fetcher

    pins = setup.config.pins_dir
    cache: Path | Literal[False] = settings.fetch_cache_dir or False
    return make_fetcher(offline=settings.offline, pins=pins if pins.is_dir() else None,
                        cache_dir=cache,
                        allow_hosts=settings.allow_hosts, ca_bundle=settings.ca_bundle)


def reports_digest(reports: Iterable[VerificationReport]) -> str:
    """A digest of everything in the reports except when they were checked."""
    blob = [{k: v for k, v in report_to_cache_dict(r).items() if k != "checked_at"}
            for r in reports]
    return hashlib.sha256(json.dumps(blob, sort_keys=True).encode()).hexdigest()


# -- the pool ------------------------------------------------------------------------------

class ApplyAsyncExecutor(Executor):
    """A ``concurrent.futures.Executor`` over a ``multiprocessing.Pool``-like object
    (``ray.util.multiprocessing.Pool``, ``multiprocessing.Pool``); the caller owns the
    pool and closes it."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()
        self.pool.apply_async(fn, args, kwargs, callback=future.set_result,
                              error_callback=future.set_exception)
        return future


def default_executor() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=os.cpu_count() or 1)


def verify_cohort(tasks: Iterable[LearnerTask], settings: PoolSettings,
                  executor: Executor | None = None, *,
                  window: int | None = None) -> Iterator[LearnerResult]:
    """Results in task order, at most ``window`` tasks in flight (default 4 per core).

    ``executor=None`` makes (and shuts down) a process pool with every core.
    """
    yield from ordered_map(partial(process_learner, settings=settings), tasks, executor,
                           window=window)


def ordered_map(fn: Callable[[T], R], items: Iterable[T], executor: Executor | None = None,
                *, window: int | None = None) -> Iterator[R]:
    """``fn`` over ``items`` on ``executor``, results in order, at most ``window`` in flight
    (default 4 per core), so the caller holds a few results, not the cohort's.

    ``executor=None`` makes (and shuts down) a process pool with every core.
    """
    own = executor is None
    pool: Executor = default_executor() if executor is None else executor
    limit = max(1, window if window is not None else 4 * (os.cpu_count() or 1))
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
