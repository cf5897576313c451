"""The package as a learner installs it: ``python -m build`` makes an sdist and a wheel that
``twine check`` accepts; the wheel holds every file of the package (templates, assets, fonts,
contexts, the scaffold); installed into a fresh virtual environment, away from the source
tree, it builds the sample portfolio and a ``new`` scaffold.

This is the one test that reaches beyond 127.0.0.1: the build backend and the package's
dependencies come from the package index (through pip's own cache, so reruns are quicker).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from portfolio_gen import __version__
from portfolio_gen.scaffold import SOURCE_REPOSITORY

pytestmark = [pytest.mark.wheel, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "portfolio_gen"
THEME = ROOT / "themes" / "portfolio"     # shipped in the wheel as portfolio_gen/themes/portfolio


def _env() -> dict[str, str]:
    """No PYTHONPATH (nothing from the source tree) and pip's real cache (conftest points
    XDG_CACHE_HOME at a fresh folder, which would make pip download everything again)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True,
                            text=True, timeout=840)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@dataclass
class Dist:
    wheel: Path
    sdist: Path


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    out = tmp_path_factory.mktemp("dist")
    # sdist first, then the wheel built from the unpacked sdist (what `python -m build` does)
    _run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out)
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    return Dist(wheels[0], sdists[0])


@pytest.fixture(scope="module")
def venv(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel (and its dependencies) installed."""
    where = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", where / "env", cwd=where)
    bin_dir = where / "env" / ("Scripts" if os.name == "nt" else "bin")
    _run(bin_dir / "python", "-m", "pip", "install", "--quiet", dist.wheel, cwd=where)
    return bin_dir


def test_twine_accepts_both(dist: Dist) -> None:
    result = _run(sys.executable, "-m", "twine", "check", "--strict", dist.wheel, dist.sdist,
                  cwd=dist.wheel.parent)
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_wheel_holds_every_package_file_and_the_metadata(dist: Dist) -> None:
    names = set(zipfile.ZipFile(dist.wheel).namelist())
    expected = {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert expected - names == set()
    theme = {f"portfolio_gen/themes/portfolio/{p.relative_to(THEME).as_posix()}"
             for p in THEME.rglob("*") if p.is_file()}
    assert theme - names == set()
    for rel in ("templates/credential.html", "templates/card.svg.j2",
                "templates/iframe_card.html.j2", "assets/portfolio.css", "assets/portfolio.js",
                "assets/cohort.css", "assets/cohort.js", "assets/embed.js", "fonts/DejaVuSans.ttf",
                "fonts/DejaVuSans-Bold.ttf", "fonts/LICENSE", "fonts/SOURCE.md"):
        assert f"portfolio_gen/themes/portfolio/{rel}" in names, rel
    assert not any(n.startswith("themes/") for n in names)   # inside the package only
    for kind in (".html", ".css", ".js", ".ttf", ".jsonld", ".j2"):
        assert any(n.endswith(kind) for n in names), kind
    assert "portfolio_gen/scaffold_template/dot-github/workflows/pages.yml" in names
    info = f"portfolio_gen-{__version__}.dist-info"
    assert f"{info}/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(dist.wheel).read(f"{info}/METADATA").decode()
    assert f"Version: {__version__}" in metadata
    assert "License-Expression: MIT" in metadata
    assert f"Project-URL: Source, {SOURCE_REPOSITORY}" in metadata
    assert "Classifier: Topic :: Education" in metadata
    assert "Description-Content-Type: text/markdown" in metadata


def test_installed_wheel_builds_the_sample_and_a_new_scaffold(
        venv: Path, tmp_path: Path) -> None:
    cli = venv / "portfolio-gen"
    where = _run(venv / "python", "-c", "import portfolio_gen; print(portfolio_gen.__file__)",
                 cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv.parent), where   # not the source tree
    version = _run(cli, "--version", cwd=tmp_path).stdout
    assert version.startswith(f"portfolio-gen {__version__}\n") and "Open Badges 3.0" in version

    sample = tmp_path / "sample"
    sample.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", sample / "mkdocs.yml")
    shutil.copytree(ROOT / "sample_portfolio", sample / "sample_portfolio")
    built = _run(cli, "build", "--offline", "--quiet", cwd=sample).stdout
    assert "credentials: " in built and "verified" in built
    assert (sample / "site" / "index.html").is_file()
    css = sample / "site" / "assets" / "portfolio" / "portfolio.css"
    assert css.read_bytes() == (THEME / "assets" / "portfolio.css").read_bytes()  # from the wheel
    found = _run(venv / "python", "-c", "from portfolio_gen import theme; print(theme.builtin())",
                 cwd=tmp_path).stdout.strip()
    assert Path(found) == Path(where).parent / "themes" / "portfolio", found
    card = next((sample / "site" / "credentials").glob("*/card.svg")).read_text()
    assert card.startswith("<svg") and "<title" in card      # card.svg.j2 and the fonts

    _run(cli, "new", "mine", "--name", "Ada Lovelace", cwd=tmp_path)
    flow = (tmp_path / "mine" / ".github" / "workflows" / "pages.yml").read_text()
    assert f'pip install "portfolio-gen=={__version__}"' in flow
    assert f"git+{SOURCE_REPOSITORY}@v{__version__}" in flow
    _run(cli, "build", "--offline", "-q", cwd=tmp_path / "mine")
    home = (tmp_path / "mine" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Ada Lovelace" in home


def test_the_sdist_holds_the_theme(dist: Dist) -> None:
    """The wheel is built from the unpacked sdist, so the sdist must carry themes/."""
    with tarfile.open(dist.sdist) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert {f"themes/portfolio/{p.relative_to(THEME).as_posix()}"
            for p in THEME.rglob("*") if p.is_file()} - names == set()


def test_an_editable_install_reads_the_theme_in_place(tmp_path: Path) -> None:
    """``pip install -e .`` copies no theme file: the package finds ``themes/`` beside it."""
    _run(sys.executable, "-m", "venv", tmp_path / "env", cwd=tmp_path)
    bin_dir = tmp_path / "env" / ("Scripts" if os.name == "nt" else "bin")
    _run(bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT,
         cwd=tmp_path)
    found = _run(bin_dir / "python", "-c",
                 "from portfolio_gen import theme; print(theme.builtin())", cwd=tmp_path)
    assert Path(found.stdout.strip()) == THEME
    assert not list((tmp_path / "env").rglob("DejaVuSans.ttf"))
    assert not list((tmp_path / "env").rglob("credential.html"))


def test_source_repository_is_pyproject_source_url() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["urls"]["Source"] == SOURCE_REPOSITORY
    assert "version" in meta["dynamic"] and "version" not in meta


def test_release_workflow_publishes_tags_with_trusted_publishing() -> None:
    import yaml

    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    assert flow[True] == {"push": {"tags": ["v*"]}}   # YAML 1.1 reads the key `on` as True
    assert flow["permissions"] == {"contents": "read"}
    publish = flow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert not any("password" in (s.get("with") or {}) for s in publish["steps"])  # no token
    runs = " ".join(s.get("run", "") for s in flow["jobs"]["build"]["steps"])
    assert "python -m build" in runs and "twine check --strict" in runs
