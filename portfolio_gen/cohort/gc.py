"""Remove staged learner folders no cohort build uses any more.

Why: every change to a learner (a new badge, an edited reflection) stages a new folder
under a new content key, and the old one would stay in the cache for ever. Each cohort
records the keys its latest build used (``<cache>/build/<cohort>/staged.json``); a
staged folder is removed when no cohort's latest build names it. Several cohorts can
share one cache folder: a folder another cohort still uses is kept, and so is any folder
made in the last hour (a build running at the same moment may not have recorded it yet).
Unfinished ``.tmp-*`` folders (a worker that crashed mid-write) go once an hour old.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RECORD = "staged.json"
_GRACE = 3600.0


@dataclass(frozen=True)
class Collected:
    removed: int
    kept: int


def record_used(work: Path, keys: Iterable[str]) -> None:
    """Write the staged keys this cohort's build used (atomically)."""
    work.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=work, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(sorted(set(keys)), fh)
    os.replace(tmp, work / RECORD)


def collect(staged_root: Path, builds_root: Path, *, now: float | None = None) -> Collected:
    """Remove staged folders that no cohort's latest build (in ``builds_root``) names."""
    used: set[str] = set()
    for record in builds_root.glob(f"*/{RECORD}"):
        try:
            used.update(str(k) for k in json.loads(record.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return Collected(0, 0)    # a record we cannot read: remove nothing
    now = time.time() if now is None else now
    removed = kept = 0
    for shard in sorted(staged_root.glob("??")):
        for folder in sorted(shard.iterdir()):
            try:
                recent = now - folder.stat().st_mtime < _GRACE
            except OSError:
                continue
            if folder.name in used or recent:
                kept += 1
            else:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return Collected(removed, kept)
