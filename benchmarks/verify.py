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
import subprocess
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


def _ob3_workload(kind: str, folder: Path) -> list[RawCredential]:
    """``OB3_CREDENTIALS`` distinct signed credentials of one proof type (did:key / did:jwk),
    written to ``folder`` (once) and read back as a build reads them."""
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
    if not any(folder.iterdir()):
        issuer = Ob3Issuer(key_type, method)  # type: ignore[arg-type]
        for n in range(OB3_CREDENTIALS):
            doc = issuer.credential(subject_id=f"did:example:learner-{n}",
                                    achievement_name=f"Skill {n % 17}",
                                    credential_id=f"urn:uuid:{uuid.UUID(int=n + 1)}")
            if suite == "Ed25519Signature2020":
                doc["@context"] = [*doc["@context"], ED25519_2020]
            if suite == "jwt":
                (folder / f"{n:04d}.jwt").write_text(issuer.sign_jwt(doc))
            else:
                (folder / f"{n:04d}.json").write_text(json.dumps(issuer.sign_di(doc, suite)))
    items = []
    for path in sorted(folder.iterdir()):
        [raw] = read_file(path)
        assert isinstance(raw, RawCredential), raw
        items.append(raw)
    return items


@dataclass
class Timing:
    wall: float
    cpu: float


def _timed(fn: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu)


def _rebuild_child(kind: str, folder: str, cache: str) -> None:
    """``--rebuild-child``: a NEW process reading the on-disk cache, as the next build does.

    Imports and reading the credential files (a build without a cache reads them too)
    are not timed. Timed: the one-time setup (digesting the package's code for the keys,
    opening the database), then the credentials, each a cache hit. Prints
    ``setup_wall setup_cpu hits_wall hits_cpu hits`` (seconds).
    """
    from portfolio_gen.net.static import OfflineFetcher
    from portfolio_gen.verify.cache import CachedVerifier, ReportCache

    items = _ob3_workload(kind, Path(folder))
    ctx = VerifyContext(OfflineFetcher(), NOW)
    verifier = CachedVerifier(ReportCache(Path(cache)))
    setup = _timed(lambda: (verifier.item_key(items[0], ctx), verifier.cache.get("item", "")))
    def rebuild() -> None:  # as a build does: read every entry at once, then verify each
        verifier.prefetch(items, ctx)
        for raw in items:
            verifier.verify(raw, ctx)

    hits = _timed(rebuild)
    print(setup.wall, setup.cpu, hits.wall, hits.cpu, verifier.hits)


def _ob3_measure(kind: str, runs: int) -> list[float]:
    from portfolio_gen.net.static import OfflineFetcher
    from portfolio_gen.verify.cache import CachedVerifier, ReportCache
    from portfolio_gen.verify.pipeline import verify_item

    with tempfile.TemporaryDirectory(prefix="pg-bench-ob3-") as tmp:
        folder, cache = Path(tmp) / "badges", Path(tmp) / "cache"
        folder.mkdir()
        items = _ob3_workload(kind, folder)
        ctx = VerifyContext(OfflineFetcher(), NOW)
        start = time.perf_counter()
        first = verify_item(items[0], ctx)
        first_ms = (time.perf_counter() - start) * 1000
        if first.verdict is not Verdict.VERIFIED:
            raise SystemExit(f"{kind}: benchmark credential did not verify: {first.reason}")
        uncached: list[Timing] = []
        verdicts: list[Verdict] = []
        for _ in range(runs):
            verdicts.clear()
            uncached.append(_timed(lambda: verdicts.extend(
                verify_item(raw, ctx).verdict for raw in items)))
            if any(v is not Verdict.VERIFIED for v in verdicts):
                raise SystemExit(f"{kind}: not every credential verified")
        filling = CachedVerifier(ReportCache(cache))
        for raw in items:
            filling.verify(raw, ctx)
        assert filling.misses == len(items), filling.misses
        setups: list[Timing] = []
        warm: list[Timing] = []
        for _ in range(runs):  # a new build: a NEW process reading the on-disk cache
            out = subprocess.run(
                [sys.executable, __file__, "--rebuild-child", kind, str(folder), str(cache)],
                capture_output=True, text=True, check=True).stdout.split()
            if int(out[4]) != len(items):
                raise SystemExit(f"{kind}: the rebuild missed the cache ({out[4]} hits)")
            setups.append(Timing(float(out[0]), float(out[1])))
            warm.append(Timing(float(out[2]), float(out[3])))
        in_process = _timed(lambda: [filling.verify(raw, ctx) for raw in items])
    n = len(items)
    cold_wall = statistics.median(t.wall for t in uncached) / n
    cold_cpu = statistics.median(t.cpu for t in uncached) / n
    hit_wall = statistics.median(t.wall for t in warm) / n
    hit_cpu = statistics.median(t.cpu for t in warm) / n
    setup_wall = statistics.median(t.wall for t in setups)
    setup_cpu = statistics.median(t.cpu for t in setups)
    all_in_cpu = hit_cpu + setup_cpu / n
    print(f"  {kind:22s} first {first_ms:5.1f} ms | uncached {1 / cold_wall:5.0f}/s "
          f"(wall {1000 * cold_wall:4.2f} ms, cpu {1000 * cold_cpu:4.2f} ms)\n"
          f"  {'':22s} rebuild, new process: setup wall {1000 * setup_wall:4.1f} ms, "
          f"cpu {1000 * setup_cpu:4.1f} ms once; per hit wall {1e6 * hit_wall:4.0f} us "
          f"({cold_wall / hit_wall:3.0f}x), cpu {1e6 * hit_cpu:4.0f} us "
          f"({cold_cpu / max(hit_cpu, 1e-9):3.0f}x); with setup spread over {n}: cpu "
          f"{cold_cpu / all_in_cpu:3.0f}x | in-process hit {n / in_process.wall:6.0f}/s "
          f"({cold_wall * n / in_process.wall:4.0f}x)")
    return [n / t.wall for t in uncached]


OB3_KINDS = ("eddsa-rdfc-2022", "Ed25519Signature2020", "eddsa-jcs-2022",
             "ecdsa-rdfc-2019-P256", "ecdsa-rdfc-2019-P384", "ecdsa-jcs-2019-P256",
             "ecdsa-jcs-2019-P384", "jwt-EdDSA", "jwt-ES256", "jwt-RS256")
OB3_KINDS_RUN = OB3_KINDS


def _ob3_all(runs: int) -> list[float]:
    print(f"OB 3.0: {OB3_CREDENTIALS} distinct credentials per proof type, offline "
          "(did:key/did:jwk); 'first' includes loading the bundled contexts;\n"
          "'rebuild, new process': a new process reading the on-disk cache: its one-time setup "
          "(digesting the code, opening the database), then per credential as wall and CPU "
          "time ratios to verifying\n(goal: >= 50x for eddsa-rdfc-2022; on a loaded machine "
          "read the CPU ratio); 'in-process hit': the same verifier again (serve's rebuilds)")
    rates = [statistics.median(_ob3_measure(kind, runs)) for kind in OB3_KINDS_RUN]
    return [min(rates)]


BENCHMARKS: dict[str, Callable[[int], list[float]]] = {
    "ob2-signed-cold": lambda runs: _measure(_signed, False, runs),
    "ob2-signed-memo": lambda runs: _measure(_signed, True, runs),
    "ob2-hosted-cold": lambda runs: _measure(_hosted, False, runs),
    "ob2-hosted-memo": lambda runs: _measure(_hosted, True, runs),
    "ob3": _ob3_all,
}


def main() -> None:
    global OB3_KINDS_RUN, OB3_CREDENTIALS
    if sys.argv[1:2] == ["--rebuild-child"]:
        _rebuild_child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kind", choices=OB3_KINDS, action="append",
                        help="ob3: only these proof types")
    parser.add_argument("--credentials", type=int, default=OB3_CREDENTIALS,
                        help="ob3: credentials per proof type")
    args = parser.parse_args()
    OB3_KINDS_RUN = tuple(args.kind or OB3_KINDS)
    OB3_CREDENTIALS = args.credentials
    print(f"{BADGES} badges from {ISSUERS} issuers per run, median of {args.runs} runs")
    for name in args.only or list(BENCHMARKS):
        rates = BENCHMARKS[name](args.runs)
        if name == "ob3":
            continue
        print(f"{name:18s} {statistics.median(rates):8.1f} badges/s "
              f"(min {min(rates):.1f}, max {max(rates):.1f})")


if __name__ == "__main__":
    main()
