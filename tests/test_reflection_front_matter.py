"""A hostile reflection's front matter cannot pick a template or stop a build (issue 11,
problem 5).

``template: ../../../../x`` used to reach the theme's Jinja loader and end the whole build
(and a whole cohort) with a traceback. Now only our keys are read, anything else is ignored
with a problem naming the file, and the page source MkDocs gets carries our front matter
only — so neither a key nor a second front matter block in the body reaches the engine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.model.build_summary import BuildSummary
from portfolio_gen.model.reflection import load_reflections
from tests.test_site_support import make_portfolio, parse_html

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HOSTILE = {
    "climb.md": "---\ntitle: Climbing out\ntemplate: ../../../../etc/passwd\n---\nClimb body.\n",
    "theme.md": "---\ntitle: Own template\ntemplate: main.html\nhide: [navigation, toc]\n"
                "search: {exclude: true}\n---\nTheme body.\n",
    # an empty block, then one in the body: the engine must never read the second one
    "second.md": "---\n---\n---\ntemplate: ../../x\n---\nSecond body.\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildSummary]:
    root = tmp_path_factory.mktemp("hostile-reflections")
    fetcher = make_portfolio(root)
    for name, text in HOSTILE.items():
        (root / "reflections" / name).write_text(text, encoding="utf-8")
    site = root / "site"
    return root, site, build_site(root, site_dir=site, now=NOW, fetcher=fetcher)


def test_unknown_keys_are_named_and_ignored(built: tuple[Path, Path, BuildSummary]) -> None:
    root, _, summary = built
    problems = "\n".join(summary.problems)
    assert "reflections/climb.md: front matter key(s) 'template' ignored" in problems
    assert "reflections/theme.md: front matter key(s) 'hide', 'search', 'template' ignored" \
        in problems
    for name, text in HOSTILE.items():            # the learner's files are never rewritten
        assert (root / "reflections" / name).read_text(encoding="utf-8") == text


def test_the_rest_of_the_site_builds(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, summary = built
    assert summary.verified >= 3
    first = parse_html(site / "reflections/first-robot/index.html")
    assert "It took three tries." in first.text
    for slug, body in (("climb", "Climb body."), ("theme", "Theme body."),
                       ("second", "Second body.")):
        doc = parse_html(site / "reflections" / slug / "index.html")
        assert body in doc.text
        # our page, in our template: the portfolio's panel and Material's navigation
        assert doc.find_all(cls="pg-reflection-panel"), slug
        assert doc.find_all("nav", "md-nav--primary"), slug      # hide: was not obeyed
    assert "etc/passwd" not in (site / "reflections/climb/index.html").read_text()


def test_page_source_carries_only_our_front_matter(tmp_path: Path) -> None:
    folder = tmp_path / "reflections"
    folder.mkdir()
    for name, text in HOSTILE.items():
        (folder / name).write_text(text, encoding="utf-8")
    reflections, problems = load_reflections(folder)
    by_path = {r.path: r for r in reflections}
    assert by_path["climb.md"].markdown == '---\ntitle: "Climbing out"\n---\nClimb body.\n'
    assert by_path["second.md"].markdown.startswith("---\n{}\n---\n---\ntemplate:")
    assert len(problems) == 2


def test_cohort_build_goes_on_past_a_hostile_reflection(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "xdg"),
               NO_MKDOCS_2_WARNING="1")
    made = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_cohort.py"), "3",
                           "2", str(tmp_path / "cohort"), "--workers", "1"], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert made.returncode == 0, made.stderr
    learners = sorted((tmp_path / "cohort" / "learners").iterdir())
    (learners[0] / "reflections" / "climb.md").write_text(HOSTILE["climb.md"])
    result = subprocess.run(
        [sys.executable, "-m", "portfolio_gen", "cohort", "build", "cohort.yml", "-d",
         str(tmp_path / "site"), "--cache-dir", str(tmp_path / "cache")],
        cwd=tmp_path / "cohort", env=env, capture_output=True, text=True, timeout=600,
        check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (f"{learners[0].name}/reflections/climb.md: front matter key(s) 'template' "
            "ignored") in result.stderr
    assert "3 learners shown" in result.stdout
    pages = sorted((tmp_path / "site" / "learners").glob("*/reflections/climb/index.html"))
    assert len(pages) == 1 and "Climb body." in pages[0].read_text(encoding="utf-8")
    assert len(list((tmp_path / "site" / "learners").glob("*/index.html"))) == 3
