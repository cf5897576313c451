"""Build-time figures: ``benchmarks/build.py [--runs N] [--credentials N] [--reflections N]``.

Prints cold and warm ``portfolio-gen build`` times for

* the sample portfolio (the repository's ``mkdocs.yml``), and
* a generated portfolio with many signed credentials (OB 2.0 JWS, OB 3.0 Data Integrity and
  VC-JWT, all verifiable offline) and many reflections.

"Cold" starts with an empty cache folder (verification results, fetched documents, rendered
cards); "warm" rebuilds the same input with that cache in place. Each build runs in a fresh
process (``portfolio-gen build``), as a user would run it. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portfolio_gen.testing.cohort import write_learner  # noqa: E402


def make_portfolio(dest: Path, credentials: int, reflections: int) -> Path:
    """One learner folder with ``credentials`` badges and ``reflections`` reflections."""
    spec = write_learner(dest / "learners", 0, credentials)
    folder = dest / "learners" / spec.folder
    existing = len(list((folder / "reflections").glob("*.md")))
    for r in range(existing, reflections):
        achievement = spec.achievements[r % len(spec.achievements)]
        front = {"title": f"Reflection {r + 1}: {achievement}",
                 "date": date(2025, 1 + r % 12, 1 + r % 28),
                 "credentials": [achievement], "skills": [], "tags": ["practice"]}
        body = (f"Notes on {achievement.lower()}: what went well, what I would change, "
                "and what I will try next.\n") * 5
        (folder / "reflections" / f"reflection-{r + 1:03d}.md").write_text(
            "---\n" + yaml.safe_dump(front) + "---\n\n" + body, encoding="utf-8")
    return folder


def with_cache_dir(project: Path, cache: Path) -> Path:
    """A copy of ``project/mkdocs.yml`` whose portfolio cache lives in ``cache``."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "portfolio" in plugin:
            plugin["portfolio"]["cache_dir"] = str(cache)
    path = project / "mkdocs.bench.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return path


def build_once(project: Path, config: Path, site: Path) -> tuple[float, str]:
    """One build in a fresh process; returns wall seconds and the summary line."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
        cwd=project, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{result.stderr[-2000:]}")
    summary = [line for line in result.stderr.splitlines() if "credentials:" in line]
    return elapsed, (summary[-1].split("portfolio_gen: ")[-1] if summary else "")


def measure(label: str, project: Path, runs: int) -> None:
    cold: list[float] = []
    warm: list[float] = []
    line = ""
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="pg-bench-") as tmp:
            cache, site = Path(tmp) / "cache", Path(tmp) / "site"
            config = with_cache_dir(project, cache)
            try:
                seconds, line = build_once(project, config, site)
                cold.append(seconds)
                shutil.rmtree(site)
                seconds, _ = build_once(project, config, site)
                warm.append(seconds)
            finally:
                config.unlink(missing_ok=True)
    print(f"{label}\n  {line}")
    print(f"  cold: median {statistics.median(cold):6.2f} s  (runs: "
          f"{', '.join(f'{s:.2f}' for s in cold)})")
    print(f"  warm: median {statistics.median(warm):6.2f} s  (runs: "
          f"{', '.join(f'{s:.2f}' for s in warm)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--credentials", type=int, default=200)
    parser.add_argument("--reflections", type=int, default=50)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; each build is a fresh "
          f"`mkdocs build` process; {args.runs} run(s) each")
    measure("sample portfolio (repository mkdocs.yml)", ROOT, args.runs)
    with tempfile.TemporaryDirectory(prefix="pg-bench-portfolio-") as tmp:
        started = time.perf_counter()
        folder = make_portfolio(Path(tmp), args.credentials, args.reflections)
        print(f"(generated {args.credentials} credentials and {args.reflections} reflections "
              f"in {time.perf_counter() - started:.1f} s)")
        measure(f"generated portfolio: {args.credentials} credentials, "
                f"{args.reflections} reflections", folder, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
