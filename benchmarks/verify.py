"""Verification throughput: badges verified per second (prints figures, asserts nothing).

Run from the repository root: ``python benchmarks/verify.py [--only NAME] [--runs N]``.
Each benchmark serves several issuers from a real loopback HTTP server and verifies
its badges through ``GuardedHttpFetcher``; the median of the runs is printed.
"cold" fetches every linked document for every badge; "memo" shares the issuer,
BadgeClass, key and revocation list across one run, as a site build does.
``ob3`` verifies distinct OB 3.0 credentials per proof type without the cache and then
through the content-addressed verification cache (an unchanged re-verify).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
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


# -- OB 3.0: per proof type, uncached and through the verification cache ----------------------

OB3_CREDENTIALS = 200
ED25519_2020 = "https://w3id.org/security/suites/ed25519-2020/v1"


def _ob3_workload(kind: str) -> list[RawCredential]:
    """``OB3_CREDENTIALS`` distinct signed credentials of one proof type (did:key / did:jwk)."""
    from portfolio_gen.ingest import read_file
    from portfolio_gen.testing.ob3 import Ob3Issuer

    key_type, method, suite = {
        "eddsa-rdfc-2022": ("Ed25519", "did:key", "eddsa-rdfc-2022"),
        "Ed25519Signature2020": ("Ed25519", "did:key", "Ed25519Signature2020"),
        "eddsa-jcs-2022": ("Ed25519", "did:key", "eddsa-jcs-2022"),
        "ecdsa-rdfc-2019-P256": ("P-256", "did:key", "ecdsa-rdfc-2019"),
        "ecdsa-rdfc-2019-P384": ("P-384", "did:key", "ecdsa-rdfc-2019"),
        "ecdsa-jcs-2019-P256": ("P-256", "did:key", "ecdsa-jcs-2019"),
        "ecdsa-jcs-2019-P384": ("P-384", "did:key", "ecdsa-jcs-2019"),
        "jwt-EdDSA": ("Ed25519", "did:key", "jwt"),
        "jwt-ES256": ("P-256", "did:jwk", "jwt"),
        "jwt-RS256": ("RSA", "did:jwk", "jwt"),
    }[kind]
    issuer = Ob3Issuer(key_type, method)  # type: ignore[arg-type]
    items = []
    with tempfile.TemporaryDirectory(prefix="pg-bench-ob3-") as tmp:
        for n in range(OB3_CREDENTIALS):
            doc = issuer.credential(subject_id=f"did:example:learner-{n}",
                                    achievement_name=f"Skill {n % 17}",
                                    credential_id=f"urn:uuid:{uuid.UUID(int=n + 1)}")
            if suite == "Ed25519Signature2020":
                doc["@context"] = [*doc["@context"], ED25519_2020]
            if suite == "jwt":
                path = Path(tmp) / f"{n}.jwt"
                path.write_text(issuer.sign_jwt(doc))
            else:
                path = Path(tmp) / f"{n}.json"
                path.write_text(json.dumps(issuer.sign_di(doc, suite)))
            [raw] = read_file(path)
            assert isinstance(raw, RawCredential), raw
            items.append(raw)
    return items


def _ob3_measure(kind: str, runs: int) -> list[float]:
    from portfolio_gen.net.static import OfflineFetcher
    from portfolio_gen.verify.cache import CachedVerifier, ReportCache
    from portfolio_gen.verify.pipeline import verify_item

    items = _ob3_workload(kind)
    ctx = VerifyContext(OfflineFetcher(), NOW)
    start = time.perf_counter()
    first = verify_item(items[0], ctx)
    first_ms = (time.perf_counter() - start) * 1000
    if first.verdict is not Verdict.VERIFIED:
        raise SystemExit(f"{kind}: benchmark credential did not verify: {first.reason}")
    uncached: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        verdicts = [verify_item(raw, ctx).verdict for raw in items]
        uncached.append(len(items) / (time.perf_counter() - start))
        if any(v is not Verdict.VERIFIED for v in verdicts):
            raise SystemExit(f"{kind}: not every credential verified")
    warm: list[float] = []
    with tempfile.TemporaryDirectory(prefix="pg-bench-cache-") as tmp:
        cached = CachedVerifier(ReportCache(Path(tmp)))
        for raw in items:
            cached.verify(raw, ctx)
        assert cached.misses == len(items), cached.misses
        for _ in range(runs):  # a new build: a fresh verifier reading the on-disk cache
            rebuild = CachedVerifier(ReportCache(Path(tmp)))
            start = time.perf_counter()
            for raw in items:
                rebuild.verify(raw, ctx)
            warm.append(len(items) / (time.perf_counter() - start))
            assert rebuild.hits == len(items), rebuild.hits
        start = time.perf_counter()  # the same verifier again: `serve` rebuilds in-process
        for raw in items:
            rebuild.verify(raw, ctx)
        in_process = len(items) / (time.perf_counter() - start)
    rate, hit_rate = statistics.median(uncached), statistics.median(warm)
    print(f"  {kind:22s} first {first_ms:5.1f} ms | uncached {rate:6.0f}/s "
          f"({1000 / rate:4.2f} ms) | rebuild hit {hit_rate:6.0f}/s ({hit_rate / rate:3.0f}x) "
          f"| in-process hit {in_process:7.0f}/s ({in_process / rate:4.0f}x)")
    return uncached


OB3_KINDS = ("eddsa-rdfc-2022", "Ed25519Signature2020", "eddsa-jcs-2022",
             "ecdsa-rdfc-2019-P256", "ecdsa-rdfc-2019-P384", "ecdsa-jcs-2019-P256",
             "ecdsa-jcs-2019-P384", "jwt-EdDSA", "jwt-ES256", "jwt-RS256")


def _ob3_all(runs: int) -> list[float]:
    print(f"OB 3.0: {OB3_CREDENTIALS} distinct credentials per proof type, one process, "
          "offline (did:key/did:jwk); 'first' includes loading the bundled contexts;\n"
          "'rebuild hit': a fresh verifier reading the on-disk cache; 'in-process hit': the "
          "same verifier again (serve's live-reload rebuilds)")
    rates = [statistics.median(_ob3_measure(kind, runs)) for kind in OB3_KINDS]
    return [min(rates)]


BENCHMARKS: dict[str, Callable[[int], list[float]]] = {
    "ob2-signed-cold": lambda runs: _measure(_signed, False, runs),
    "ob2-signed-memo": lambda runs: _measure(_signed, True, runs),
    "ob2-hosted-cold": lambda runs: _measure(_hosted, False, runs),
    "ob2-hosted-memo": lambda runs: _measure(_hosted, True, runs),
    "ob3": _ob3_all,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{BADGES} badges from {ISSUERS} issuers per run, median of {args.runs} runs")
    for name in args.only or list(BENCHMARKS):
        rates = BENCHMARKS[name](args.runs)
        if name == "ob3":
            continue
        print(f"{name:18s} {statistics.median(rates):8.1f} badges/s "
              f"(min {min(rates):.1f}, max {max(rates):.1f})")


if __name__ == "__main__":
    main()
