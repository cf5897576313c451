"""Verification throughput: badges verified per second (prints figures, asserts nothing).

Run from the repository root: ``python benchmarks/verify.py [--only NAME] [--runs N]``.
Each benchmark serves several issuers from a real loopback HTTP server and verifies
its badges through ``GuardedHttpFetcher``; the median of the runs is printed.
"cold" fetches every linked document for every badge; "memo" shares the issuer,
BadgeClass, key and revocation list across one run, as a site build does.
New sections (OB 3.0) are added to ``BENCHMARKS``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portfolio_gen.ingest.jws import parse_compact_jws
from portfolio_gen.ingest.raw import Container, Kind, RawCredential
from portfolio_gen.net.fetch import DEFAULT_MAX_BYTES, Fetcher, FetchResult
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.testing.ob2 import TestIssuer
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob2 import verify_ob2
from portfolio_gen.verify.report import Verdict
from tests.support.httpserver import LoopbackServer

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ISSUERS = 6
BADGES = 300


class MemoFetcher:
    """Remembers every successful fetch for one run (what a build's cache does)."""

    def __init__(self, inner: Fetcher) -> None:
        self.inner = inner
        self.memo: dict[str, FetchResult] = {}

    def fetch(self, url: str, *, accept: str = "application/json",
              max_bytes: int = DEFAULT_MAX_BYTES) -> FetchResult:
        if url not in self.memo:
            self.memo[url] = self.inner.fetch(url, accept=accept, max_bytes=max_bytes)
        return self.memo[url]


@dataclass
class Workload:
    badges: list[RawCredential]
    host_port: str


def _issuers(srv: LoopbackServer) -> list[TestIssuer]:
    return [TestIssuer(f"{srv.base}/i{n}", name=f"Issuer {n}", slot=n % 3)
            for n in range(ISSUERS)]


def _signed(srv: LoopbackServer) -> Workload:
    issuers = _issuers(srv)
    badges = []
    for n in range(BADGES):
        issuer = issuers[n % ISSUERS]
        text = issuer.signed_assertion(f"s{n}", recipient=f"learner{n}@example.org")
        badges.append(RawCredential(f"s{n}.jws", Container.JWS, Kind.OB2_SIGNED,
                                    text.encode(), jws=parse_compact_jws(text.encode())))
    for issuer in issuers:
        for path, body in issuer.documents().items():
            srv.add(path, body)
    return Workload(badges, srv.host_port)


def _hosted(srv: LoopbackServer) -> Workload:
    issuers = _issuers(srv)
    badges = []
    for n in range(BADGES):
        doc = issuers[n % ISSUERS].hosted_assertion(f"h{n}")
        badges.append(RawCredential(f"h{n}.url", Container.URL, Kind.OB2_HOSTED_URL,
                                    str(doc["id"]).encode(), url=str(doc["id"])))
    for issuer in issuers:
        for path, body in issuer.documents().items():
            srv.add(path, body)
    return Workload(badges, srv.host_port)


def _measure(make: Callable[[LoopbackServer], Workload], memo: bool, runs: int) -> list[float]:
    rates = []
    with LoopbackServer() as srv:
        work = make(srv)
        for _ in range(runs):
            http = GuardedHttpFetcher(allow_hosts=[work.host_port])
            fetcher: Fetcher = MemoFetcher(http) if memo else http
            ctx = VerifyContext(fetcher, NOW)
            start = time.perf_counter()
            verdicts = [verify_ob2(raw, ctx).verdict for raw in work.badges]
            elapsed = time.perf_counter() - start
            http.close()
            bad = [v for v in verdicts if v is not Verdict.VERIFIED]
            if bad:
                raise SystemExit(f"benchmark badges did not verify: {bad[:3]}")
            rates.append(len(work.badges) / elapsed)
    return rates


BENCHMARKS: dict[str, Callable[[int], list[float]]] = {
    "ob2-signed-cold": lambda runs: _measure(_signed, False, runs),
    "ob2-signed-memo": lambda runs: _measure(_signed, True, runs),
    "ob2-hosted-cold": lambda runs: _measure(_hosted, False, runs),
    "ob2-hosted-memo": lambda runs: _measure(_hosted, True, runs),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{BADGES} badges from {ISSUERS} issuers per run, median of {args.runs} runs")
    for name in args.only or list(BENCHMARKS):
        rates = BENCHMARKS[name](args.runs)
        print(f"{name:18s} {statistics.median(rates):8.1f} badges/s "
              f"(min {min(rates):.1f}, max {max(rates):.1f})")


if __name__ == "__main__":
    main()
