"""SVG bar charts made at build time (no JavaScript, no chart library in the browser).

Accessible by construction: ``role="img"``, a ``<title>`` and a ``<desc>`` that lists
every bar in words, referenced by ``aria-labelledby``; every label is XML-escaped
(skill and issuer names come from credentials, which anyone can write).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
BAR_WIDTH = 300
VALUE_WIDTH = 60
MAX_LABEL = 32


def bar_chart_svg(title: str, items: Sequence[tuple[str, int]], *, unit: str = "learners",
                  description: str | None = None) -> str:
    """A horizontal bar chart of ``(label, value)`` pairs, largest bar full width."""
    uid = "c" + hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = max(1, len(items)) * (BAR_HEIGHT + GAP) + GAP
    top = max((v for _, v in items), default=0) or 1
    words = "; ".join(f"{label}: {value} {unit}" for label, value in items) or "No data."
    desc = description or f"{title}. {words}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-labelledby="{uid}-t {uid}-d" class="cohort-chart">',
             f'<title id="{uid}-t">{escape(title)}</title>',
             f'<desc id="{uid}-d">{escape(desc)}</desc>']
    for row, (label, value) in enumerate(items):
        y = GAP + row * (BAR_HEIGHT + GAP)
        bar = max(1, round(BAR_WIDTH * value / top)) if value else 0
        shown = label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"
        parts.append(
            f'<g aria-hidden="true"><text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" '
            f'text-anchor="end" font-size="14" fill="currentColor">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
            f'rx="3" fill="#3f51b5"><title>{escape(label)}: {value} {escape(unit)}</title>'
            f'</rect><text x="{LABEL_WIDTH + bar + 6}" y="{y + BAR_HEIGHT - 6}" '
            f'font-size="14" fill="currentColor">{value}</text></g>')
    parts.append("</svg>")
    return "".join(parts)

