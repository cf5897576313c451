"""A cohort without a fixed ``now`` is judged at midnight UTC of the build's day, so a
second build the same day reuses every staged learner (and says so on each page)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import yaml

from portfolio_gen.cohort.build import build_cohort
from portfolio_gen.cohort.prepare import start_of_day
from portfolio_gen.mkdocs_plugin import MKDOCS
from portfolio_gen.render.templates import human_date
from portfolio_gen.testing.cohort import make_cohort


def test_start_of_day_is_midnight_utc() -> None:
    late = datetime(2026, 11, 29, 23, 59, 59, 999, tzinfo=UTC)
    assert start_of_day(late) == datetime(2026, 11, 29, tzinfo=UTC)
    # an instant given in another zone is taken in UTC first
    east = datetime(2026, 11, 30, 1, 30, tzinfo=timezone(timedelta(hours=3)))
    assert start_of_day(east) == datetime(2026, 11, 29, tzinfo=UTC)


def test_rebuild_without_now_reuses_every_learner(tmp_path: Path) -> None:
    make_cohort(3, 2, tmp_path / "cohort")
    cohort = tmp_path / "cohort" / "cohort.yml"
    data = yaml.safe_load(cohort.read_text(encoding="utf-8"))
    data.pop("now")
    cohort.write_text(yaml.safe_dump(data), encoding="utf-8")
    before = start_of_day(datetime.now(UTC))

    first = build_cohort(MKDOCS, cohort, site_dir=tmp_path / "one", cache_dir=tmp_path / "cache")
    second = build_cohort(MKDOCS, cohort, site_dir=tmp_path / "two", cache_dir=tmp_path / "cache")

    if start_of_day(datetime.now(UTC)) != before:   # the builds straddled midnight UTC
        return
    assert first.staged_fresh == first.learners > 0
    assert second.staged_fresh == 0 and second.staged_cached == first.learners
    assert second.verify_calls == 0
    stamp = f"Verified on {human_date(before)}, 00:00 UTC"
    pages = list((tmp_path / "two" / "learners").rglob("credentials/*/index.html"))
    assert pages and all(stamp in p.read_text(encoding="utf-8") for p in pages)
