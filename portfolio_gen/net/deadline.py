"""A whole-fetch deadline that a slow server cannot stretch (the Open Badges verification rules:
security item 1).

Socket timeouts bound each wait, not the total: a server dripping one byte at a
time (in headers or body) would keep a fetch alive indefinitely. ``Deadline``
caps every wait by the time left, and one shared watchdog thread shuts a socket
down when its fetch's time is up, which unblocks any read in progress.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time

from portfolio_gen.net.fetch import FetchError


class Deadline:
    """The time budget of one fetch, all redirects included."""

    def __init__(self, url: str, budget: float) -> None:
        self.url = url
        self.budget = budget
        self.end = time.monotonic() + budget

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def left(self, cap: float) -> float:
        """Seconds to wait at most (``cap`` or less); raises ``timeout`` once time is up."""
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise self.error()
        return min(cap, remaining)

    def error(self) -> FetchError:
        return FetchError(self.url, f"no complete response within {self.budget:g} s", "timeout")


class Watchdog:
    """Shuts sockets down at their deadline; one daemon thread serves every fetcher."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._armed: dict[int, socket.socket] = {}
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, end: float, sock: socket.socket) -> int:
        """Watch ``sock`` until ``end`` (monotonic); returns a token for :meth:`disarm`."""
        with self._cv:
            token = next(self._ids)
            self._armed[token] = sock
            heapq.heappush(self._heap, (end, token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="portfolio-gen-watchdog",
                                                daemon=True)
                self._thread.start()
            if self._heap[0][1] == token:
                self._cv.notify()
        return token

    def disarm(self, token: int) -> None:
        with self._cv:
            self._armed.pop(token, None)

    def _run(self) -> None:
        while True:
            with self._cv:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cv.wait()
                    continue
                end, token = self._heap[0]
                wait = end - time.monotonic()
                if wait > 0:
                    self._cv.wait(wait)
                    continue
                heapq.heappop(self._heap)
                sock = self._armed.pop(token)
            with contextlib.suppress(OSError):  # already closed: nothing left to stop
                sock.shutdown(socket.SHUT_RDWR)


WATCHDOG = Watchdog()

__all__ = ["WATCHDOG", "Deadline", "Watchdog"]
