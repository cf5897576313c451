"""In-memory fetchers: a fixed URL map (tests, conformance) and the always-offline one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from portfolio_gen.net.fetch import DEFAULT_MAX_BYTES, FetchError, FetchResult

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class StaticFetcher:
    """Serves documents from a URL → (bytes, content type[, status]) map; never opens a socket."""

    def __init__(self, documents: Mapping[str, bytes | tuple[bytes, str] | tuple[bytes, str, int]],
                 fetched_at: datetime = _EPOCH) -> None:
        self._docs: dict[str, tuple[bytes, str, int]] = {}
        for url, value in documents.items():
            if isinstance(value, bytes):
                self._docs[url] = (value, "application/json", 200)
            elif len(value) == 2:
                self._docs[url] = (value[0], value[1], 200)
            else:
                self._docs[url] = (value[0], value[1], value[2])
        self._fetched_at = fetched_at

    def fetch(self, url: str, *, accept: str = "application/json",
              max_bytes: int = DEFAULT_MAX_BYTES) -> FetchResult:
        try:
            body, ctype, status = self._docs[url]
        except KeyError:
            raise FetchError(url, "no stored copy of this document", "offline") from None
        if len(body) > max_bytes:
            raise FetchError(url, f"response larger than {max_bytes} bytes", "too_large")
        return FetchResult(url, url, status, ctype, body, self._fetched_at, "static")


class OfflineFetcher:
    """Refuses every fetch: verification that needs the network reports ``unverifiable``."""

    def fetch(self, url: str, *, accept: str = "application/json",
              max_bytes: int = DEFAULT_MAX_BYTES) -> FetchResult:
        raise FetchError(url, "offline mode and no pinned copy of this document", "offline")
