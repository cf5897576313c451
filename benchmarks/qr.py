"""Milliseconds per QR code: segno choosing the mask itself vs share.qr (numpy mask choice);
then per URL, its two SVGs (credential page at scale 4, printable summary at scale 2): segno's
SVG writer run for each vs written once at scale 1 and each variant derived from it.

Run: python benchmarks/qr.py [N]   (default 200 URLs)
"""

from __future__ import annotations

import io
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
    svg_pairs(batch)


def _writer_svg(url: str, title: str, scale: int) -> str:
    """What share.qr.qr_svg did before: segno's SVG writer at the variant's scale."""
    out = io.BytesIO()
    qr._code(url).save(out, kind="svg", scale=scale, border=4, xmldecl=False, nl=False,
                       title=title, svgclass="portfolio-qr", lineclass=None,
                       dark="#000000", light="#ffffff")
    return out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" ', 1)


def svg_pairs(batch: list[str]) -> None:
    """ms per URL for its (page, summary) SVG pair; the QR matrices are built beforehand, so
    this is the SVG part alone (add the mask choice above for a cold URL)."""
    for url in batch:
        qr._code(url)

    def before(url: str) -> None:
        _writer_svg(url, f"QR code linking to this credential: {url}", 4)
        _writer_svg(url, f"QR code linking to Some credential: {url}", 2)

    def after(url: str) -> None:
        qr.qr_svg(url, title=f"QR code linking to this credential: {url}", scale=4)
        qr.qr_svg(url, title=f"QR code linking to Some credential: {url}", scale=2)

    for _ in range(2):
        qr.svg_body.cache_clear()
        t_before = per_qr_ms(before, batch)
        qr.svg_body.cache_clear()
        t_after = per_qr_ms(after, batch)  # writes each body once (cold), derives both
        t_derive = per_qr_ms(after, batch)  # bodies cached: the two derivations alone
        print(f"{len(batch)} URLs, page (scale 4) + summary (scale 2) SVGs: segno writer twice "
              f"{t_before:.3f} ms/URL, writer once + 2 variants {t_after:.3f} ms/URL "
              f"({t_before / t_after:.1f}x); variants alone {t_derive * 1000:.1f} us/URL")


if __name__ == "__main__":
    main()
