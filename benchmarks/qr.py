"""Milliseconds per QR code: segno choosing the mask itself vs share.qr (numpy mask choice).

Run: python benchmarks/qr.py [N]   (default 200 URLs)
"""

from __future__ import annotations

import sys
import time
from collections import Counter

import segno

from portfolio_gen.share import qr

SLUGS = ["web-development-fundamentals", "first-aid", "data-analysis-with-python",
         "project-management-professional", "ux"]


def urls(n: int) -> list[str]:
    return [f"https://careers.example.edu/showcase/learners/firstname-lastname-{i}/credentials/"
            f"{SLUGS[i % len(SLUGS)]}-{i % 7}/" for i in range(n)]


def per_qr_ms(make: object, batch: list[str]) -> float:
    assert callable(make)
    start = time.perf_counter()
    for url in batch:
        make(url)
    return (time.perf_counter() - start) / len(batch) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    batch = urls(n)
    qr._code(batch[0])  # warm numpy and the per-size layout caches

    def old(url: str) -> segno.QRCode:
        return segno.make(url, error="m", micro=False, boost_error=False)

    new = qr._code.__wrapped__  # uncached: every URL is built
    for _ in range(2):
        t_old = per_qr_ms(old, batch)
        t_new = per_qr_ms(new, batch)
        print(f"{n} URLs: segno alone {t_old:.2f} ms/QR, numpy mask choice {t_new:.2f} ms/QR "
              f"({t_old / t_new:.1f}x)")
    versions = Counter(old(u).version for u in batch)
    masks = Counter(old(u).mask for u in batch)
    print(f"versions {dict(sorted(versions.items()))}; masks {dict(sorted(masks.items()))}; "
          f"probe mask {qr._PROBE_MASK} kept for {masks[qr._PROBE_MASK]}/{n}")


if __name__ == "__main__":
    main()
