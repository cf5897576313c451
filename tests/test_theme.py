"""The theme at the top level (``themes/portfolio/``) and a portfolio's own overrides.

Real builds of the sample portfolio (offline, from its pins) into temporary folders: the
README's example override, a CSS override, a share-card override and its cache key, and
override folders that lead out of the portfolio. Cohort overrides are in
``test_theme_cohort.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from portfolio_gen import templating, theme
from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.render.templates import make_environment

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "themes" / "portfolio"
SAMPLE_CREDENTIAL = "credentials/applied-statistics-for-data-analysis/index.html"


def _sample(where: Path) -> Path:
    """The sample portfolio (mkdocs.yml + sample_portfolio/) copied to ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(ROOT / "sample_portfolio", where / "sample_portfolio")
    return where


def _override(project: Path, rel: str, text: str) -> Path:
    path = project / "themes" / "portfolio" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- where the theme is ------------------------------------------------------------------------

def test_the_theme_lives_at_the_top_level_and_the_source_tree_reads_it_in_place() -> None:
    assert theme.builtin() == OURS                    # a checkout: no copy in the package
    assert not (ROOT / "portfolio_gen" / "themes").exists()
    for rel in ("templates/credential.html", "templates/card.svg.j2",
                "templates/iframe_card.html.j2", "assets/portfolio.css", "assets/portfolio.js",
                "assets/cohort.css", "assets/cohort.js", "assets/embed.js", "fonts/DejaVuSans.ttf",
                "fonts/DejaVuSans-Bold.ttf", "fonts/LICENSE", "fonts/SOURCE.md"):
        assert (OURS / rel).is_file(), rel


def test_one_environment_for_pages_and_share_artefacts() -> None:
    env = make_environment()
    assert env is templating.environment()
    # HTML and SVG templates escape alike (the settings the two environments had)
    assert env.autoescape is True
    svg = templating.render("card.svg.j2", **_card_context('<script>"x"</script>'))
    assert "<script>" not in svg and "&lt;script&gt;&#34;x&#34;&lt;/script&gt;" in svg


def _card_context(alt: str) -> dict[str, object]:
    return {"w": 10, "h": 10, "alt": alt, "band_y": 1, "colour": "#000", "img_x": 0,
            "img_y": 0, "img_size": 1, "image_uri": "data:,", "text_x": 0,
            "name_lines": ["n"], "name_y": 0, "name_lh": 1, "name_size": 1, "issuer": "i",
            "issuer_y": 0, "issuer_size": 1, "date": "d", "date_y": 0, "date_size": 1,
            "word": "w", "sentence": "s", "word_x": 0, "state_y": 0, "state_size": 1,
            "icon_svg": ""}


def test_an_override_replaces_one_template_and_keeps_the_rest(tmp_path: Path) -> None:
    override = tmp_path / "themes" / "portfolio"
    _override(tmp_path, "templates/card.svg.j2", "<svg>{{ alt }} mine</svg>\n")
    found, why = theme.find_override(tmp_path)
    assert (found, why) == (override.resolve(), None)
    env = templating.environment(found)
    assert env is not templating.environment()
    assert env.get_template("card.svg.j2").render(alt="<b>") == "<svg>&lt;b&gt; mine</svg>\n"
    assert env.get_template("credential.html").filename == str(OURS / "templates" /
                                                             "credential.html")
    assert theme.file("assets", "portfolio.css", found) == OURS / "assets" / "portfolio.css"


def test_our_own_themes_folder_beside_the_samples_mkdocs_yml_is_no_override() -> None:
    assert theme.find_override(ROOT) == (None, None)
    assert theme.digest(None) == ""


def test_the_override_digest_follows_every_override_file(tmp_path: Path) -> None:
    css = _override(tmp_path, "assets/portfolio.css", "a {}\n")
    found, _ = theme.find_override(tmp_path)
    first = theme.digest(found)
    css.write_text("a { color: red }\n")
    second = theme.digest(found)
    _override(tmp_path, "templates/home.html", "x\n")
    assert len({first, second, theme.digest(found)}) == 3


# -- the README's example, and a CSS override ----------------------------------------------------

def test_the_readme_example_override_shows_in_the_built_page(tmp_path: Path) -> None:
    """Exactly the README's "Themes" example: copy credential.html into the portfolio's
    themes/portfolio/templates/, change one line, rebuild."""
    project = _sample(tmp_path / "portfolio")
    build_site(project, site_dir=project / "site")
    before = (project / "site" / SAMPLE_CREDENTIAL).read_text(encoding="utf-8")
    assert "About this credential" in before and "What this badge says" not in before

    mine = project / "themes" / "portfolio" / "templates"
    mine.mkdir(parents=True)
    shutil.copy(theme.builtin() / "templates" / "credential.html", mine / "credential.html")
    text = (mine / "credential.html").read_text(encoding="utf-8")
    assert text.count("About this credential") == 1
    (mine / "credential.html").write_text(
        text.replace("About this credential", "What this badge says"), encoding="utf-8")
    summary = build_site(project, site_dir=project / "site")

    after = (project / "site" / SAMPLE_CREDENTIAL).read_text(encoding="utf-8")
    assert '<h2 id="pg-about">What this badge says</h2>' in after
    assert "About this credential" not in after
    assert not summary.problems
    # only that line changed
    assert after.replace("What this badge says", "About this credential") == before


def test_an_override_css_file_replaces_ours_in_the_site(tmp_path: Path) -> None:
    project = _sample(tmp_path / "portfolio")
    mine = b"/* my portfolio colours */\n.pg-card { border-color: rebeccapurple; }\n"
    _override(project, "assets/portfolio.css", mine.decode())
    # ours only (README): the embed script other sites load, and the fonts images are drawn in
    _override(project, "assets/embed.js", "alert('mine')\n")
    _override(project, "fonts/DejaVuSans.ttf", "not a font\n")
    summary = build_site(project, site_dir=project / "site")
    assert not summary.problems
    assets = project / "site" / "assets" / "portfolio"
    assert (assets / "portfolio.css").read_bytes() == mine
    assert (assets / "portfolio-embed.js").read_bytes() == \
        (OURS / "assets" / "embed.js").read_bytes()
    assert (assets / "portfolio.js").read_bytes() == (OURS / "assets" / "portfolio.js").read_bytes()
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="assets/portfolio/portfolio.css"' in home


def test_a_share_card_override_is_part_of_the_render_cache_key(tmp_path: Path) -> None:
    """The SVG card is cached across builds (.portfolio-cache): adding, then editing, an
    override card.svg.j2 must re-render it, not serve the cached card."""
    project = _sample(tmp_path / "portfolio")
    card = project / "site" / "credentials" / "applied-statistics-for-data-analysis" / "card.svg"
    build_site(project, site_dir=project / "site")
    ours = card.read_text(encoding="utf-8")
    template = (OURS / "templates" / "card.svg.j2").read_text(encoding="utf-8")
    marked = template.replace("<title", "<desc>theme one</desc>\n<title", 1)
    _override(project, "templates/card.svg.j2", marked)
    build_site(project, site_dir=project / "site")
    assert card.read_text(encoding="utf-8") == ours.replace(
        "<title", "<desc>theme one</desc>\n<title", 1)
    _override(project, "templates/card.svg.j2", marked.replace("theme one", "theme two"))
    build_site(project, site_dir=project / "site")
    assert "<desc>theme two</desc>" in card.read_text(encoding="utf-8")
    # the embeddable iframe card reads the same environment
    _override(project, "templates/iframe_card.html.j2", "<p>{{ name }} (mine)</p>\n")
    build_site(project, site_dir=project / "site")
    wide = card.with_name("embed-wide.html").read_text(encoding="utf-8")
    assert wide == "<p>Applied Statistics for Data Analysis (mine)</p>\n"


def test_theme_files_one_level_too_high_are_named_not_silently_ignored(tmp_path: Path) -> None:
    project = _sample(tmp_path / "portfolio")
    _write_text(project / "themes" / "templates" / "credential.html", "MISPLACED\n")
    summary = build_site(project, site_dir=project / "site")
    assert "MISPLACED" not in (project / "site" / SAMPLE_CREDENTIAL).read_text(encoding="utf-8")
    assert any("theme files go in themes/portfolio/templates/" in p for p in summary.problems)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- an attacker's override ------------------------------------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_an_override_folder_linking_out_of_the_portfolio_is_refused(tmp_path: Path) -> None:
    """A shared portfolio template whose themes/ is a link to elsewhere (another user's
    files, a system folder) must not be rendered into the site."""
    outside = tmp_path / "outside"
    (outside / "portfolio" / "templates").mkdir(parents=True)
    (outside / "portfolio" / "templates" / "credential.html").write_text("STOLEN\n")
    project = _sample(tmp_path / "portfolio")
    (project / "themes").symlink_to(outside, target_is_directory=True)
    assert theme.find_override(project)[0] is None
    summary = build_site(project, site_dir=project / "site")
    page = (project / "site" / SAMPLE_CREDENTIAL).read_text(encoding="utf-8")
    assert "STOLEN" not in page and "About this credential" in page
    assert any("theme override folder leads (through a link) out of" in p
               for p in summary.problems), summary.problems


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_an_override_file_linking_out_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n")
    project = _sample(tmp_path / "portfolio")
    mine = project / "themes" / "portfolio"
    (mine / "templates").mkdir(parents=True)
    (mine / "assets").mkdir()
    (mine / "templates" / "credential.html").symlink_to(secret)
    (mine / "assets" / "portfolio.css").symlink_to(secret)
    found, _ = theme.find_override(project)
    assert found is not None and theme.override_files(found) == []
    build_site(project, site_dir=project / "site")
    site = project / "site"
    assert "TOP SECRET" not in (site / SAMPLE_CREDENTIAL).read_text(encoding="utf-8")
    assert (site / "assets" / "portfolio" / "portfolio.css").read_bytes() == \
        (OURS / "assets" / "portfolio.css").read_bytes()
