"""Cost of the sharing images per credential, cold (empty cache) and warm (all cached).

Run: python benchmarks/cards.py [N]   (default 20 credentials)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from portfolio_gen.share import artifacts
from portfolio_gen.share.cache import RenderCache
from portfolio_gen.share.info import ShareInfo
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict


def build(infos: list[ShareInfo], cache: RenderCache) -> None:
    for info in infos:
        artifacts.card_png(info, cache)
        artifacts.card_svg(info, cache)
        artifacts.og_png(info, "bench", cache)
    artifacts.og_summary_png("Ada Lovelace", "Portfolio", infos, "bench", cache)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    verdicts = list(Verdict)
    infos = [sample_info(verdicts[i % len(verdicts)], seed=i) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("cold", "warm"):
            cache = RenderCache(Path(tmp))
            start = time.perf_counter()
            build(infos, cache)
            elapsed = time.perf_counter() - start
            print(f"{label}: {n} credentials, {elapsed:.3f} s total, "
                  f"{elapsed / n * 1000:.1f} ms/credential "
                  f"(rendered {cache.misses}, cached {cache.hits})")


if __name__ == "__main__":
    main()
