"""SVG bar charts made at build time (no JavaScript, no chart library in the browser).

Accessible by construction: ``role="img"``, a ``<title>`` and a ``<desc>`` that lists
every bar in words, referenced by ``aria-labelledby``; every label is XML-escaped
(skill and issuer names come from credentials, which anyone can write).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

from portfolio_gen.share import fonts

BAR_HEIGHT = 20
GAP = 10
LINE = 18            # one label line
WIDTH = 420          # the whole chart; labels sit above their bar, so none is ever cut off
BAR_WIDTH = 360
#: room for a label line: the chart less a margin, measured in DejaVu Sans (one of the widest
#: common sans-serif fonts, shipped with the package), so a line fits whatever font shows it
LINE_WIDTH = WIDTH - 4
MARGIN = 1.12
MAX_LINES = 3


def text_width(text: str, size: int = 14) -> float:
    """A generous estimate of ``text``'s width in pixels at ``size``."""
    return float(fonts.font(size).getlength(text)) * MARGIN


def wrap_label(label: str, width: float = LINE_WIDTH, lines: int = MAX_LINES) -> list[str]:
    """``label`` in lines no wider than ``width`` pixels, broken at spaces where possible; a
    label longer than ``lines`` lines ends in "…" (the full label is in the chart's
    description and the bar's tooltip)."""
    def fits(text: str) -> bool:
        return text_width(text) <= width

    out: list[str] = []
    current = ""
    for word in label.split() or [""]:
        while not fits(word):            # a very long word: break it where it stops fitting
            if current:
                out.append(current)
                current = ""
            cut = max(1, max(n for n in range(1, len(word) + 1) if fits(word[:n])))
            out.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if current and not fits(candidate):
            out.append(current)
            current = word
        else:
            current = candidate
    out.append(current)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while last and not fits(last + "…"):
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


def bar_chart_svg(title: str, items: Sequence[tuple[str, int]], *, unit: str = "learners",
                  description: str | None = None) -> str:
    """A horizontal bar chart of ``(label, value)`` pairs, largest bar full width; each label
    above its bar, wrapped (never clipped)."""
    uid = "c" + hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]
    top = max((v for _, v in items), default=0) or 1
    words = "; ".join(f"{label}: {value} {unit}" for label, value in items) or "No data."
    desc = description or f"{title}. {words}"
    rows = []
    y = GAP
    for label, value in items:
        lines = wrap_label(label)
        bar = max(1, round(BAR_WIDTH * value / top)) if value else 0
        text = "".join(
            f'<tspan x="2" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
            for i, line in enumerate(lines))
        bar_y = y + LINE * len(lines) + 2
        rows.append(
            f'<g aria-hidden="true"><text class="cohort-chart__label" x="2" y="{y + 14}" '
            f'font-size="14" fill="currentColor">{text}</text>'
            f'<rect x="0" y="{bar_y}" width="{bar}" height="{BAR_HEIGHT}" '
            f'rx="3" fill="#3f51b5"><title>{escape(label)}: {value} {escape(unit)}</title>'
            f'</rect><text x="{bar + 6}" y="{bar_y + BAR_HEIGHT - 5}" '
            f'font-size="14" fill="currentColor">{value}</text></g>')
        y = bar_y + BAR_HEIGHT + GAP
    height = max(y, 2 * GAP)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" '
             f'aria-labelledby="{uid}-t {uid}-d" class="cohort-chart">',
             f'<title id="{uid}-t">{escape(title)}</title>',
             f'<desc id="{uid}-d">{escape(desc)}</desc>', *rows, "</svg>"]
    return "".join(parts)
