"""Plan and render one learner's sub-site in a pool worker, staged on disk by content.

:func:`stage_task` runs in a pool worker once every learner is verified and the slugs are
final: it turns a consenting learner's reports into their :class:`Portfolio`, runs
:func:`plan_site` on it — every page of the single-learner site, widgets included — with
share URLs under ``<site_url>learners/<slug>/``, and renders every page in the cohort's
chrome with the engine the build was given (MkDocs + Material:
:mod:`portfolio_gen.mkdocs_plugin.chrome`). Links inside the
plan are relative, so the pages work under ``learners/<slug>/`` of any sub-path.

Nothing of the plan travels back to the parent: finished pages and files are written to
a *staged folder* named by a content key, and the worker returns only
:class:`StagedLearner` (key, slug, folder). The cohort build links the staged files into
the site, so the parent neither renders learner pages nor holds their HTML.

Content key: SHA-256 of the render code, the verification policy (``now``), the site
settings (site URL, name, slug, the chrome file's digest), the reports' digest and the
digest of every learner input the pages are made from (mkdocs.yml, profile, photo,
pathways, badge files, reflections folder). An unchanged learner finds its folder and
skips planning and rendering.

Staged folder layout (``<root>/<key[:2]>/<key>/``)::

    manifest.json   {"format", "slug", "pages": [[dest, sitemap address], ...],
                     "files": [dest, ...], "warnings": [...]}
    site/<dest>     every finished page, at its site path (learners/<slug>/...)
    files/<dest>    every planned file (downloads, images, cards, embeds)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from portfolio_gen import theme
from portfolio_gen.cohort.engine import Chrome, CohortEngine, HtmlPage, MarkdownPage
from portfolio_gen.cohort.learner import LearnerSetup, read_learner
from portfolio_gen.cohort.learner_portfolio import learner_portfolio, withheld_downloads
from portfolio_gen.cohort.verify_pool import (
    LearnerTask,
    PoolSettings,
    badge_file_digests,
    learner_fetcher,
    learner_reports,
    reports_digest,
)
from portfolio_gen.confine import link_leaves
from portfolio_gen.errors import ConfigError
from portfolio_gen.model.assemble import profile_photo
from portfolio_gen.model.portfolio import Portfolio
from portfolio_gen.render.generated import front_matter, source_date
from portfolio_gen.render.sharing import ShareSettings
from portfolio_gen.render.site import CohortNav, plan_site
from portfolio_gen.share.cache import RenderCache
from portfolio_gen.verify.cache import package_digest, sha256_hex
from portfolio_gen.verify.report import VerificationReport

FORMAT = 2
LEARNERS_DIR = "learners"


def render_code_version(theme_override: Path | None = None) -> str:
    """Every file the package ships (the code and templates the pages are made by) and the
    cohort's theme override files."""
    return sha256_hex(package_digest(), theme.digest(theme_override)) if theme_override \
        else package_digest()


@dataclass(frozen=True)
class StageOptions:
    """Picklable settings for :func:`stage_after` (bound with ``functools.partial``)."""

    root: Path                   # staging root, e.g. <cache>/staged
    now: datetime
    site_url: str                # the cohort's site_url ("" when unset)
    site_name: str               # the cohort title (og:site_name)
    code: str                    # render_code_version()
    engine: CohortEngine         # renders the pages (picklable, see cohort/engine.py)
    chrome: Chrome               # the cohort's engine configuration, by digest
    #: An on-disk image cache for re-staging. Cohort builds pass none: a staged learner
    #: already keeps its images, classmates share drawn layers in each worker's memory, and
    #: writing ~50 cache files per learner cost more than re-drawing saved.
    share_cache: Path | None = None
    #: the cohort's theme override (never a learner's): part of ``code``
    theme: Path | None = None


@dataclass(frozen=True)
class StagedLearner:
    key: str
    slug: str
    folder: str                  # the staged folder (absolute)
    pages: int
    hit: bool                    # planning was skipped: the folder was already there


@dataclass(frozen=True)
class StageTask:
    """One consenting learner to stage, under the slug the whole cohort decided."""

    folder: Path
    rel: str
    slug: str


def stage_task(task: StageTask, *, settings: PoolSettings,
               options: StageOptions) -> StagedLearner:
    """The pool task: the learner's reports (from the verification cache the first pass
    filled), then :func:`stage_learner` — a lookup when nothing changed."""
    setup = read_learner(task.folder)
    if setup is None:  # consent withdrawn while building: never stage
        raise ConfigError(f"{task.rel}: the learner's consent changed during the build; "
                          "rebuild")
    reports, _ = learner_reports(LearnerTask(task.folder, task.rel), setup, settings,
                                 learner_fetcher(settings, setup))
    return stage_learner(task.folder, setup, reports, task.slug, options)


def stage_learner(folder: Path, setup: LearnerSetup, reports: list[VerificationReport],
                  slug: str, options: StageOptions) -> StagedLearner:
    key = stage_key(folder, setup, reports, slug, options)
    target = options.root / key[:2] / key
    manifest = target / "manifest.json"
    if manifest.is_file():
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(manifest.read_bytes())
            return StagedLearner(key, slug, str(target), len(data["pages"]), True)
    portfolio = learner_portfolio(setup, reports, options.now)
    base = f"{options.site_url.rstrip('/')}/{LEARNERS_DIR}/{slug}/" if options.site_url else None
    share = ShareSettings(site_url=base, site_name=options.site_name,
                          cache=RenderCache(options.share_cache) if options.share_cache
                          else None,
                          linkedin_organizations=setup.config.linkedin_organizations)
    plan = plan_site(portfolio, use_directory_urls=True,
                     reflections_dir=setup.config.reflections_dir, share=share,
                     shared_origin=True, withheld=withheld_downloads(portfolio, setup.profile),
                     cohort=CohortNav(options.site_name, "../../index.md"), theme=options.theme)
    prefix = f"{LEARNERS_DIR}/{slug}"
    sources: list[HtmlPage | MarkdownPage] = [
        HtmlPage(f"{prefix}/{page.src_uri}", page.title, page.html,
                 plan.head.get(page.src_uri, "")) for page in plan.pages]
    # the learner's front matter stays out (a title is escaped like any generated page's;
    # no other key reaches the theme) and the body is cleaned: the origin is shared
    sources += [MarkdownPage(f"{prefix}/{src}", front_matter(refl.title) + refl.body,
                             plan.reflection_panels[src], untrusted=True,
                             before=plan.reflection_crumbs.get(src, ""))
                for src, refl in plan.reflections]
    with source_date(options.now):
        rendered = options.engine.render_pages(options.chrome, sources)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    try:
        pages = []
        for page in rendered:
            _write(tmp / "site" / page.dest, page.output)
            pages.append([page.dest, page.loc])
        files = []
        for item in plan.files:
            dest = tmp / "files" / item.dest
            if item.path is not None:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(item.path, dest)
            else:
                _write(dest, item.content or b"")
            files.append(item.dest)
        _write(tmp / "manifest.json", json.dumps(
            {"format": FORMAT, "slug": slug, "pages": pages, "files": files,
             "warnings": sorted(set(plan.warnings) | _reflection_problems(folder, portfolio))},
            ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        try:
            os.replace(tmp, target)
        except OSError:   # another worker staged the same content first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return StagedLearner(key, slug, str(target), len(pages), False)


def _reflection_problems(folder: Path, portfolio: Portfolio) -> set[str]:
    """Reflections left out or front matter keys ignored, named by learner folder and file
    (the staff report covers badges and configuration; these are logged with the build)."""
    return {f"{folder.name}/{p}" for p in portfolio.problems
            if p.kind in ("reflection", "reflection_link")}


def stage_key(folder: Path, setup: LearnerSetup, reports: list[VerificationReport], slug: str,
              options: StageOptions) -> str:
    config = setup.config
    inputs = [folder / "mkdocs.yml", config.profile, config.pathways]
    photo, _ = profile_photo(config, setup.profile)
    if photo is not None:
        inputs.append(photo)
    badges = badge_file_digests(config.badges_dir) if config.badges_dir.is_dir() else []
    return sha256_hex(
        "stage", str(FORMAT), options.code, options.chrome.digest, options.now.isoformat(),
        options.site_url, options.site_name, slug, reports_digest(reports),
        *(f"{p}\0{_digest(p)}" for p in inputs),
        *(f"{s}\0{d}" for s, d in badges),
        *(f"{s}\0{d}" for s, d in _tree(config.reflections_dir)))


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _tree(root: Path) -> list[tuple[str, str]]:
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            out.append((rel, "outside" if link_leaves(path, root) else _digest(path)))
    return out


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@dataclass(frozen=True)
class Manifest:
    folder: Path
    slug: str
    pages: list[tuple[str, str | None]]   # (site path of the rendered file, sitemap address)
    files: list[str]
    warnings: list[str]


def read_manifest(folder: Path) -> Manifest:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_bytes())
    return Manifest(folder, data["slug"], [(d, loc) for d, loc in data["pages"]],
                    list(data["files"]), list(data["warnings"]))
