"""Write a synthetic cohort: ``python benchmarks/make_cohort.py N M OUTDIR [--workers K]``.

OUTDIR/cohort.yml plus N learner portfolio folders with M signed credentials each
(OB 2.0 RS256 JWS with pinned issuer documents, OB 3.0 eddsa-rdfc-2022 and VC-JWT from
did:key issuers), skills, 1-3 reflections, a pathway; every 7th learner without
consent, every 5th hiding one credential, every 11th with a tampered badge. The same
arguments give the same bytes (fixed seeds, deterministic signatures).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portfolio_gen.testing.cohort import make_cohort


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="learners")
    parser.add_argument("m", type=int, help="credentials per learner")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    specs = make_cohort(args.n, args.m, args.outdir, seed=args.seed, workers=args.workers)
    print(f"wrote {len(specs)} learners x {args.m} credentials to {args.outdir} "
          f"({sum(not s.consent for s in specs)} without consent, "
          f"{sum(bool(s.hidden_id) for s in specs)} hiding one credential) "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
