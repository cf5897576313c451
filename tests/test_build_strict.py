"""``build --strict`` (for CI): a real build of the sample that fails on warnings, files in
badges/ that are not credentials and credentials that are not verified, and passes when
there are none. The site is written either way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from portfolio_gen.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = json.loads((ROOT / "sample_portfolio" / "expected.json").read_text(encoding="utf-8"))
NOW = EXPECTED["now"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The sample with every credential that is not verified taken out (and the reflection
    that names one of them, which would otherwise be a listed problem)."""
    project = tmp_path / "sample"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "sample_portfolio", project / "sample_portfolio")
    for name, verdict in EXPECTED["verdicts"].items():
        # and the classmate's badge (verified, but not issued to this learner: issue #14)
        if verdict != "verified" or name in EXPECTED["not_recipient"]:
            (project / "sample_portfolio" / "badges" / name).unlink()
    (project / "sample_portfolio" / "reflections" / "statistics-twice.md").unlink()
    return project


def _build(project: Path, *extra: str) -> tuple[int, str, str]:
    site = project.parent / "site"
    result = CliRunner().invoke(main, ["build", str(project), "--offline", "--quiet", "--now",
                                       NOW, "-d", str(site), *extra])
    assert (site / "index.html").is_file(), result.output  # the site is written either way
    return result.exit_code, result.stdout, result.stderr


def test_strict_passes_a_clean_portfolio(project: Path) -> None:
    code, out, err = _build(project, "--strict")
    assert code == 0, out + err
    assert "strict:" not in err


def test_strict_fails_on_a_credential_that_is_not_verified(project: Path) -> None:
    revoked = next(n for n, v in EXPECTED["verdicts"].items() if v == "revoked")
    shutil.copy(ROOT / "sample_portfolio" / "badges" / revoked,
                project / "sample_portfolio" / "badges" / revoked)
    assert _build(project)[0] == 0                      # without --strict: listed, not fatal
    code, _, err = _build(project, "--strict")
    assert code == 1
    assert "1 credential(s) not verified" in err


def test_strict_fails_on_a_file_that_is_not_a_credential(project: Path) -> None:
    (project / "sample_portfolio" / "badges" / "notes.txt").write_text("my badges\n")
    code, out, err = _build(project, "--strict")
    assert code == 1
    assert "badges/notes.txt: not published" in out
    assert "1 problem(s) with files" in err


def test_strict_fails_on_a_logged_warning(project: Path) -> None:
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text("\n".join(line for line in mkdocs.read_text().splitlines()
                                if not line.startswith("site_url:")) + "\n")
    assert _build(project)[0] == 0
    code, _, err = _build(project, "--strict")
    assert code == 1
    assert "warning(s)" in err


def test_scaffolded_workflow_uses_strict_only_when_opted_in() -> None:
    workflow = (ROOT / "portfolio_gen" / "scaffold_template" / "dot-github" / "workflows"
                / "pages.yml").read_text()
    build = next(line for line in workflow.splitlines() if "portfolio-gen build" in line)
    assert "vars.PORTFOLIO_STRICT == 'true' && '--strict' || ''" in build


def test_strict_fails_on_someone_elses_badge(project: Path) -> None:
    """Issue #14: a genuine badge issued to someone else fails a strict (CI) build."""
    name = EXPECTED["not_recipient"][0]
    shutil.copy(ROOT / "sample_portfolio" / "badges" / name,
                project / "sample_portfolio" / "badges" / name)
    code, out, err = _build(project, "--strict")
    assert code == 1 and "1 credential(s) not issued to the learner" in out + err
