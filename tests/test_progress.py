"""Progress of long work: plain periodic lines off a terminal, a live bar on one, nothing with
``--quiet``; always on stderr, so ``verify --json`` keeps stdout pure JSON."""

from __future__ import annotations

import io
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from portfolio_gen import progress as progress_mod
from portfolio_gen.cli import main
from portfolio_gen.progress import ProgressDisplay, plain_line

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-06-01T12:00:00Z"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_lines_are_periodic_with_rate_and_time_left() -> None:
    out, clock = io.StringIO(), Clock()
    display = ProgressDisplay(out, live=False, interval=5.0, clock=clock)
    display("verifying badges", 0, 100)
    for done in range(1, 101):
        clock.now += 0.125         # 8 badges a second: a line every 5 s (40 badges)
        display("verifying badges", done, 100)
    lines = out.getvalue().splitlines()
    assert lines == ["verifying badges: 40/100 (40%), 8.0/s, about 8 s left",
                     "verifying badges: 80/100 (80%), 8.0/s, about 2 s left",
                     "verifying badges: 100/100 (100%), 8.0/s, 12 s"]


def test_quick_phases_print_nothing() -> None:
    out, clock = io.StringIO(), Clock()
    display = ProgressDisplay(out, live=False, interval=5.0, clock=clock)
    for done in range(1, 4):
        clock.now += 0.5
        display("rendering pages", done, 3)
    assert out.getvalue() == ""


def test_time_left_reads_in_minutes_and_hours() -> None:
    assert plain_line("staging learners", 100, 1000, 60.0).endswith("about 9 min 00 s left")
    assert "about 2 h 46 min left" in plain_line("x", 1, 1000, 10.0)
    assert plain_line("x", 0, 10, 0.0) == "x: 0/10 (0%)"


def test_live_display_draws_a_bar_per_phase() -> None:
    out = io.StringIO()
    with ProgressDisplay(out, live=True) as display:
        for done in range(1, 4):
            display("verifying", done, 3)
        display("rendering pages", 1, 2)
    text = out.getvalue()
    assert "verifying" in text and "3/3" in text
    assert "rendering pages" in text and "1/2" in text
    assert "\x1b[" in text  # a terminal display: rich's control codes, not ours


def test_only_the_progress_module_imports_rich() -> None:
    package = ROOT / "portfolio_gen"
    users = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")
                   if "import rich" in p.read_text(encoding="utf-8")
                   or "from rich" in p.read_text(encoding="utf-8"))
    assert users == ["progress.py"]


@pytest.fixture
def every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain line for every step, so short test runs show their progress."""
    monkeypatch.setattr(progress_mod, "DEFAULT_INTERVAL", 0.0)



def test_verify_json_keeps_stdout_pure_and_progress_on_stderr(every_step: None) -> None:
    badges = ROOT / "sample_portfolio" / "badges"
    pins = ROOT / "sample_portfolio" / "pins"
    result = CliRunner().invoke(main, ["verify", "--json", "--offline", "--pins", str(pins),
                                       "--now", NOW, str(badges)])
    reports = json.loads(result.stdout)
    total = len(reports)
    assert total > 3
    assert f"verifying: {total}/{total} (100%)" in result.stderr
    assert "verifying: 1/" in result.stderr


def test_quiet_silences_progress(every_step: None) -> None:
    badges = ROOT / "sample_portfolio" / "badges"
    result = CliRunner().invoke(main, ["verify", "--quiet", "--offline", "--now", NOW,
                                       str(badges)])
    assert "verifying:" not in result.stderr
    assert "credential(s):" in result.stdout


def test_build_reports_verifying_and_rendering(every_step: None, tmp_path: Path) -> None:
    project = tmp_path / "sample"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "sample_portfolio", project / "sample_portfolio")
    result = CliRunner().invoke(main, ["build", str(project), "--offline", "-d",
                                       str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "verifying badges: " in result.stderr
    rendered = [line for line in result.stderr.splitlines()
                if line.startswith("rendering pages: ")]
    assert rendered, result.stderr
    done, total = rendered[-1].split(": ")[1].split(" ")[0].split("/")
    assert done == total and int(total) >= 10
    assert "verifying badges" not in result.stdout


def test_cohort_build_reports_each_phase(tmp_path: Path) -> None:
    from portfolio_gen.cohort.build import build_cohort
    from portfolio_gen.mkdocs_plugin import MKDOCS
    from portfolio_gen.testing.cohort import make_cohort

    make_cohort(3, 2, tmp_path / "cohort")
    seen: list[tuple[str, int, int]] = []
    with ThreadPoolExecutor(1) as pool:
        build_cohort(MKDOCS, tmp_path / "cohort" / "cohort.yml", site_dir=tmp_path / "site",
                     cache_dir=tmp_path / "cache", executor=pool,
                     progress=lambda *step: seen.append(step))
    phases = [phase for phase, _, _ in seen]
    assert list(dict.fromkeys(phases)) == ["verifying learners", "staging learners",
                                           "rendering pages", "writing learner files"]
    ends = {phase: (done, total) for phase, done, total in seen}
    assert ends["verifying learners"] == (3, 3)
    assert ends["staging learners"][0] == ends["staging learners"][1]
    assert ends["writing learner files"][0] == ends["writing learner files"][1] > 0


def test_add_reports_sources_and_many_credential_files(every_step: None,
                                                       tmp_path: Path) -> None:
    from portfolio_gen.scaffold import create_portfolio
    from portfolio_gen.testing.ob3 import Ob3Issuer

    issuer = Ob3Issuer()
    folder = tmp_path / "mine"
    create_portfolio(folder, name="Ada Example")
    drop = tmp_path / "downloads"
    drop.mkdir()
    for n in range(3):
        credential = issuer.sign_di(issuer.credential(
            achievement_name=f"Skill {n}", credential_id=f"urn:uuid:0000000{n}-0000-4000-8000-"
                                                         "000000000000"))
        (drop / f"b{n}.json").write_text(json.dumps(credential))
    single = tmp_path / "one.json"
    single.write_text(json.dumps(issuer.sign_di(issuer.credential(achievement_name="Solo"))))
    result = CliRunner().invoke(main, ["add", str(drop), str(single), "--to", str(folder),
                                       "--offline"])
    assert result.exit_code == 0, result.output
    assert f"adding {drop}: 3/3 (100%)" in result.stderr
    assert "adding: 2/2 (100%)" in result.stderr
    assert "adding" not in result.stdout       # the verdict lines stay on stdout alone
    assert result.stdout.count("verified") == 4
    quiet = CliRunner().invoke(main, ["add", "-q", str(drop), str(single), "--to",
                                      str(folder), "--offline"])
    assert "adding" not in quiet.stderr and "already there" in quiet.stdout


def test_a_terminal_gets_the_bar_unless_it_is_dumb(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    primary, secondary = os.openpty()   # a real pseudo-terminal
    with os.fdopen(secondary, "w") as tty:
        monkeypatch.setenv("TERM", "xterm")
        assert ProgressDisplay(tty).live
        monkeypatch.setenv("TERM", "dumb")
        assert not ProgressDisplay(tty).live
    os.close(primary)
    assert not ProgressDisplay(io.StringIO()).live
