"""Content-addressed verification cache: an unchanged credential is not verified again.

A verification outcome depends on the credential file's bytes, on every document
verification fetched (keys, issuer profiles, status lists: pinned or live), on the
policy (the exact ``now``, identities, strictness, clock skew, JSON-LD contexts) and on
the code. Fetched documents are only known after verifying, so an entry is found by a
*lookup key* — SHA-256 of :func:`code_digest`, policy, source and file bytes — and then
*validated*: it records the digest of every document it used, and is a hit only if
fetching those URLs again (from the run's memo, pins or cache: no new network traffic for
a pinned build) yields the same digests, so a revocation published since is never hidden.

One cache serves the single-portfolio build, the cohort build (which adds a per-learner
memo on top, :mod:`portfolio_gen.cohort.verify_pool`) and ``benchmarks/verify.py``.
Entries live in ONE SQLite database per cache folder (``<root>/verify-cache.sqlite3``,
WAL mode): a rebuild hit is one indexed row read, not one JSON file opened per
credential. Every process (and thread) opens its own connection; writes are single-row
autocommit transactions and a busy timeout waits out other writers, so pool workers and
concurrent builds may share a folder. A cache that cannot be opened, read or written is
no cache (misses), never an error.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson

from portfolio_gen import __version__, theme
from portfolio_gen.errors import FetchError
from portfolio_gen.ingest.raw import IngestProblem, RawCredential
from portfolio_gen.net.fetch import DEFAULT_MAX_BYTES, STATUS_LIST_MAX_BYTES, Fetcher, FetchResult
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.registry import registries_digest
from portfolio_gen.verify.report import Check, VerificationReport
from portfolio_gen.verify.report_json import (
    FORMAT,
    check_from_dict,
    report_from_dict,
    report_to_cache_dict,
)

Deps = dict[str, str]
DB_NAME = "verify-cache.sqlite3"
#: The form of an entry (part of every key, so another form is never read as this one).
ENTRY_FORMAT = 2
#: Seconds a connection waits for another process's write before giving up (a miss).
BUSY_TIMEOUT = 30.0


def sha256_hex(*parts: bytes | str) -> str:
    """SHA-256 over length-prefixed parts (so part boundaries cannot be forged)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def result_digest(result: FetchResult) -> str:
    """What of a fetched document can change a report: status, type, body, pin note."""
    return sha256_hex(str(result.status), result.content_type, result.body, result.origin,
                      result.note)


class RecordingFetcher:
    """Passes fetches through and records ``url\naccept`` → digest (or ``error:<code>``)."""

    def __init__(self, inner: Fetcher) -> None:
        self.inner = inner
        self.deps: Deps = {}

    def fetch(self, url: str, *, accept: str = "application/json",
              max_bytes: int = DEFAULT_MAX_BYTES) -> FetchResult:
        key = f"{url}\n{accept}"
        try:
            result = self.inner.fetch(url, accept=accept, max_bytes=max_bytes)
        except FetchError as exc:
            self.deps[key] = f"error:{exc.code}"
            raise
        self.deps[key] = result_digest(result)
        return result


def deps_still_valid(deps: Mapping[str, str], fetcher: Fetcher) -> bool:
    """True when every recorded document fetches to the same digest now."""
    for key, digest in sorted(deps.items()):
        url, _, accept = key.partition("\n")
        try:
            now = result_digest(fetcher.fetch(url, accept=accept,
                                              max_bytes=STATUS_LIST_MAX_BYTES))
        except FetchError as exc:
            now = f"error:{exc.code}"
        if now != digest:
            return False
    return True


def merge_deps(many: Iterable[Mapping[str, str]]) -> Deps:
    out: Deps = {}
    for deps in many:
        out.update(deps)
    return out


# -- the code's identity ---------------------------------------------------------------------

_PKG = Path(__file__).resolve().parent.parent
#: ``verify.ob3.jsonld.BUNDLE_DIR``, named here so digesting the code imports no JSON-LD.
CONTEXTS_DIR = _PKG / "verify" / "ob3" / "contexts"


def _files_digest(files: Iterable[Path]) -> str:
    h = hashlib.sha256(__version__.encode())
    for path in sorted(files):
        h.update(path.relative_to(_PKG).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _package_files() -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(_PKG):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.extend(Path(folder, name) for name in files)
    return found


@functools.cache
def code_digest() -> str:
    """Version plus every ``.py`` file of the package plus the bundled JSON-LD contexts.

    Verification cache keys include it, so editing the code (a development install)
    invalidates entries even when the version number did not change; found by walking
    the package, so no list of files needs keeping.
    """
    return _files_digest(p for p in _package_files()
                         if p.suffix == ".py" or p.is_relative_to(CONTEXTS_DIR))


@functools.cache
def package_digest() -> str:
    """:func:`code_digest` widened to every file the package ships and to our theme
    (templates, CSS/JS, fonts; ``themes/portfolio/`` wherever it lies): the key of
    anything rendered."""
    root = theme.builtin()
    h = hashlib.sha256(_files_digest(_package_files()).encode())
    for path in theme.builtin_files():
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def contexts_digest(store: Any) -> str:
    """A caller's JSON-LD context store by content (URL, variant, pinned SHA-256)."""
    if store is None:
        return "default"
    pinned = sorted(f"{c.url}\0{c.variant}\0{c.sha256}" for c in store.contexts())
    return sha256_hex(*pinned)


def policy_digest(ctx: VerifyContext) -> str:
    """Everything besides the credential and fetched documents that can change a report."""
    opts = ctx.options
    return sha256_hex(f"{code_digest()} report-format {FORMAT} entry-format {ENTRY_FORMAT}",
                      ctx.now.isoformat(), "\n".join(sorted(opts.identities)),
                      str(opts.strict_recipient), f"strict:{opts.strict}",
                      str(opts.clock_skew.total_seconds()),
                      f"registries:{registries_digest(opts.registries)}",
                      f"contexts:{contexts_digest(ctx.contexts)}")


# -- the store -------------------------------------------------------------------------------

_SCHEMA = ("CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, "
           "value BLOB NOT NULL, PRIMARY KEY (kind, key))")
_SELECT = "SELECT value FROM entries WHERE kind = ? AND key = ?"
#: Open connections by (database, process, thread): each process and thread its own; at
#: most ``_PER_THREAD`` per thread (the least recently used is closed), so a process that
#: builds many cohorts does not keep every database open.
_CONNECTIONS: OrderedDict[tuple[str, int, int], sqlite3.Connection] = OrderedDict()
_CONNECTIONS_LOCK = threading.Lock()
_PER_THREAD = 8


def _connect(path: Path) -> sqlite3.Connection | None:
    """This process's and thread's connection to ``path`` (created on first use)."""
    slot = (str(path), os.getpid(), threading.get_ident())
    with _CONNECTIONS_LOCK:
        conn = _CONNECTIONS.get(slot)
        if conn is not None:
            _CONNECTIONS.move_to_end(slot)
            return conn
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        conn.execute("PRAGMA page_size = 16384")   # before the table: an entry on one page
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA mmap_size = 268435456")   # reads without a copy per page
        conn.execute(_SCHEMA)
    except (OSError, sqlite3.Error):
        return None
    with _CONNECTIONS_LOCK:
        _CONNECTIONS[slot] = conn
        mine = [s for s in _CONNECTIONS if s[1:] == slot[1:]]   # this thread's, oldest first
        for old in mine[:-_PER_THREAD]:
            _CONNECTIONS.pop(old).close()
    return conn


def _encode(entry: Mapping[str, Any]) -> bytes | None:
    """JSON text, tagged ``o`` when orjson reads it back exactly (no integer beyond 64
    bits), else ``j``; None for what JSON cannot hold (NaN, infinity)."""
    try:
        text = json.dumps(entry, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    return (b"j" if _has_big_int(entry) else b"o") + text.encode("ascii")


def _has_big_int(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_has_big_int(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_big_int(v) for v in value)
    return isinstance(value, int) and not -(2**63) <= value < 2**64


def _loads(text: bytes | str) -> Any:
    """orjson (fast) for JSON it reads exactly; the caller knows there is no big integer."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:   # e.g. an escaped lone surrogate: the stdlib reads it
        return json.loads(text)


def _decode(blob: bytes) -> Any:
    if not isinstance(blob, bytes):
        raise ValueError("not an entry")
    if blob[:1] == b"o":
        return _loads(blob[1:])
    if blob[:1] == b"j":
        return json.loads(blob[1:])
    raise ValueError("unknown entry encoding")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while many acyclic containers are made (a third of a
    rebuild's read time went to collections that found nothing)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# -- reports in entries: checks as JSON texts, shared ------------------------------------------
# A build's reports repeat most checks word for word (the same issuer's key, the same passes),
# so each check is stored as its own JSON text and a process turns each distinct text into a
# Check once: a rebuild hit parses little more than the credential document.

_CHECKS: dict[str, Check] = {}
_CHECKS_MAX = 50_000


def _pack(report: VerificationReport) -> dict[str, Any]:
    return _pack_dict(report_to_cache_dict(report))


def _pack_dict(data: dict[str, Any]) -> dict[str, Any]:
    checks = [c if _has_big_int(c) else json.dumps(c, separators=(",", ":"), allow_nan=False)
              for c in data["checks"]]
    return {**data, "checks": checks, "nested": [_pack_dict(n) for n in data["nested"]]}


def _check_from_entry(value: Any) -> Check:
    if not isinstance(value, str):
        return check_from_dict(value)
    check = check_from_dict(_loads(value))
    if len(_CHECKS) >= _CHECKS_MAX:
        _CHECKS.clear()
    _CHECKS[value] = check
    return check


def _unpack(data: Mapping[str, Any]) -> VerificationReport:
    memo = _CHECKS
    checks = [memo.get(c) or _check_from_entry(c) if isinstance(c, str)
              else check_from_dict(c) for c in data["checks"]]
    nested = [_unpack(n) for n in data.get("nested", ())]
    return report_from_dict({**data, "checks": checks, "nested": nested})


class ReportCache:
    """Entries by (kind, key) in ``<root>/verify-cache.sqlite3`` (in memory when ``root``
    is None). Reading never raises: damage means "not cached"; a failed write is
    dropped. Picklable (a connection is opened where it is used)."""

    def __init__(self, root: Path | None) -> None:
        self.root = Path(root) if root is not None else None
        self._memory: dict[tuple[str, str], dict[str, Any]] = {}
        self._path = self.root / DB_NAME if self.root is not None else None

    @property
    def path(self) -> Path | None:
        return self._path

    def _conn(self) -> sqlite3.Connection | None:
        assert self._path is not None
        return _connect(self._path)   # this process's and thread's own

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        if self._path is None:
            return self._memory.get((kind, key))
        conn = self._conn()
        if conn is None:
            return None
        try:
            row = conn.execute(_SELECT, (kind, key)).fetchone()
            data = _decode(row[0]) if row is not None else None
        except (sqlite3.Error, ValueError, TypeError):
            return None
        return data if isinstance(data, dict) else None

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The entries found among ``keys``, read in a few statements (a build's prefetch)."""
        wanted = list(dict.fromkeys(keys))
        if self._path is None:
            return {k: e for k in wanted if (e := self._memory.get((kind, k))) is not None}
        conn = self._conn()
        out: dict[str, dict[str, Any]] = {}
        if conn is None:
            return out
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = conn.execute(f"SELECT key, value FROM entries WHERE kind = ? AND key IN "
                                    f"({marks})", (kind, *chunk)).fetchall()
            except sqlite3.Error:
                return out
            with _collector_paused():   # decoded JSON holds no cycles: nothing to collect
                for key, blob in rows:
                    with contextlib.suppress(ValueError, TypeError):
                        data = _decode(blob)
                        if isinstance(data, dict):
                            out[key] = data
        return out

    def put(self, kind: str, key: str, entry: Mapping[str, Any]) -> None:
        if self.path is None:
            self._memory[(kind, key)] = dict(entry)
            return
        blob = _encode(entry)
        conn = self._conn() if blob is not None else None
        if conn is None:
            return
        with contextlib.suppress(sqlite3.Error):   # a cache that cannot be written is no cache
            conn.execute("INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)",
                         (kind, key, blob))


# -- the verifier ----------------------------------------------------------------------------

class CachedVerifier:
    """``verify_item`` behind a :class:`ReportCache`; counts hits and misses.

    ``salt`` joins every lookup key (the cohort passes its pool policy). Entries read or
    written in this process are also kept as objects, so a repeated lookup costs a hash
    of the file and the dependency check, not a parse.
    """

    def __init__(self, cache: ReportCache, *, salt: str = "") -> None:
        self.cache = cache
        self.salt = salt
        self.hits = 0
        self.misses = 0
        self._live: dict[str, tuple[Deps, VerificationReport]] = {}
        self._policy: tuple[VerifyContext, str] | None = None
        #: id(item) → (item, ctx, key): a build asks for each key twice (prefetch, verify)
        self._keys: dict[int, tuple[object, VerifyContext, str]] = {}

    def _policy_digest(self, ctx: VerifyContext) -> str:
        if self._policy is None or self._policy[0] is not ctx:
            self._policy = (ctx, policy_digest(ctx))
        return self._policy[1]

    def item_key(self, item: RawCredential | IngestProblem, ctx: VerifyContext) -> str:
        """The lookup key: policy, code, salt, source, file bytes, the holder's proof."""
        memo = self._keys.get(id(item))
        if memo is not None and memo[0] is item and memo[1] is ctx:
            return memo[2]
        content = (item.file_bytes or item.payload) if isinstance(item, RawCredential) else (
            f"{item.code}\n{item.reason}".encode())
        around = (item.presentation.payload if isinstance(item, RawCredential)
                  and item.presentation is not None else b"")  # the holder's proof
        key = sha256_hex("item", self._policy_digest(ctx), self.salt, item.source, content,
                         around)
        self._keys[id(item)] = (item, ctx, key)
        return key

    def prefetch(self, items: Iterable[RawCredential | IngestProblem],
                 ctx: VerifyContext) -> None:
        """Read the entries of ``items`` at once (a build knows its credentials up front)."""
        self.prefetch_keys(self.item_key(item, ctx) for item in items)

    def prefetch_keys(self, keys: Iterable[str]) -> None:
        entries = self.cache.get_many("item", (k for k in keys if k not in self._live))
        with _collector_paused():   # many acyclic objects made at once
            for key, entry in entries.items():
                self._load(key, entry)

    def stored(self, key: str) -> tuple[Deps, VerificationReport] | None:
        """The entry under ``key`` as it is, NOT revalidated (the caller checks deps)."""
        if key in self._live:
            return self._live[key]
        return self._load(key, self.cache.get("item", key))

    def _load(self, key: str, entry: dict[str, Any] | None
              ) -> tuple[Deps, VerificationReport] | None:
        if entry is None or not isinstance(entry.get("deps"), dict):
            return None
        try:
            report = _unpack(entry["report"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        found = ({str(k): str(v) for k, v in entry["deps"].items()}, report)
        self._live[key] = found
        return found

    def verify(self, item: RawCredential | IngestProblem,
               ctx: VerifyContext) -> VerificationReport:
        return self.verify_entry(item, ctx)[0]

    def verify_entry(self, item: RawCredential | IngestProblem,
                     ctx: VerifyContext) -> tuple[VerificationReport, str, Deps]:
        """The report, its lookup key and the documents it depends on."""
        key = self.item_key(item, ctx)
        found = self.stored(key)
        if found is not None and deps_still_valid(found[0], ctx.fetcher):
            self.hits += 1
            return found[1], key, found[0]
        from portfolio_gen.verify.pipeline import verify_item  # not imported by a rebuild

        self.misses += 1
        recorder = RecordingFetcher(ctx.fetcher)
        report = verify_item(item, replace(ctx, fetcher=recorder))
        try:
            packed = _pack(report)
        except ValueError:   # NaN or infinity in a document: not JSON, not cached
            pass
        else:
            self.cache.put("item", key, {"deps": recorder.deps, "report": packed})
        self._live[key] = (dict(recorder.deps), report)
        return report, key, dict(recorder.deps)
