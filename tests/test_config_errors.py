"""Configuration errors stop the build (exit 2), once, with file, line, column and the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portfolio_gen.config import load_pathways, parse_front_matter
from portfolio_gen.errors import ConfigError
from portfolio_gen.scaffold import create_portfolio

NOW = "2026-06-01T12:00:00Z"


def _build(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "portfolio_gen", "build", str(folder),
                           "--offline", "--now", NOW], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    create_portfolio(tmp_path / "p", name="Ada Example")
    return tmp_path / "p"


def test_profile_typo_stops_the_build_once_with_position_and_suggestion(folder: Path) -> None:
    profile = folder / "profile.yml"
    profile.write_text(profile.read_text().replace("\nname:", "\nnmae:"))
    proc = _build(folder)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "profile.yml: unknown key 'nmae' (line 2, column 1); did you mean 'name'?" in out
    assert out.count("unknown key 'nmae'") == 1, out
    assert "Traceback" not in out
    assert not (folder / "site").exists()  # nothing was published without the profile


def test_plugin_option_typo_points_into_mkdocs_yml(folder: Path) -> None:
    config = folder / "mkdocs.yml"
    text = config.read_text().replace("      badges_dir: badges", "      badge_dir: badges")
    config.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "badge_dir:" in row)
    proc = _build(folder)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert (f"unknown option 'badge_dir' (line {line}, column 7); did you mean 'badges_dir'?"
            in out), out
    assert out.count("unknown option 'badge_dir'") == 1, out


def test_yaml_syntax_error_names_where_the_construct_starts(folder: Path) -> None:
    (folder / "pathways.yml").write_text("pathways:\n  - name: Robots\n    required: [a, b\n"
                                         "    capstone: c\n")
    proc = _build(folder)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "pathways.yml: not valid YAML (line 3, column 15:" in out
    assert "close the '[' with ']'" in out
    assert out.count("not valid YAML") == 1, out


def test_pathways_unknown_key_suggests_and_tabs_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "pathways.yml"
    path.write_text("pathways:\n  - name: X\n    requird: [a]\n")
    with pytest.raises(ConfigError, match=r"unknown key 'requird' \(line 3, column 5\); did "
                                          r"you mean 'required'\?"):
        load_pathways(path)
    path.write_text("pathways:\n\t- name: X\n")
    with pytest.raises(ConfigError, match=r"line 2, column 1: .*spaces, not tabs"):
        load_pathways(path)


def test_front_matter_errors_count_lines_of_the_file() -> None:
    with pytest.raises(ConfigError, match=r"line 3, column 9"):
        parse_front_matter("---\ntitle: x\nskills: [a\n---\nText\n", "reflections/a.md")


def test_a_mkdocs_option_error_is_one_message_with_its_detail(folder: Path) -> None:
    config = folder / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material", "  name: materiall"))
    proc = _build(folder)
    assert proc.returncode == 2
    assert proc.stderr.count("materiall") == 1, proc.stderr
    assert "error: " in proc.stderr and "Config value 'theme'" in proc.stderr
