"""Pinned documents, the on-disk cache, and the online/offline fetch policy.

A static site is built once and read for years, so verification must work
without the network: ``portfolio-gen pin`` stores the documents a badge needs
(issuer, keys, revocation lists) in a folder the learner can commit. Online,
the live answer wins and good answers are cached; when the live fetch fails,
a pinned or cached copy stands in, and the result's ``note`` carries its date
so an old revocation list is never mistaken for a current one (§7.1, §1.3).

Folder shape (pins and cache alike): ``index.json`` mapping URL → ``{file,
sha256, content_type, status, fetched_at, final_url}``, plus one body file per
URL named by a hash of the URL. Bodies are checked against their SHA-256 on
every read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from portfolio_gen.errors import ConfigError
from portfolio_gen.net.fetch import (
    DEFAULT_MAX_BYTES,
    STATUS_LIST_MAX_BYTES,
    Fetcher,
    FetchError,
    FetchResult,
    Origin,
)

INDEX = "index.json"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_BODY_NAME = re.compile(r"^[0-9a-f]{32,64}\.(json|bin)$")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears more than once")
        out[key] = value
    return out


def _storable(status: int) -> bool:
    """2xx answers and 410 Gone (a revoked hosted badge) are worth keeping."""
    return 200 <= status < 300 or status == 410


def iso_z(moment: datetime) -> str:
    """``2026-11-01T10:00:00Z``: the form stored and shown in notes."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class _Entry:
    file: str
    sha256: str
    content_type: str
    status: int
    fetched_at: datetime
    final_url: str

    @classmethod
    def parse(cls, url: str, raw: Any) -> _Entry:
        """Validates one index record; a file name can never leave the folder."""
        if not isinstance(raw, dict):
            raise ValueError("record is not an object")
        file, digest = raw.get("file"), raw.get("sha256")
        if not isinstance(file, str) or not _BODY_NAME.match(file):
            raise ValueError(f"bad body file name {file!r}")
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise ValueError("bad sha256")
        status = raw.get("status")
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
            raise ValueError("bad status")
        stamp = datetime.fromisoformat(str(raw.get("fetched_at")))
        if stamp.tzinfo is None:
            raise ValueError("fetched_at has no time zone")
        return cls(file, digest, str(raw.get("content_type", "")), status, stamp,
                   str(raw.get("final_url", url)))

    def dump(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "content_type": self.content_type,
                "status": self.status, "fetched_at": iso_z(self.fetched_at),
                "final_url": self.final_url}


class _DocumentFolder:
    """URL → stored response, with an index and hash-checked body files."""

    origin: Origin
    label: str

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._index: dict[str, Any] | None = None

    # -- reading -----------------------------------------------------------------------------
    def urls(self) -> list[str]:
        with self._lock:
            return sorted(self._load())

    def get(self, url: str) -> FetchResult | None:
        """The stored copy, or ``None`` when there is none; a damaged copy is refused."""
        with self._lock:
            raw = self._load().get(url)
        if raw is None:
            return None
        try:
            entry = _Entry.parse(url, raw)
        except (ValueError, TypeError) as exc:
            return self._damaged(url, f"its index record is invalid ({exc})")
        try:
            body = (self.folder / entry.file).read_bytes()
        except OSError:
            return self._damaged(url, f"its body file {entry.file} cannot be read")
        if hashlib.sha256(body).hexdigest() != entry.sha256:
            return self._damaged(url, f"{entry.file} does not match its recorded SHA-256")
        return FetchResult(url, entry.final_url, entry.status, entry.content_type, body,
                           entry.fetched_at, self.origin)

    def _damaged(self, url: str, why: str) -> FetchResult | None:
        raise FetchError(url, f"{self.label} in {self.folder} refused: {why}", "tampered")

    def _load(self) -> dict[str, Any]:
        if self._index is None:
            self._index = self._read_index()
        return self._index

    def _read_index(self) -> dict[str, Any]:
        path = self.folder / INDEX
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            return self._bad_index(path, str(exc))
        try:  # a URL listed twice would leave which pin counts up to the JSON reader
            data = json.loads(body, object_pairs_hook=_unique_keys)
        except ValueError as exc:
            return self._bad_index(path, str(exc))
        if not isinstance(data, dict):
            return self._bad_index(path, "not a JSON object")
        return data

    def _bad_index(self, path: Path, why: str) -> dict[str, Any]:
        raise ConfigError(f"{path}: cannot read the {self.label} index ({why})")

    # -- writing -----------------------------------------------------------------------------
    def put(self, result: FetchResult) -> None:
        """Store ``result`` under ``result.url`` (body first, then the index, each atomically)."""
        name = hashlib.sha256(result.url.encode("utf-8")).hexdigest()[:40]
        ext = "json" if "json" in result.content_type.lower() else "bin"
        entry = _Entry(f"{name}.{ext}", hashlib.sha256(result.body).hexdigest(),
                       result.content_type, result.status, result.fetched_at, result.final_url)
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.folder / entry.file, result.body)
            index = dict(self._load())
            index[result.url] = entry.dump()
            _atomic_write(self.folder / INDEX,
                          json.dumps(index, indent=2, sort_keys=True).encode("utf-8") + b"\n")
            self._index = index


class PinStore(_DocumentFolder):
    """Documents the learner chose to keep; a damaged pin is an error, never skipped."""

    origin: Origin = "pinned"
    label = "pinned copy"


class DiskCache(_DocumentFolder):
    """Disposable copies of earlier live answers; damage just means "not cached"."""

    origin: Origin = "cache"
    label = "cached copy"

    def _damaged(self, url: str, why: str) -> FetchResult | None:
        return None

    def _bad_index(self, path: Path, why: str) -> dict[str, Any]:
        return {}


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/portfolio-gen``, else ``~/.cache/portfolio-gen`` (XDG: relative
    values are ignored)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "portfolio-gen"


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class _Slot:
    """One memoised fetch; later callers wait for the first one's outcome."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.done = threading.Event()
        self.result: FetchResult | None = None
        self.error: FetchError | None = None


class LayeredFetcher:
    """Live → pinned → cached, once per URL per run (see the module docstring).

    Online (``live`` given): a live answer below 500 is authoritative (2xx and 410
    are cached); a failed fetch or a 5xx falls back to the pinned, then the cached
    copy, with a dated ``note``. Offline (``live`` is ``None``): pinned copies only.
    A URL is fetched once per instance (the first caller's ``accept`` is used);
    concurrent callers of the same URL wait for that one fetch.
    """

    def __init__(self, live: Fetcher | None, pins: PinStore | None = None,
                 cache: DiskCache | None = None) -> None:
        self.live = live
        self.pins = pins
        self.cache = cache
        self._lock = threading.Lock()
        self._slots: dict[str, _Slot] = {}

    def fetch(self, url: str, *, accept: str = "application/json",
              max_bytes: int = DEFAULT_MAX_BYTES) -> FetchResult:
        with self._lock:
            slot = self._slots.get(url)
            first = slot is None or _needs_retry(slot, max_bytes)
            if first:
                slot = self._slots[url] = _Slot(max_bytes)
        assert slot is not None
        if first:
            try:
                slot.result = self._resolve(url, accept, max_bytes)
            except FetchError as exc:
                slot.error = exc
            except BaseException:  # a program fault: forget the slot so nobody reuses it
                with self._lock:
                    self._slots.pop(url, None)
                raise
            finally:
                slot.done.set()
        else:
            slot.done.wait()
        if slot.error is not None:
            raise slot.error
        if slot.result is None:
            raise RuntimeError(f"the first fetch of {url} failed with a program error")
        if len(slot.result.body) > max_bytes:
            raise FetchError(url, f"response larger than {max_bytes} bytes", "too_large")
        return slot.result

    def _resolve(self, url: str, accept: str, max_bytes: int) -> FetchResult:
        if self.live is None:
            pinned = self.pins.get(url) if self.pins is not None else None
            if pinned is None:
                raise FetchError(url, "offline mode and no pinned copy of this document",
                                 "offline")
            return _with_note(pinned, f"offline; using pinned copy from "
                                      f"{iso_z(pinned.fetched_at)}")
        try:
            result = self.live.fetch(url, accept=accept, max_bytes=max_bytes)
        except FetchError as exc:
            return self._fall_back(url, f"{exc.code}: {exc.reason}", exc, None)
        if result.status >= 500:
            return self._fall_back(url, f"HTTP {result.status}", None, result)
        if self.cache is not None and _storable(result.status):
            with contextlib.suppress(OSError):  # a cache that cannot be written is no cache
                self.cache.put(result)
        return result

    def _fall_back(self, url: str, why: str, error: FetchError | None,
                   answer: FetchResult | None) -> FetchResult:
        """Pinned, then cached copy; otherwise the live outcome itself."""
        refused = ""
        for store in (self.pins, self.cache):
            if store is None:
                continue
            try:
                copy = store.get(url)
            except FetchError as exc:
                refused = f"; {exc.reason}"
                continue
            if copy is not None:
                return _with_note(copy, f"live fetch failed ({why}); using {store.label} "
                                        f"from {iso_z(copy.fetched_at)}")
        if answer is not None:
            return answer
        assert error is not None
        if refused:
            raise FetchError(url, error.reason + refused, error.code) from error
        raise error


def _needs_retry(slot: _Slot, max_bytes: int) -> bool:
    """Only a finished "too large" outcome under a smaller cap is worth fetching again."""
    return (slot.done.is_set() and slot.error is not None and slot.error.code == "too_large"
            and max_bytes > slot.max_bytes)


def _with_note(result: FetchResult, note: str) -> FetchResult:
    return FetchResult(result.url, result.final_url, result.status, result.content_type,
                       result.body, result.fetched_at, result.origin, note)


def make_fetcher(*, offline: bool, pins: Path | None = None,
                 cache_dir: Path | Literal[False] | None = None,
                 allow_hosts: Iterable[str] = (), ca_bundle: str | Path | None = None,
                 ) -> LayeredFetcher:
    """The CLI's fetcher. ``cache_dir``: ``None`` = default folder, ``False`` = no cache;
    offline ignores the cache and never opens a socket."""
    if pins is not None and pins.exists() and not pins.is_dir():
        raise ConfigError(f"{pins}: the pins location must be a folder")
    pin_store = PinStore(pins) if pins is not None else None
    if offline:
        return LayeredFetcher(None, pin_store, None)
    from portfolio_gen.net.http import GuardedHttpFetcher

    cache = None
    if cache_dir is not False:
        cache = DiskCache(default_cache_dir() if cache_dir is None else cache_dir)
    live = GuardedHttpFetcher(allow_hosts=allow_hosts, ca_bundle=ca_bundle)
    return LayeredFetcher(live, pin_store, cache)


def pin_urls(urls: Iterable[str], live: Fetcher, pins: PinStore, *,
             accept: str = "application/json", max_bytes: int = STATUS_LIST_MAX_BYTES,
             ) -> list[tuple[str, FetchResult | FetchError]]:
    """Fetch each URL once and pin 2xx and 410 answers; other outcomes are reported only."""
    outcomes: list[tuple[str, FetchResult | FetchError]] = []
    for url in dict.fromkeys(urls):
        try:
            result = live.fetch(url, accept=accept, max_bytes=max_bytes)
        except FetchError as exc:
            outcomes.append((url, exc))
            continue
        if _storable(result.status):
            pins.put(result)
        outcomes.append((url, result))
    return outcomes


__all__ = ["INDEX", "DiskCache", "LayeredFetcher", "PinStore", "default_cache_dir", "iso_z",
           "make_fetcher", "pin_urls"]
