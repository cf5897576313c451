"""cohort.yml validation: errors name file, key and expectation; bad entries never stop
the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_gen.cohort.config import load_cohort
from portfolio_gen.cohort.learner import read_learner
from portfolio_gen.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cohort.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ("learners: [a]\n", "title: required"),
    ("title: T\n", "learners: required"),
    ("title: T\nlearners: []\n", "learners: required"),
    ("title: T\nlearners: [a]\ncolour: red\n", "unknown key 'colour'"),
    ("title: T\nlearners: [a]\nsite_url: ftp://x\n", "site_url: expected an http(s) URL"),
    ("title: T\nlearners: [a]\nlogo: nope.png\n", "logo: expected an image file"),
    ("title: T\nlearners: [a]\nstaff_outputs: yes\n", "staff_outputs: expected a mapping"),
    ("title: T\nlearners: [a]\nstaff_outputs: {linked: 1}\n",
     "staff_outputs.linked: expected true or false"),
    ("title: T\nlearners: [a]\nstaff_outputs: {pth: x}\n", "unknown key 'pth'"),
    ("title: T\nlearners: [a]\nnow: yesterday\n", "now: expected an ISO-8601 instant"),
    ("title: T\nlearners: [a]\noffline: maybe\n", "offline: expected true or false"),
    ("title: T\nlearners: [a]\nstrict: maybe\n", "strict: expected true or false"),
    ("title: [T\n", "not valid YAML"),
    ("title: T\nlearners: [a]\nexecutor: ray\n", "executor: expected one of process, dask"),
    ("title: T\nlearners: [a]\nexecutor: dask\n", "scheduler: required with executor: dask"),
])
def test_errors_name_file_key_and_expectation(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_cohort(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_patterns_expand_sorted_and_bad_entries_are_reported(tmp_path: Path) -> None:
    for name in ("b", "a", "c"):
        (tmp_path / "learners" / name).mkdir(parents=True)
    (tmp_path / "file.txt").write_text("x")
    path = _write(tmp_path, "title: T\nlearners:\n  - learners/*\n  - learners/a\n"
                            "  - missing\n  - file.txt\n  - none/*\n")
    config = load_cohort(path)
    assert [e.rel for e in config.learners] == ["learners/a", "learners/b", "learners/c"]
    reasons = [p.reason for p in config.problems]
    assert reasons == ["learners[2] ('missing'): folder not found",
                       "learners[3] ('file.txt'): is not a folder",
                       "learners[4] ('none/*'): the pattern matches no folder"]
    assert all(p.file == str(path) for p in config.problems)
    assert config.staff.enabled and not config.staff.linked
    assert config.staff.path == tmp_path / "staff-reports"


def test_learner_folder_problems_name_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "l1"
    folder.mkdir()
    with pytest.raises(ConfigError, match=r"mkdocs\.yml: not found"):
        read_learner(folder)
    (folder / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n")
    with pytest.raises(ConfigError, match="no 'portfolio' plugin"):
        read_learner(folder)
    (folder / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - portfolio:\n      profile: me.yml\n")
    with pytest.raises(ConfigError, match=r"me\.yml: profile file not found"):
        read_learner(folder)
    (folder / "me.yml").write_text("name: Ada\nshowcase_consent: 'yes'\n")
    assert read_learner(folder) is None  # only a literal true is consent
    (folder / "me.yml").write_text("name: Ada\nshowcase_consent: true\nfavourite: tea\n")
    with pytest.raises(ConfigError) as info:
        read_learner(folder)
    assert str(folder / "me.yml") in str(info.value) and "favourite" in str(info.value)
    (folder / "me.yml").write_text("name: Ada\nshowcase_consent: true\n")
    setup = read_learner(folder)
    assert setup is not None and setup.profile.name == "Ada"


def test_strict_reaches_the_pool_and_its_cache_policy(tmp_path: Path) -> None:
    """cohort.yml ``strict: true`` verifies every learner in strict mode; cache keys differ."""
    from portfolio_gen.cohort.prepare import pool_settings
    from portfolio_gen.cohort.verify_pool import _policy
    from portfolio_gen.verify.context import VerifyOptions

    (tmp_path / "a").mkdir()
    config = load_cohort(_write(tmp_path, "title: T\nlearners: [a]\nstrict: true\n"))
    assert config.strict is True
    settings = pool_settings(config, cache_dir=tmp_path / "c")
    assert settings.strict is True
    lenient = pool_settings(load_cohort(_write(tmp_path, "title: T\nlearners: [a]\n")),
                            cache_dir=tmp_path / "c")
    assert _policy(lenient, VerifyOptions(strict=True)) != _policy(lenient, VerifyOptions())
    # the summary entry (keyed without learner options) differs between the two cohorts
    assert _policy(settings, VerifyOptions()) != _policy(lenient, VerifyOptions())


def test_executor_defaults_to_the_process_pool_and_dask_keeps_its_scheduler(
        tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    plain = load_cohort(_write(tmp_path, "title: T\nlearners: [a]\n"))
    assert (plain.executor, plain.scheduler) == ("process", "")
    dask = load_cohort(_write(tmp_path, "title: T\nlearners: [a]\nexecutor: dask\n"
                                        "scheduler: tcp://10.0.0.5:8786\n"))
    assert (dask.executor, dask.scheduler) == ("dask", "tcp://10.0.0.5:8786")
