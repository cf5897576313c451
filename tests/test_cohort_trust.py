"""Cohort figures, directory chips and facets count only verified credentials issued to the
learner (issue #14 item 4): a learner whose badges name someone else counts for nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import yaml

from portfolio_gen.cohort.build import build_cohort
from portfolio_gen.mkdocs_plugin import MKDOCS
from portfolio_gen.testing.cohort import make_cohort

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_someone_elses_badges_count_nowhere_in_the_cohort(tmp_path: Path) -> None:
    specs = make_cohort(3, 3, tmp_path / "cohort")
    target = next(s for s in specs if s.consent and not s.hidden_id)
    profile = tmp_path / "cohort" / "learners" / f"learner-{target.index:05d}" / "profile.yml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["identifiers"] = ["somebody.else@example.org"]     # none of their badges' recipients
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = build_cohort(MKDOCS, tmp_path / "cohort" / "cohort.yml", site_dir=tmp_path / "site",
                           cache_dir=tmp_path / "cache", now=NOW)
    report = json.loads(summary.staff["json"].read_text(encoding="utf-8"))
    mine = [f for f in report["failing_credentials"] if f["folder"].endswith(
        f"learner-{target.index:05d}")]
    assert len(mine) == 3 and {f["verdict"] for f in mine} == {"not_recipient"}
    assert report["verdicts"].get("not_recipient") == 3
    with summary.staff["csv"].open(encoding="utf-8") as handle:
        rows = handle.read()
    assert target.name not in rows          # no achievement row for them in the export
    others = [s for s in specs if s.consent and s is not target]
    assert any(s.name in rows for s in others)
