"""Staged learner folders are removed once no cohort's latest build uses them."""

from __future__ import annotations

import os
import time
from pathlib import Path

from portfolio_gen.cohort.gc import collect, record_used

HOUR = 3600.0


def _staged(root: Path, key: str, age: float) -> Path:
    folder = root / key[:2] / key
    (folder / "site").mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    stamp = time.time() - age
    os.utime(folder, (stamp, stamp))
    return folder


def test_unused_folders_go_and_used_ones_stay(tmp_path: Path) -> None:
    staged, builds = tmp_path / "staged", tmp_path / "build"
    a1 = _staged(staged, "aa" + "1" * 62, 5 * HOUR)     # cohort A uses it
    b1 = _staged(staged, "bb" + "1" * 62, 5 * HOUR)     # cohort B (same cache) uses it
    old = _staged(staged, "aa" + "2" * 62, 5 * HOUR)    # used by nobody any more
    fresh = _staged(staged, "cc" + "3" * 62, 60.0)      # a build running now made it
    crashed = _staged(staged, ".tmp-x", 2 * HOUR)
    crashed_now = _staged(staged, ".tmp-y", 60.0)
    record_used(builds / "cohort-a", [a1.name])
    record_used(builds / "cohort-b", [b1.name, a1.name])

    result = collect(staged, builds)

    assert a1.is_dir() and b1.is_dir() and fresh.is_dir() and crashed_now.is_dir()
    assert not old.exists() and not crashed.exists()
    assert result.removed == 2 and result.kept == 4


def test_an_unreadable_record_removes_nothing(tmp_path: Path) -> None:
    staged, builds = tmp_path / "staged", tmp_path / "build"
    old = _staged(staged, "aa" + "2" * 62, 5 * HOUR)
    (builds / "cohort-a").mkdir(parents=True)
    (builds / "cohort-a" / "staged.json").write_text("not json", encoding="utf-8")
    assert collect(staged, builds).removed == 0
    assert old.is_dir()


def test_record_replaces_the_previous_one(tmp_path: Path) -> None:
    staged, builds = tmp_path / "staged", tmp_path / "build"
    first = _staged(staged, "aa" + "1" * 62, 5 * HOUR)
    second = _staged(staged, "aa" + "2" * 62, 5 * HOUR)
    record_used(builds / "cohort-a", [first.name])
    record_used(builds / "cohort-a", [second.name])   # the learner changed
    collect(staged, builds)
    assert second.is_dir() and not first.exists()
