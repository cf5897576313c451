"""Content-addressed verification cache: unchanged inputs, no re-verification.

A verification outcome depends on the credential file's bytes, on every document
verification fetched (keys, issuer profiles, status lists: pinned or live), on the
policy (the exact ``now``, identities, strictness) and on the code. Fetched documents
are only known after verifying, so each entry is found by a *lookup key* — SHA-256 of
code version, policy and file bytes — and then *validated*: it records the digest of
every document it used, and is a hit only if fetching those URLs again (from pins:
a local read) yields the same digests. The validated entry's identity is therefore
SHA-256(file bytes + document bytes + policy + code), as a content address should be.

Two levels: a *learner* entry (key over every badge file of the folder) skips ingest
and verification of an unchanged learner outright; *item* entries let a learner whose
one badge changed re-verify only that badge. Entries are JSON files
``<root>/<kind>/<k[:2]>/<k>.json``, written atomically; a damaged entry is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from portfolio_gen.errors import FetchError
from portfolio_gen.net.fetch import DEFAULT_MAX_BYTES, STATUS_LIST_MAX_BYTES, Fetcher, FetchResult

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
    """JSON entries under ``root``; reading never raises (damage means "not cached")."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._path(kind, key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return data

    def put(self, kind: str, key: str, entry: Mapping[str, Any]) -> None:
        path = self._path(kind, key)
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
