"""Issue #11 (1): a learner's paths stay inside their folder, on their own site too.

Absolute paths, ``..`` that climbs out and symlinks leading out are refused with a
sentence naming the key; the build goes on without what was refused. The cohort half
(through ``portfolio-gen cohort build``) is tests/test_cohort_hostile.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from portfolio_gen.cli import main
from portfolio_gen.config import CONFINED_OPTIONS, REFUSED_DIR, parse_plugin_options
from portfolio_gen.confine import confine, inside
from portfolio_gen.model.attachments import reflection_attachments
from portfolio_gen.testing.cohort import write_learner
from tests.support.outputs import find_in_outputs

SECRET = "STAFF-SECRET-single"


def test_confine_accepts_inside_and_refuses_every_way_out(tmp_path: Path) -> None:
    root = tmp_path / "me"
    (root / "badges").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    (root / "inner-link").symlink_to(root / "badges", target_is_directory=True)
    (root / "outer-link").symlink_to(tmp_path / "other", target_is_directory=True)
    assert confine("badges", root) == ((root / "badges").resolve(), None)
    assert confine("./badges/../badges", root)[0] == (root / "badges").resolve()
    assert confine("inner-link", root)[0] == (root / "badges").resolve()
    for value, words in (("/etc", "absolute path"), ("~/x", "absolute path"),
                         ("../other", "climbs out"), ("badges/../../other", "climbs out"),
                         ("outer-link", "through a link")):
        path, why = confine(value, root)
        assert path is None and why is not None and words in why, value
    assert inside(root / "badges", root) and not inside(tmp_path / "other", root)


def test_plugin_options_that_leave_the_folder_are_refused(tmp_path: Path) -> None:
    options = {key: f"../elsewhere/{key}" for key in CONFINED_OPTIONS}
    options["cache_dir"] = str(tmp_path / "cache")          # ours to write: not confined
    config = parse_plugin_options(options, project_dir=tmp_path / "me")
    assert sorted(config.refused) == sorted(CONFINED_OPTIONS)
    assert config.badges_dir == (tmp_path / "me").resolve() / REFUSED_DIR / "badges_dir"
    assert "plugins.portfolio.badges_dir: '../elsewhere/badges_dir' climbs out" in \
        config.refused["badges_dir"]
    assert config.cache_dir == (tmp_path / "cache").resolve()
    assert parse_plugin_options({}, project_dir=tmp_path).refused == {}


def test_attachments_links_out_are_never_published_and_scripts_only_off_cohorts(
        tmp_path: Path) -> None:
    folder = tmp_path / "reflections"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "secret.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (folder / "chart.png").write_bytes(b"\x89PNG")
    own, problems = reflection_attachments(folder, shared_origin=False)
    assert [rel for rel, _ in own] == ["chart.png", "page.html"]   # their own origin
    assert [p.source for p in problems] == ["reflections/secret.txt"]
    shared, problems = reflection_attachments(folder, shared_origin=True)
    assert [rel for rel, _ in shared] == ["chart.png"]
    assert sorted(p.source for p in problems) == ["reflections/page.html",
                                                  "reflections/secret.txt"]


@pytest.fixture
def hostile_learner(tmp_path: Path) -> Path:
    """A generated learner whose options and profile reach outside, with links out."""
    write_learner(tmp_path / "learners", 0, 2)
    folder = tmp_path / "learners" / "learner-00000"
    secrets = tmp_path / "staff-secrets"
    secrets.mkdir()
    (secrets / "notes.md").write_text(f"# Notes\n\n{SECRET}\n", encoding="utf-8")
    (secrets / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    mkdocs = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    options = mkdocs["plugins"][1]["portfolio"]
    options.update(pathways=str(secrets / "notes.md"))
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(mkdocs), encoding="utf-8")
    profile = yaml.safe_load((folder / "profile.yml").read_text(encoding="utf-8"))
    profile["photo"] = "../../staff-secrets/photo.png"
    (folder / "profile.yml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    (folder / "reflections" / "notes.md").symlink_to(secrets / "notes.md")
    (folder / "badges" / "other.json").symlink_to(secrets / "notes.md")
    (folder / "reflections" / "mine.md").write_text(
        "# Mine\n\n<b data-own-html>my own HTML</b>\n", encoding="utf-8")
    return folder


def test_single_learner_build_warns_and_goes_on_without_what_leaves(
        hostile_learner: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(hostile_learner), "-d", str(site),
                                       "--offline"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"plugins.portfolio.pathways: {str(tmp_path / 'staff-secrets' / 'notes.md')!r} " \
           "is an absolute path" in out
    assert "photo: '../../staff-secrets/photo.png' climbs out of the portfolio folder" in out
    assert "reflections/notes.md: is a link leading out of the folder" in out
    # the badge link out is accounted for with its own hint, and never read to sniff it
    assert "badges/other.json: not published: The file is a link leading out" in out
    assert "instead of linking to a file elsewhere" in out
    assert "credentials: 2 verified" in out          # the rest was built
    assert (site / "reflections" / "mine" / "index.html").is_file()
    assert not (site / "reflections" / "notes").exists()
    assert find_in_outputs([site], [SECRET]) == {}
    # a learner's own site keeps their own HTML (their origin): README, "Cohort showcase sites"
    mine = (site / "reflections" / "mine" / "index.html").read_text(encoding="utf-8")
    assert "<b data-own-html>my own HTML</b>" in mine


def test_verify_reports_a_badge_link_leading_out(hostile_learner: Path) -> None:
    result = CliRunner().invoke(main, ["verify", "--offline", "--json",
                                       str(hostile_learner / "badges")])
    assert "link leading out of the folder" in result.stdout
    assert SECRET not in result.stdout
