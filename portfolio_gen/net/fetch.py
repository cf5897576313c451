"""The fetcher seam: what verification asks of the network.

Verification code depends only on the :class:`Fetcher` protocol. The guarded
HTTP client (``net/http.py``) is the only code that opens sockets; pinned and
cached copies wrap it (``net/store.py``); tests and offline builds inject other
implementations. A ``FetchResult`` says where the bytes came from so a report
can say "live", "cached copy from <date>" or "pinned copy from <date>".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from portfolio_gen.errors import FetchError

Origin = Literal["live", "cache", "pinned", "static"]

#: Default response cap (the Open Badges verification rules: security item 1); status lists may
#: ask for more.
DEFAULT_MAX_BYTES = 1 << 20
STATUS_LIST_MAX_BYTES = 16 << 20


@dataclass(frozen=True)
class FetchResult:
    """A fetched document. Any HTTP status is a result (410 matters for revocation)."""

    url: str                 # the URL asked for
    final_url: str           # after redirects
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime     # when the bytes were obtained from the network
    origin: Origin = "live"
    note: str = ""           # e.g. "live fetch failed (timeout); pinned copy from 2026-11-01"

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Fetcher(Protocol):
    """Gets a document by URL or raises :class:`FetchError`."""

    def fetch(self, url: str, *, accept: str = "application/json",
              max_bytes: int = DEFAULT_MAX_BYTES) -> FetchResult: ...


__all__ = ["DEFAULT_MAX_BYTES", "STATUS_LIST_MAX_BYTES", "FetchError", "FetchResult",
           "Fetcher", "Origin"]
