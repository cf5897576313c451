"""The cohort SITE: one real MkDocs + Material build of a generated cohort (real signed
credentials, a real process pool), checked file by file.

The cohort: 12 learners x 4 credentials; learners 3 and 10 did not consent, learners 2
and 7 hide a credential, learner 5 has a tampered badge, and learner 11 is renamed to
learner 0's name (equal names get different slugs). Expectations are computed from the
generator's own record (``LearnerSpec``), not from the directory data under test.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from portfolio_gen.cohort.build import CohortBuildSummary, build_cohort
from portfolio_gen.mkdocs_plugin import MKDOCS
from portfolio_gen.model.slugs import slugify
from portfolio_gen.testing.cohort import PATHWAY, PATHWAY_REQUIRED, LearnerSpec, make_cohort

N, M = 12, 4
TWIN = 11       # renamed to learner 0's name


@dataclass
class Built:
    root: Path
    specs: list[LearnerSpec]
    cold: CohortBuildSummary
    warm: CohortBuildSummary
    site: Path
    site_warm: Path


def _skills_for(achievement: str) -> list[str]:
    from portfolio_gen.testing import cohort as gen

    return gen._skills_for(achievement)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("cohort-site")
    specs = make_cohort(N, M, root / "cohort")
    profile = root / "cohort" / "learners" / f"learner-{TWIN:05d}" / "profile.yml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["name"] = specs[0].name
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    specs[TWIN] = LearnerSpec(**{**specs[TWIN].__dict__, "name": specs[0].name})
    cohort = root / "cohort" / "cohort.yml"
    cold = build_cohort(MKDOCS, cohort, site_dir=root / "site", cache_dir=root / "cache")
    warm = build_cohort(MKDOCS, cohort, site_dir=root / "site-warm", cache_dir=root / "cache")
    return Built(root, specs, cold, warm, root / "site", root / "site-warm")


def _shown(spec: LearnerSpec) -> list[str]:
    """Achievements of the learner's verified, unhidden credentials (the generator's rules:
    credential 0 hidden when i % 5 == 2; credential 1 tampered when i % 11 == 5)."""
    return [a for k, a in enumerate(spec.achievements)
            if not (k == 0 and spec.hidden_id) and not (k == 1 and spec.index % 11 == 5)]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.cards: list[str] = []
        self._in_card_name = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key):
                self.urls.append(a[key] or "")
        if tag in ("h2", "h3") and "pg-cohort-card__name" in (a.get("class") or ""):
            self._in_card_name = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self._in_card_name = 0

    def handle_data(self, data: str) -> None:
        if self._in_card_name and data.strip():
            self.cards.append(data.strip())


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _page(site: Path, url: str) -> Path:
    return site / url / "index.html" if url.endswith("/") or not url else site / url


def test_build_counts(built: Built) -> None:
    consenting = [s for s in built.specs if s.consent]
    assert built.cold.learners == len(consenting) == 10
    assert built.cold.excluded == 2 and built.cold.invalid == 0
    assert built.cold.verified == sum(len(_shown(s)) for s in consenting)
    assert built.cold.staged_fresh == 10 and built.cold.staged_cached == 0
    assert built.cold.learner_pages > 10 * (M + 6)
    assert built.cold.pages == built.warm.pages


def test_warm_rebuild_hits_every_cache(built: Built) -> None:
    assert built.warm.verify_calls == 0
    assert built.warm.staged_fresh == 0 and built.warm.staged_cached == 10


def test_two_builds_are_identical(built: Built) -> None:
    def tree(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file()}

    cold, warm = tree(built.site), tree(built.site_warm)
    assert len(cold) > 200
    assert cold == warm


def test_pages_at_stable_urls(built: Built) -> None:
    site = built.site
    for url in ("", "learners/", "skills/", "issuers/", "credentials/", "pathways/",
                f"skills/{slugify('Python')}/", f"pathways/{slugify(PATHWAY)}/",
                "directory/index/manifest.json", "assets/cohort/top-skills.svg"):
        assert _page(site, url).is_file(), url
    for spec in built.specs:
        if not spec.consent:
            continue
        slug = slugify(spec.name)
        if spec.index == TWIN:
            twin = [p.name for p in (site / "learners").iterdir()
                    if p.name.startswith(slug + "-")]
            assert len(twin) == 1, twin
            slug = twin[0]
        base = site / "learners" / slug
        assert (base / "index.html").is_file(), spec.name
        for sub in ("credentials", "skills", "pathways", "timeline", "reflections", "summary"):
            assert (base / sub / "index.html").is_file(), (spec.name, sub)
        home = (base / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{spec.name}</h1>" in home
        for k, achievement in enumerate(spec.achievements):
            page = base / "credentials" / slugify(achievement) / "index.html"
            if k == 0 and spec.hidden_id:
                assert not page.exists(), "a hidden credential has no page"
            else:
                assert page.is_file(), (spec.name, achievement)
                text = page.read_text(encoding="utf-8")
                assert 'class="pg-share' in text and "pg-check" in text  # panel or "off" note


def test_sitemap_lists_every_page_once(built: Built) -> None:
    """Learner pages are rendered in the workers, not by MkDocs; the sitemap still lists
    them beside the cohort pages, and its gzip copy says the same."""
    site = built.site
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    assert len(locs) == len(set(locs)) == built.cold.pages
    pages = {p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")}
    pages = {"" if p == "./" else p for p in pages}
    prefix = locs[0]
    assert {loc.removeprefix(prefix) for loc in locs} == pages
    assert f"{prefix}learners/{slugify(built.specs[0].name)}/credentials/" in locs
    assert text.count("<lastmod>") == len(locs)


def test_nav_holds_only_cohort_pages(built: Built) -> None:
    page = built.site / "learners" / slugify(built.specs[0].name) / "credentials" / "index.html"
    text = page.read_text(encoding="utf-8")
    primary = text[text.index('md-nav--primary'):]
    primary = primary[:primary.index("</nav>")]
    titles = re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*</span>', primary)
    assert titles[-6:] == ["Home", "Learners", "Skills", "Issuers", "Credentials", "Pathways"]
    assert built.specs[0].name not in primary


def test_facet_pages_list_the_right_learners(built: Built) -> None:
    consenting = [s for s in built.specs if s.consent]
    skills = sorted({sk for s in consenting for a in _shown(s) for sk in _skills_for(a)})
    assert len(skills) > 5
    for skill in skills:
        expected = sorted(s.name for s in consenting
                          if any(skill in _skills_for(a) for a in _shown(s)))
        got = sorted(_parse(built.site / "skills" / slugify(skill) / "index.html").cards)
        assert got == expected, skill
    # an achievement is issuer-specific: one name may have several pages, each titled
    # "<name> (<issuer>)" so the pages (and the chart bars) can be told apart
    by_label: dict[str, list[str]] = {}
    titles = []
    for page in sorted((built.site / "credentials").glob("*/index.html")):
        label = re.search(r"<h1>([^<]*) \(([^<]*)\)</h1>", page.read_text(encoding="utf-8"))
        assert label is not None
        titles.append(label.group(0))
        by_label.setdefault(label.group(1), []).extend(_parse(page).cards)
    assert len(titles) == len(set(titles))
    achievements = sorted({a for s in consenting for a in _shown(s)})
    assert sorted(by_label) == achievements
    for achievement in achievements:
        expected = sorted({s.name for s in consenting if achievement in _shown(s)})
        assert sorted(set(by_label[achievement])) == expected, achievement
    # a tampered or hidden credential does not make its holder appear
    hidden = next(s for s in consenting if s.hidden_id)
    only_hidden = [a for a in hidden.achievements[:1]
                   if not any(a in _shown(s) for s in consenting)]
    for achievement in only_hidden:
        assert not (built.site / "credentials" / slugify(achievement)).exists()
    done = sorted(s.name for s in consenting
                  if all(a in _shown(s) for a in PATHWAY_REQUIRED))
    assert done
    page = built.site / "pathways" / slugify(PATHWAY) / "index.html"
    assert sorted(_parse(page).cards) == done


def test_every_internal_link_resolves(built: Built) -> None:
    """Relative links only (the site works under any sub-path), and each one exists."""
    site = built.site
    checked = 0
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":   # MkDocs makes its links absolute (site_url's path)
            continue
        here = page.relative_to(site).parent.as_posix()
        for url in _parse(page).urls:
            if url.startswith(("https://", "http://", "mailto:", "#", "data:", "javascript:")):
                assert not url.startswith("javascript:"), (page, url)
                continue
            assert not url.startswith("/"), f"{page}: absolute path {url}"
            path = url.split("#")[0].split("?")[0]
            if not path:
                continue
            target = posixpath.normpath(posixpath.join(here, path))
            assert not target.startswith(".."), (page, url)
            found = site / target
            if found.is_dir():
                found = found / "index.html"
            assert found.is_file(), f"{page.relative_to(site)}: broken link {url}"
            checked += 1
    assert checked > 1000


def test_privacy_in_every_output_file(built: Built) -> None:
    files = [p for p in built.site.rglob("*") if p.is_file()]
    blobs = {p: p.read_bytes() for p in files}
    assert len(blobs) > 200
    # compressed files are searched inside too (ZIP archives, sitemap.xml.gz)
    for path in files:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    blobs[path / name] = name.encode() + b"\n" + archive.read(name)
        elif path.suffix == ".gz":
            blobs[path / "gunzip"] = gzip.decompress(path.read_bytes())
    assert any(p.parent.suffix == ".zip" for p in blobs)

    def hits(needle: str) -> list[Path]:
        data = needle.encode("utf-8")
        return [p for p, b in blobs.items() if data in b]

    absent = [s for s in built.specs if not s.consent]
    assert absent
    for spec in absent:
        for needle in (spec.name, spec.folder, *spec.credential_ids):
            assert not hits(needle), (needle, hits(needle)[:3])
    hiders = [s for s in built.specs if s.consent and s.hidden_id]
    assert hiders
    for spec in hiders:
        assert spec.hidden_id and spec.hidden_file
        assert not hits(spec.hidden_id) and not hits(spec.hidden_file)
    for spec in built.specs:
        for needle in (spec.email, spec.phone, spec.phone.replace(" ", ""),
                       f"learner{spec.index:05d}@"):
            assert not hits(needle), (needle, hits(needle)[:3])
    mail = re.compile(rb"mailto:(?!\?)")
    assert not [p for p, b in blobs.items() if mail.search(b)]
    # ... and the search could have failed: consenting learners and their ids are there
    shown = next(s for s in built.specs if s.consent and not s.hidden_id)
    assert hits(shown.name) and hits(shown.credential_ids[0])
    # staff outputs stay outside the public site and are not linked
    assert not (built.site / "staff").exists()
    assert not hits("verified-credentials.csv") and not hits("verification-report.html")
    assert built.cold.staff and all(p.is_file() for p in built.cold.staff.values())


def test_directory_lists_learners_without_javascript(built: Built) -> None:
    page = built.site / "learners" / "index.html"
    names = _parse(page).cards
    assert sorted(names) == sorted(s.name for s in built.specs if s.consent)
    text = page.read_text(encoding="utf-8")
    assert "data-pg-cohort-form hidden" in text
    manifest = built.site / "directory" / "index" / "manifest.json"
    assert manifest.stat().st_size < 8 * 1024


def test_cohort_home_figures_charts_and_og(built: Built) -> None:
    text = (built.site / "index.html").read_text(encoding="utf-8")
    assert "<dd>10</dd>" in text and f"<dd>{built.cold.verified}</dd>" in text
    assert text.count('role="img"') >= 2 and "Top skills by number of learners" in text
    assert '<meta property="og:title" content="Class of 2026 showcase">' in text
    assert 'property="og:url" content="https://careers.example.edu/showcase/"' in text
    assert "Recent achievements" in text


def test_cli_cohort_build(built: Built) -> None:
    from portfolio_gen.cli import main

    out = built.root / "site-cli"
    result = CliRunner().invoke(main, ["cohort", "build", str(built.root / "cohort" /
                                                               "cohort.yml"),
                                       "-d", str(out), "--cache-dir",
                                       str(built.root / "cache")])
    assert result.exit_code == 0, result.output
    assert "10 learners shown" in result.output and "10 cached" in result.output
    assert (out / "index.html").read_bytes() == (built.site / "index.html").read_bytes()
