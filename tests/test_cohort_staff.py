"""Staff outputs: CSV injection safety, counts and failures, escaped HTML."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from portfolio_gen.cohort.staff import StaffWriter, csv_safe
from portfolio_gen.model.learner_summary import CredentialFacts, FailedCredential, LearnerSummary


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    evil = ("=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tTab", "Plain")
    summary = LearnerSummary(
        "l/a", "=Ada", "", None, "",
        tuple(CredentialFacts(f"c{i}", name, "k", "@Issuer", "i", "2025-01-01", None,
                              ("-skill", "ok")) for i, name in enumerate(evil)),
        (FailedCredential("badges/bad.json", "invalid", "<b>tampered</b>"),),
        (("invalid", 1), ("verified", len(evil))), ())
    writer = StaffWriter(tmp_path / "staff", "Cohort <1>")
    writer.add_learner(summary)
    writer.add_excluded()
    writer.add_invalid("cohort.yml", "learners[0]: folder not found")
    paths = writer.close()
    with paths["csv"].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["learner", "achievement", "issuer", "issued", "expires", "skills"]
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2",
                                        "'@SUM(A1)", "'\tTab", "Plain"]
    assert {r[0] for r in rows[1:]} == {"'=Ada"} and {r[2] for r in rows[1:]} == {"'@Issuer"}
    assert {r[5] for r in rows[1:]} == {"'-skill; ok"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    report = json.loads(paths["json"].read_text())
    assert report["verdicts"] == {"invalid": 1, "verified": 6}
    assert report["excluded_without_consent"] == 1
    assert report["failing_credentials"] == [{"learner": "=Ada", "folder": "l/a",
                                              "file": "badges/bad.json", "verdict": "invalid",
                                              "reason": "<b>tampered</b>"}]
    page = paths["html"].read_text()
    assert "&lt;b&gt;tampered&lt;/b&gt;" in page and "<b>" not in page
    assert "Cohort &lt;1&gt;" in page and "folder not found" in page


def test_csv_safe() -> None:
    assert csv_safe("=1") == "'=1" and csv_safe("a=1") == "a=1" and csv_safe("") == ""
