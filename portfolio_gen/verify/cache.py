"""Content-addressed verification cache: an unchanged credential is not verified again.

A verification outcome depends on the credential file's bytes, on every document
verification fetched (keys, issuer profiles, status lists: pinned or live), on the
policy (the exact ``now``, identities, strictness, clock skew) and on the code. Fetched
documents are only known after verifying, so an entry is found by a *lookup key* —
SHA-256 of code version, policy, source and file bytes — and then *validated*: it records
the digest of every document it used, and is a hit only if fetching those URLs again
(from the run's memo, pins or cache: no new network traffic for a pinned build) yields
the same digests. The validated entry's identity is therefore SHA-256(file bytes +
document bytes + policy + code). Entries are JSON files ``<root>/<kind>/<k[:2]>/<k>.json``
written atomically; a damaged entry is a miss. Used by single-portfolio builds, cohort
builds and ``benchmarks/verify.py``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from portfolio_gen import __version__
from portfolio_gen.errors import FetchError
from portfolio_gen.ingest.raw import IngestProblem, RawCredential
from portfolio_gen.net.fetch import DEFAULT_MAX_BYTES, STATUS_LIST_MAX_BYTES, Fetcher, FetchResult
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.registry import registries_digest
from portfolio_gen.verify.report import VerificationReport
from portfolio_gen.verify.report_json import FORMAT, report_from_dict, report_to_cache_dict

Deps = dict[str, str]


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


def content_key(lookup_key: str, deps: Mapping[str, str]) -> str:
    """The content address of a validated entry: lookup key plus every document digest."""
    return sha256_hex(lookup_key, *(f"{k}={v}" for k, v in sorted(deps.items())))


class ReportCache:
    """JSON entries under ``root`` (or in memory when ``root`` is None).

    Reading never raises: damage means "not cached".
    """

    def __init__(self, root: Path | None) -> None:
        self.root = Path(root) if root is not None else None
        self._memory: dict[tuple[str, str], dict[str, Any]] = {}

    def _path(self, kind: str, key: str) -> str:
        assert self.root is not None
        return os.path.join(self.root, kind, key[:2], key + ".json")

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        if self.root is None:
            return self._memory.get((kind, key))
        try:
            with open(self._path(kind, key), "rb") as handle:
                data = json.loads(handle.read())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return data

    def put(self, kind: str, key: str, entry: Mapping[str, Any]) -> None:
        if self.root is None:
            self._memory[(kind, key)] = {**entry, "key": key}
            return
        path = Path(self._path(kind, key))
        with contextlib.suppress(OSError):  # a cache that cannot be written is no cache
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(json.dumps({**entry, "key": key}, separators=(",", ":"),
                                         ensure_ascii=False).encode("utf-8"))
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise


def merge_deps(many: Iterable[Mapping[str, str]]) -> Deps:
    out: Deps = {}
    for deps in many:
        out.update(deps)
    return out


_PKG = Path(__file__).resolve().parent.parent
#: The package parts a verification report depends on.
VERIFY_SOURCES = ("ingest", "verify", "net", "encoding.py", "errors.py")


@functools.cache
def source_digest(parts: tuple[str, ...]) -> str:
    """Package version plus a digest of every file under ``parts`` (package-relative).

    Cache keys include it, so editing the code (a development install) invalidates entries
    even when the version number did not change.
    """
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        root = _PKG / part
        files = [root] if root.is_file() else sorted(
            p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            h.update(path.relative_to(_PKG).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def policy_digest(ctx: VerifyContext) -> str:
    """Everything besides the credential and fetched documents that can change a report."""
    opts = ctx.options
    return sha256_hex(f"{source_digest(VERIFY_SOURCES)} report-format {FORMAT}",
                      ctx.now.isoformat(), "\n".join(sorted(opts.identities)),
                      str(opts.strict_recipient), f"strict:{opts.strict}",
                      str(opts.clock_skew.total_seconds()),
                      f"registries:{registries_digest(opts.registries)}",
                      "contexts:default" if ctx.contexts is None
                      else f"contexts:{id(ctx.contexts)}")


class CachedVerifier:
    """``verify_item`` behind a :class:`ReportCache`; counts hits and misses.

    Entries read or written in this process are also kept as objects, so a repeated
    lookup costs a hash of the file and the dependency check, not a JSON parse.
    """

    def __init__(self, cache: ReportCache) -> None:
        self.cache = cache
        self.hits = 0
        self.misses = 0
        self._live: dict[str, tuple[Deps, VerificationReport]] = {}
        self._policy: tuple[VerifyContext, str] | None = None

    def _policy_digest(self, ctx: VerifyContext) -> str:
        if self._policy is None or self._policy[0] is not ctx:
            self._policy = (ctx, policy_digest(ctx))
        return self._policy[1]

    def _lookup(self, key: str) -> tuple[Deps, VerificationReport] | None:
        if key in self._live:
            return self._live[key]
        entry = self.cache.get("item", key)
        if entry is None or not isinstance(entry.get("deps"), dict):
            return None
        try:
            report = report_from_dict(entry["report"])
        except (KeyError, TypeError, ValueError):
            return None
        found = ({str(k): str(v) for k, v in entry["deps"].items()}, report)
        self._live[key] = found
        return found

    def verify(self, item: RawCredential | IngestProblem,
               ctx: VerifyContext) -> VerificationReport:
        from portfolio_gen.verify.pipeline import verify_item

        content = (item.file_bytes or item.payload) if isinstance(item, RawCredential) else (
            f"{item.code}\n{item.reason}".encode())
        around = (item.presentation.payload if isinstance(item, RawCredential)
                  and item.presentation is not None else b"")  # the holder's proof
        key = sha256_hex("item", self._policy_digest(ctx), item.source, content, around)
        found = self._lookup(key)
        if found is not None and deps_still_valid(found[0], ctx.fetcher):
            self.hits += 1
            return found[1]
        self.misses += 1
        recorder = RecordingFetcher(ctx.fetcher)
        report = verify_item(item, replace(ctx, fetcher=recorder))
        self.cache.put("item", key, {"deps": recorder.deps,
                                     "report": report_to_cache_dict(report)})
        self._live[key] = (dict(recorder.deps), report)
        return report
