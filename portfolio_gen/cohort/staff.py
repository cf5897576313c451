"""Staff outputs: the verification report (JSON + HTML) and a CSV of verified credentials.

For careers staff, not the public: written to ``staff_outputs.path`` (outside the site
unless ``linked: true``). Rows are written as learner results stream in, so the CSV
never needs the whole cohort in memory. Non-consenting learners are not in the data
at all (only counted), hidden credentials are not in it, and reasons were scrubbed of
learner identifiers in the worker.

CSV injection: spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``,
``@`` (or a tab / carriage return) as a formula, and badge text is written by anyone;
such cells get a leading ``'`` (OWASP's advice).
"""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from portfolio_gen.model.learner_summary import LearnerSummary

CSV_HEADER = ("learner", "achievement", "issuer", "issued", "expires", "skills")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


@dataclass
class StaffReport:
    """Counts and failures gathered while results stream in."""

    title: str
    verdicts: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, str]] = field(default_factory=list)
    invalid_entries: list[dict[str, str]] = field(default_factory=list)
    learner_problems: list[dict[str, str]] = field(default_factory=list)
    learners: int = 0
    excluded: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "learners": self.learners,
                "excluded_without_consent": self.excluded,
                "verdicts": dict(sorted(self.verdicts.items())),
                "failing_credentials": self.failures, "invalid_entries": self.invalid_entries,
                "learner_problems": self.learner_problems}


class StaffWriter:
    """Streams the CSV; writes the JSON and HTML report on close."""

    def __init__(self, folder: Path, title: str) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.report = StaffReport(title)
        self._csv_file = (folder / "verified-credentials.csv").open("w", encoding="utf-8",
                                                                    newline="")
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow(CSV_HEADER)

    def add_learner(self, summary: LearnerSummary) -> None:
        self.report.learners += 1
        for verdict, count in summary.verdicts:
            self.report.verdicts[verdict] += count
        for failed in summary.failed:
            self.report.failures.append({"learner": summary.name, "folder": summary.rel,
                                         "file": failed.file, "verdict": failed.verdict,
                                         "reason": failed.reason})
        for problem in summary.problems:
            self.report.learner_problems.append({"learner": summary.name,
                                                 "folder": summary.rel, "problem": problem})
        for cred in summary.verified:
            self._csv.writerow([csv_safe(v) for v in (
                summary.name, cred.name, cred.issuer_name, cred.issued or "",
                cred.expires or "", "; ".join(cred.skills))])

    def add_excluded(self) -> None:
        self.report.excluded += 1

    def add_invalid(self, file: str, reason: str) -> None:
        self.report.invalid_entries.append({"file": file, "reason": reason})

    def close(self) -> dict[str, Path]:
        self._csv_file.close()
        data = self.report.to_dict()
        paths = {"csv": self.folder / "verified-credentials.csv",
                 "json": self.folder / "verification-report.json",
                 "html": self.folder / "verification-report.html"}
        paths["json"].write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
        paths["html"].write_text(render_html(data), encoding="utf-8")
        return paths

    def __enter__(self) -> StaffWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self._csv_file.closed:
            self._csv_file.close()


def render_html(data: dict[str, Any]) -> str:
    """A self-contained page (no scripts, no outside requests), every value escaped."""
    e = html.escape
    counts = "".join(f"<tr><th scope='row'>{e(k)}</th><td>{v}</td></tr>"
                     for k, v in data["verdicts"].items())
    fails = "".join(
        f"<tr><td>{e(f['learner'])}</td><td>{e(f['folder'])}/{e(f['file'])}</td>"
        f"<td>{e(f['verdict'])}</td><td>{e(f['reason'])}</td></tr>"
        for f in data["failing_credentials"])
    invalid = "".join(f"<li><code>{e(i['file'])}</code>: {e(i['reason'])}</li>"
                      for i in data["invalid_entries"])
    learner = "".join(f"<li>{e(p['learner'])} (<code>{e(p['folder'])}</code>): "
                      f"{e(p['problem'])}</li>" for p in data["learner_problems"])
    title = e(f"{data['title']}: verification report")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='robots' content='noindex'>"
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f"<p>{data['learners']} learners in the showcase; "
        f"{data['excluded_without_consent']} left out without consent.</p>"
        "<h2>Credentials by verdict</h2><table><thead><tr><th scope='col'>Verdict</th>"
        f"<th scope='col'>Credentials</th></tr></thead><tbody>{counts}</tbody></table>"
        "<h2>Credentials that did not verify</h2>"
        + (("<table><thead><tr><th scope='col'>Learner</th><th scope='col'>File</th>"
            "<th scope='col'>Verdict</th><th scope='col'>Reason</th></tr></thead>"
            f"<tbody>{fails}</tbody></table>") if fails else "<p>None.</p>")
        + "<h2>Learner entries that could not be read</h2>"
        + (f"<ul>{invalid}</ul>" if invalid else "<p>None.</p>")
        + "<h2>Problems in learner folders (left out of the site)</h2>"
        + (f"<ul>{learner}</ul>" if learner else "<p>None.</p>")
        + "</main></body></html>\n")
