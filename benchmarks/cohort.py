"""Cohort build figures: ``python benchmarks/cohort.py [--large] [--sizes 100,1000]``.

For each size (learners x 10 credentials): the full site build, cold (empty
verification and page caches) and warm (nothing changed), each in a fresh process; peak RSS is
sampled over that process and its pool workers together; then,
side by side, the anchor: a plain mkdocs-material build of the same number of trivial
pages that are not in the nav. Prints figures; asserts nothing.

Each run is the full cohort site (``build_cohort_site``): verification and per-learner
page staging on the process pool, then one MkDocs + Material build of every page.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CREDENTIALS = 10


def _peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024  # ru_maxrss is KiB on Linux


def build_cohort_site(cohort_dir: Path, cache: Path, site: Path) -> Any:
    """The full cohort site: verification and page staging on the pool, then ONE
    MkDocs + Material build (portfolio_gen.cohort.build)."""
    from portfolio_gen.cohort.build import build_cohort
    from portfolio_gen.mkdocs_plugin import MKDOCS

    return build_cohort(MKDOCS, cohort_dir / "cohort.yml", site_dir=site, cache_dir=cache)


class TreeRss:
    """Peak resident memory of this process plus all its descendants (the pool workers),
    sampled every 0.2 s from /proc; ``getrusage`` only knows the largest single child."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(os.getpid()))

    @property
    def mib(self) -> float:
        return self.peak_kib / 1024


def _tree_rss_kib(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines()
                              if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_once(cohort_dir: Path, cache: Path, site: Path) -> dict[str, Any]:
    """One cohort site build in this process (called in a child process by ``main``)."""
    started = time.perf_counter()
    with TreeRss() as tree:
        summary = build_cohort_site(cohort_dir, cache, site)
    total = time.perf_counter() - started
    return {"seconds": total, "prepare_seconds": summary.prepare_seconds,
            "site_pages": summary.pages, "learner_pages": summary.learner_pages,
            "learners": summary.learners, "credentials": summary.credentials,
            "verify_calls": summary.verify_calls, "staged_fresh": summary.staged_fresh,
            "staged_cached": summary.staged_cached, "index": summary.index,
            "peak_rss_mib": _peak_rss_mib(), "tree_rss_mib": tree.mib}


def anchor_once(pages: int, work: Path) -> dict[str, Any]:
    """A plain mkdocs-material build of ``pages`` trivial pages, only the index in the nav."""
    project = work / f"anchor-{pages}"
    docs = project / "docs"
    if not (docs / f"p{pages - 1:06d}.md").is_file():
        shutil.rmtree(project, ignore_errors=True)
        docs.mkdir(parents=True)
        (docs / "index.md").write_text("# Anchor\n\nHome.\n")
        for i in range(pages - 1):
            (docs / f"p{i:06d}.md").write_text(f"# Page {i}\n\nA trivial page number {i}.\n")
        (project / "mkdocs.yml").write_text(
            "site_name: Anchor\nnav:\n  - index.md\ntheme:\n  name: material\n  font: false\n"
            "plugins:\n  - search\n")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                    str(project / "mkdocs.yml"), "-d", str(project / "site")], check=True)
    return {"seconds": time.perf_counter() - started, "peak_rss_mib": _peak_rss_mib()}


def _child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True,
                         text=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 5,000 learners")
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/portfolio-gen-cohort-bench"))
    parser.add_argument("--anchor-pages", type=int, default=None,
                        help="pages in the anchor build (default: the cohort's page estimate)")
    parser.add_argument("--no-anchor", action="store_true")
    parser.add_argument("--_run", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--_anchor", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._run:
        print(json.dumps(run_once(*(Path(a) for a in args._run))))
        return 0
    if args._anchor:
        print(json.dumps(anchor_once(int(args._anchor[0]), Path(args._anchor[1]))))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] + ([5000] if args.large else [])
    print(f"cohort benchmark: {os.cpu_count()} cores, {CREDENTIALS} credentials per learner")
    for n in sizes:
        cohort = args.work / f"cohort-{n}"
        if not (cohort / "cohort.yml").is_file():
            from portfolio_gen.testing.cohort import make_cohort

            started = time.perf_counter()
            make_cohort(n, CREDENTIALS, cohort, workers=os.cpu_count() or 1)
            print(f"  generated {n} learners in {time.perf_counter() - started:.1f} s")
        cache, site = args.work / f"cache-{n}", args.work / f"site-{n}"
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        # Deleting a previous run's gigabytes makes a file system mounted with ``discard``
        # trim for a while, slowing every write; let that finish before timing.
        os.sync()
        cold = _child(["--_run", str(cohort), str(cache), str(site)])
        warm = _child(["--_run", str(cohort), str(cache), str(site)])
        pages = args.anchor_pages or cold["site_pages"]
        for label, r in (("cold", cold), ("warm", warm)):
            rate = r["credentials"] / r["seconds"] if r["seconds"] else 0.0
            print(f"  {n:>5} learners {label}: {r['seconds']:7.1f} s wall, "
                  f"peak RSS {r['tree_rss_mib']:6.0f} MiB (all processes), "
                  f"{rate:7.0f} credentials/s, "
                  f"(prepare + staging {r['prepare_seconds']:.1f} s), "
                  f"{r['learners']} learners shown, {r['verify_calls']} verify calls, "
                  f"{r['staged_fresh']} learners planned / {r['staged_cached']} cached, "
                  f"{r['site_pages']} pages ({r['learner_pages']} learner pages)")
        print(f"        {cold['index']}")
        if not args.no_anchor:
            anchor = _child(["--_anchor", str(pages), str(args.work)])
            ratio = warm["seconds"] / anchor["seconds"]
            print(f"  {n:>5} anchor: mkdocs-material build of {pages} trivial pages "
                  f"{anchor['seconds']:7.1f} s, peak RSS {anchor['peak_rss_mib']:6.0f} MiB; "
                  f"warm/anchor = {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
