"""Fetch throughput over loopback: kept-alive vs fresh connections, http and https.

Prints figures only (no assertions). Hosted OB 2.0 verification makes about three
fetches per badge (assertion, badge class, issuer), so "badges/s" = fetches/s / 3
for the uncached worst case. Run: ``python benchmarks/bench_net_fetch.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.store import LayeredFetcher
from tests.support.httpserver import LoopbackServer

N = 600


def rate(label: str, run: int, action: object) -> None:
    assert callable(action)
    start = time.perf_counter()
    for i in range(run):
        action(i)
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {run / elapsed:8.0f} fetches/s  ({run / elapsed / 3:6.0f} badges/s)")


def main() -> None:
    for tls in (False, True):
        with LoopbackServer(tls=tls) as srv:
            for i in range(N):
                srv.add(f"/assertion/{i}", {"id": i, "badge": "/badge", "issuer": "/issuer"})
            srv.add("/badge", {"type": "BadgeClass"})
            srv.add("/issuer", {"type": "Issuer"})
            scheme = "https" if tls else "http"
            kept = GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path)
            rate(f"{scheme} kept-alive", N, lambda i, f=kept: f.fetch(srv.url(f"/assertion/{i}")))
            fresh = GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path)

            def cold(i: int, f: GuardedHttpFetcher = fresh) -> None:
                f.fetch(srv.url(f"/assertion/{i}"))
                f.close()

            rate(f"{scheme} new connection per fetch", N // 3 if tls else N, cold)
            layered = LayeredFetcher(kept)
            start = time.perf_counter()
            for i in range(N):
                for path in (f"/assertion/{i}", "/badge", "/issuer"):
                    layered.fetch(srv.url(path))
            elapsed = time.perf_counter() - start
            print(f"{scheme + ' hosted-badge pattern (memoised)':<44} "
                  f"{N / elapsed:8.0f} badges/s")
            kept.close()


if __name__ == "__main__":
    main()
