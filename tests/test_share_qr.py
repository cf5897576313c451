"""QR SVG: parsed with defusedxml; the drawn modules must encode exactly the page URL."""

from __future__ import annotations

import re

import segno
from defusedxml import ElementTree

from portfolio_gen.share.qr import qr_svg

NS = "{http://www.w3.org/2000/svg}"
URL = "https://learner.example.net/portfolio/credentials/caf%C3%A9/"


def _modules(svg: str) -> set[tuple[int, int]]:
    """Dark (column, row) cells from segno's run-length path (border included)."""
    root = ElementTree.fromstring(svg)
    path = next(p for p in root.iter(f"{NS}path") if p.get("stroke"))
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path.get("d") or ""):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(float(a))))
            x += float(a)
    return dark


def test_qr_svg_encodes_the_url_and_is_accessible() -> None:
    svg = qr_svg(URL, title='Open "Ada" <page> & more')
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    title = root.find(f"{NS}title")
    assert title is not None and title.text == 'Open "Ada" <page> & more'
    expected = segno.make(URL, error="m", micro=False, boost_error=False)
    want = {(c + 4, r + 4) for r, row in enumerate(expected.matrix)
            for c, v in enumerate(row) if v}
    assert _modules(svg) == want
    other = segno.make(URL + "x", error="m", micro=False, boost_error=False)
    assert other.matrix != expected.matrix  # the comparison above can tell URLs apart


def test_qr_is_deterministic_and_has_default_title() -> None:
    assert qr_svg(URL) == qr_svg(URL)
    title = ElementTree.fromstring(qr_svg(URL)).find(f"{NS}title")
    assert title is not None and URL in (title.text or "")
