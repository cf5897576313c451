"""A cohort's theme override: only the careers office's cohort folder themes the site.

Real cohort builds (``build_cohort``, MkDocs + Material, the process pool) of a small
generated cohort: the cohort folder's ``themes/portfolio/`` reaches the cohort pages, every
learner page and the assets; a learner's own ``themes/`` is never read (a learner must not
restyle or script a site shared with classmates); editing an override file re-stages
every learner (the staged-page cache key follows it), an unchanged one re-stages none.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from portfolio_gen.cohort.build import build_cohort
from portfolio_gen.errors import ConfigError
from portfolio_gen.mkdocs_plugin import MKDOCS
from portfolio_gen.testing.cohort import make_cohort

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "themes" / "portfolio"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _learner_credential_pages(site: Path) -> list[Path]:
    return sorted((site / "learners").glob("*/credentials/*/index.html"))


def _everything(site: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".css", ".js", ".svg"))


def test_the_cohort_folder_themes_the_site_and_learners_cannot(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    make_cohort(4, 2, cohort)
    template = (OURS / "templates" / "credential.html").read_text(encoding="utf-8")
    mine = cohort / "themes" / "portfolio"
    _write(mine / "templates" / "credential.html",
           template.replace("About this credential", "Office theme one"))
    _write(mine / "assets" / "cohort.css", "/* office cohort css */\n")
    for learner in (cohort / "learners").iterdir():     # every learner tries to restyle
        own = learner / "themes" / "portfolio"
        _write(own / "templates" / "credential.html", "LEARNER TEMPLATE {{ cred.name }}\n")
        _write(own / "templates" / "cohort_home.html", "LEARNER HOME\n")
        _write(own / "assets" / "portfolio.css", "/* LEARNER CSS */\n")
        _write(own / "assets" / "portfolio.js", "alert('LEARNER JS')\n")

    site, cache = tmp_path / "site", tmp_path / "cache"
    first = build_cohort(MKDOCS, cohort / "cohort.yml", site_dir=site, cache_dir=cache)
    pages = _learner_credential_pages(site)
    assert first.learners >= 2 and first.staged_fresh == first.learners and pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Office theme one" in text and "About this credential" not in text
    everything = _everything(site)
    assert "LEARNER" not in everything
    assets = site / "assets"
    assert (assets / "cohort" / "cohort.css").read_text() == "/* office cohort css */\n"
    assert (assets / "portfolio" / "portfolio.css").read_bytes() == \
        (OURS / "assets" / "portfolio.css").read_bytes()

    # unchanged: every learner's staged pages are reused
    again = build_cohort(MKDOCS, cohort / "cohort.yml", site_dir=site, cache_dir=cache)
    assert (again.staged_fresh, again.staged_cached) == (0, first.learners)
    # a learner editing their own (ignored) theme changes nothing either
    for learner in (cohort / "learners").iterdir():
        _write(learner / "themes" / "portfolio" / "templates" / "credential.html", "NEW\n")
    quiet = build_cohort(MKDOCS, cohort / "cohort.yml", site_dir=site, cache_dir=cache)
    assert quiet.staged_fresh == 0

    # the office edits its override: the cache key changes, every learner is re-staged
    _write(mine / "templates" / "credential.html",
           template.replace("About this credential", "Office theme two"))
    edited = build_cohort(MKDOCS, cohort / "cohort.yml", site_dir=site, cache_dir=cache)
    assert (edited.staged_fresh, edited.staged_cached) == (first.learners, 0)
    for page in _learner_credential_pages(site):
        assert "Office theme two" in page.read_text(encoding="utf-8")


def test_a_cohort_page_template_can_be_overridden(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    make_cohort(2, 1, cohort)
    home = (OURS / "templates" / "cohort_home.html").read_text(encoding="utf-8")
    _write(cohort / "themes" / "portfolio" / "templates" / "cohort_home.html",
           "<p class=\"office-banner\">Welcome from the careers office</p>\n" + home)
    build_cohort(MKDOCS, cohort / "cohort.yml", site_dir=tmp_path / "site",
                 cache_dir=tmp_path / "c")
    text = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<p class="office-banner">Welcome from the careers office</p>' in text


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_cohort_override_linking_out_of_the_cohort_folder_stops_the_build(
        tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    make_cohort(2, 1, cohort)
    outside = tmp_path / "elsewhere"
    (outside / "portfolio" / "templates").mkdir(parents=True)
    (cohort / "themes").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ConfigError, match="leads \\(through a link\\) out of"):
        build_cohort(MKDOCS, cohort / "cohort.yml", site_dir=tmp_path / "site",
                     cache_dir=tmp_path / "c")
    assert not (tmp_path / "site").exists()
    shutil.rmtree(outside)


def test_cohort_serve_watches_the_cohort_override(tmp_path: Path) -> None:
    from portfolio_gen.cohort.config import load_cohort
    from portfolio_gen.cohort.serve import watch_paths

    make_cohort(2, 1, tmp_path / "c")
    cohort = tmp_path / "c" / "cohort.yml"
    assert not any(p.name == "portfolio" for p in watch_paths(load_cohort(cohort)))
    _write(tmp_path / "c" / "themes" / "portfolio" / "assets" / "cohort.css", "a {}\n")
    watched = watch_paths(load_cohort(cohort))
    assert (tmp_path / "c" / "themes" / "portfolio").resolve() in watched
