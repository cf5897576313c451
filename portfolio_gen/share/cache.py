"""A content-addressed cache for rendered cards, so a warm rebuild renders nothing.

The key hashes the renderer's version, the output kind and every input the renderer reads
(including the badge image bytes); changing any of them is a miss, nothing else is.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from portfolio_gen.share.info import ShareInfo


def _default(value: object) -> Any:
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(*parts: object) -> str:
    """SHA-256 over a canonical JSON form of ``parts`` (dataclasses expanded)."""
    expanded = [asdict(p) if isinstance(p, ShareInfo) else p for p in parts]
    text = json.dumps(expanded, default=_default, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class RenderCache:
    """Files under ``folder`` named by key; ``hits``/``misses`` count this run's lookups."""

    folder: Path
    hits: int = 0
    misses: int = 0
    rendered: list[str] = field(default_factory=list)

    def get_or_render(self, kind: str, key: str, render: Callable[[], bytes]) -> bytes:
        path = self.folder / kind / key[:2] / key
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            pass
        else:
            self.hits += 1
            return data
        self.misses += 1
        self.rendered.append(f"{kind}/{key}")
        data = render()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)  # atomic: a crashed build never leaves a half-written entry
        return data
