"""What every MkDocs build of ours shares: generated page sources and a fixed build date.

Engine-free (no mkdocs import), so the pool workers and the CLI path can use it cheaply.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime


def front_matter(title: str) -> str:
    """A generated page's source: JSON is valid YAML; the title is HTML-escaped because
    themes print it unescaped."""
    return f"---\ntitle: {json.dumps(html.escape(title))}\n---\n"


@contextmanager
def source_date(now: datetime | None) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` = ``now`` while MkDocs runs (MkDocs dates the sitemap with it),
    so builds with the same ``now`` are byte-identical; ``None`` leaves it alone."""
    if now is None:
        yield
        return
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(now.timestamp()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
