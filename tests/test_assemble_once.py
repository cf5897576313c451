"""One ``assemble_portfolio`` (issue #13 item 4): a learner's own site, their cohort
sub-site, their directory card and the staff report count their credentials alike.

Before, the cohort summary re-derived display and ignored ``failed: hide``: a learner who
hid their failed credentials still had them in the cohort's verdict counts and the staff
list of failures, while their own site did not show them at all.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from portfolio_gen.cohort.build import build_cohort
from portfolio_gen.cohort.verify_pool import LearnerTask, PoolSettings, process_learner
from portfolio_gen.mkdocs_plugin import MKDOCS
from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.model.build_summary import BuildSummary
from portfolio_gen.testing.cohort import LearnerSpec, make_cohort

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PACKAGE = Path(__file__).resolve().parents[1] / "portfolio_gen"


def _tamper(path: Path) -> None:
    data = path.read_bytes()
    data = data.replace(b"Awarded", b"Awardee", 1) if data.startswith(b"{") else (
        data[:-3] + (b"AAA" if not data.endswith(b"AAA") else b"BBB"))
    path.write_bytes(data)


def _options(folder: Path, **changes: Any) -> None:
    mkdocs = folder / "mkdocs.yml"
    data = yaml.safe_load(mkdocs.read_text(encoding="utf-8"))
    options = next(p["portfolio"] for p in data["plugins"] if isinstance(p, dict))
    for key, value in changes.items():
        if key == "credentials":
            options.setdefault("credentials", {}).update(value)
        else:
            options[key] = value
    mkdocs.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[LearnerSpec]]:
    """Six learners: 0 hides failures for the folder but flags one credential back; 1 hides
    one failed credential; 2 hides a credential; 3 did not consent; 4's badges name someone
    else; 5 hides failures for the folder (its second badge is tampered by the generator)."""
    root = tmp_path_factory.mktemp("assemble-once")
    specs = make_cohort(6, 3, root)
    folders = {s.index: root / "learners" / s.folder for s in specs}
    first = {i: sorted((folders[i] / "badges").iterdir())[0] for i in (0, 1)}
    for i in (0, 1):
        _tamper(first[i])
    _options(folders[0], failed_credentials="hide",
             credentials={first[0].name: {"failed": "flag"}})
    second = sorted((folders[0] / "badges").iterdir())[1]
    _tamper(second)                              # hidden by the folder's policy
    _options(folders[1], credentials={first[1].name: {"failed": "hide"}})
    profile = folders[4] / "profile.yml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["identifiers"] = ["somebody.else@example.org"]
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _options(folders[5], failed_credentials="hide")
    return root, specs


def _own_site(folder: Path, out: Path) -> BuildSummary:
    return build_site(folder, site_dir=out, offline=True, now=NOW)


def _pages(site: Path) -> set[str]:
    return {p.parent.name for p in (site / "credentials").glob("*/index.html")}


def _skills(site: Path) -> list[str]:
    """The skills page's sections: skills counted from verified credentials of one's own."""
    page = site / "skills" / "index.html"
    return re.findall(r'<section class="pg-skill" aria-labelledby="([^"]+)"',
                      page.read_text(encoding="utf-8")) if page.is_file() else []


def test_cohort_counts_match_each_learners_own_site(
        cohort: tuple[Path, list[LearnerSpec]], tmp_path: Path) -> None:
    root, specs = cohort
    summary = build_cohort(MKDOCS, root / "cohort.yml", site_dir=tmp_path / "cohort-site",
                           cache_dir=tmp_path / "cache", now=NOW)
    report = json.loads(summary.staff["json"].read_text(encoding="utf-8"))
    cards = json.loads((tmp_path / "cohort-site" / "directory" / "index" / "cards" / "0.json")
                       .read_text(encoding="utf-8"))
    card_by_name = {c[1]: c for c in cards}
    settings = PoolSettings(now=NOW, offline=True)
    expected_verdicts: Counter[str] = Counter()
    seen = {"flag": 0, "hide": 0, "hidden": 0, "not_owners": 0, "skills": 0}
    for spec in (s for s in specs if s.consent):
        folder = root / "learners" / spec.folder
        own = _own_site(folder, tmp_path / f"own-{spec.index}")
        result = process_learner(LearnerTask(folder, spec.folder), settings)
        assert result.status == "ok" and result.summary is not None
        counts = result.summary.counts
        # the same counts as the learner's own build summary line
        assert (counts.shown, counts.flagged, counts.hidden, counts.not_owners,
                counts.unverified) == (own.verified, own.flagged, own.hidden,
                                       own.not_recipient, own.unverified), spec.folder
        # the directory card counts what the own site counts: verified, shown, theirs
        counted = own.verified - own.not_recipient
        assert card_by_name[spec.name][3] == counted == len(result.summary.verified)
        # the staff report lists exactly the published credentials that do not count
        failures = [f for f in report["failing_credentials"]
                    if f["folder"] == f"learners/{spec.folder}"]
        assert len(failures) == own.flagged + own.not_recipient, spec.folder
        expected_verdicts.update(v for v, n in result.summary.verdicts for _ in range(n))
        assert sum(n for _, n in result.summary.verdicts) == own.verified + own.flagged
        # the cohort sub-site publishes the same credential pages as the learner's own site
        slug = card_by_name[spec.name][0]
        sub_site = tmp_path / "cohort-site" / "learners" / slug
        own_site = tmp_path / f"own-{spec.index}"
        assert _pages(sub_site) == _pages(own_site), spec.folder
        # ... and the same skills: a flagged credential's alignments count on neither
        assert _skills(sub_site) == _skills(own_site), spec.folder
        seen["skills"] += len(_skills(own_site))
        seen["flag"] += own.flagged
        seen["hide"] += own.hidden if spec.index in (0, 1, 5) else 0
        seen["hidden"] += own.hidden if spec.index == 2 else 0
        seen["not_owners"] += own.not_recipient
    assert report["verdicts"] == dict(sorted(expected_verdicts.items()))
    # the scenario is what it says: failures hidden by policy and by credential, a failure
    # flagged back, a hidden credential and someone else's badges were all there
    assert seen["hide"] == 3 and seen["flag"] >= 1 and seen["hidden"] == 1
    assert seen["not_owners"] == 3 and seen["skills"] > 0


def test_failed_hide_keeps_failures_out_of_the_staff_report(
        cohort: tuple[Path, list[LearnerSpec]], tmp_path: Path) -> None:
    """Learner 5 hides failed credentials: the cohort says nothing of their tampered badge."""
    root, specs = cohort
    spec = next(s for s in specs if s.index == 5)
    result = process_learner(LearnerTask(root / "learners" / spec.folder, spec.folder),
                             PoolSettings(now=NOW, offline=True))
    assert result.summary is not None
    assert result.summary.failed == ()
    assert result.summary.counts.hidden == 1 and result.summary.counts.unverified == 1
    assert "invalid" not in dict(result.summary.verdicts)


def _cohort_modules() -> list[Path]:
    return sorted((PACKAGE / "cohort").glob("*.py"))


@pytest.mark.parametrize("path", _cohort_modules(), ids=lambda p: p.name)
def test_cohort_decides_no_display(path: Path) -> None:
    """cohort/ orchestrates: it calls the model's public assembly and never re-derives
    display (no private model names, no slug or display rules of its own)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "portfolio_gen.model"):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path.name} imports private {private} from {node.module}"
            assert not {a.name for a in node.names} & {
                "credential_from_report", "unique_slugs", "compute_progress", "merge_skills",
                "Display"}, f"{path.name} re-derives display from {node.module}"
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and isinstance(
                node.value, ast.Name) and node.value.id in {"assemble", "model"}:
            raise AssertionError(f"{path.name} calls {node.value.id}.{node.attr}")
        if isinstance(node, ast.Name) and node.id == "Display":
            raise AssertionError(f"{path.name} decides display itself")


def test_model_display_data_imports_no_cohort() -> None:
    for path in sorted((PACKAGE / "model").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "portfolio_gen.cohort" not in text, f"model/{path.name} imports cohort/"
