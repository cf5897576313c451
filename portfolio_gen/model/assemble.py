"""Assemble a learner's :class:`Portfolio`: ingest → verify → model, engine-free.

Two public steps: :func:`verify_folder` (profile, ingest, verification through the cache)
and :func:`assemble_portfolio` (every display rule, once). The learner's own build runs
both; a cohort verifies in its pool and passes the reports in
(:func:`verified_from_reports`), so its pages and directory use the same rules.

No site engine is imported here, so the same portfolio can be rendered by the MkDocs
plugin today and by another engine later. Bad badge files, reflections and side files
never stop a build: they become :class:`~portfolio_gen.model.Problem` entries that the
summary reports.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from portfolio_gen.config import PortfolioConfig, ProfileConfig, load_pathways, load_profile
from portfolio_gen.confine import confine, inside, link_leaves
from portfolio_gen.errors import ConfigError
from portfolio_gen.ingest import IngestProblem, RawCredential, read_paths
from portfolio_gen.ingest.hints import explain
from portfolio_gen.ingest.raw import Kind
from portfolio_gen.model.credential import Credential, Display
from portfolio_gen.model.matching import find
from portfolio_gen.model.normalize import credential_from_report
from portfolio_gen.model.pathways import PathwayProgress, compute_progress
from portfolio_gen.model.portfolio import LearnerProfile, Portfolio, Problem
from portfolio_gen.model.reflection import Reflection, load_reflections
from portfolio_gen.model.skills import merge_skills
from portfolio_gen.model.slugs import unique_slugs
from portfolio_gen.net.fetch import Fetcher
from portfolio_gen.verify.cache import CachedVerifier, ReportCache
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.registry import load_registries
from portfolio_gen.verify.report import VerificationReport


def share_cache_dir(config: PortfolioConfig) -> Path:
    """Where rendered card and OG images are cached: ``<cache_dir>/share``."""
    from portfolio_gen.net.store import default_cache_dir

    return (config.cache_dir or default_cache_dir()) / "share"


def report_cache_dir(config: PortfolioConfig) -> Path:
    """Where verification reports are cached by content: ``<cache_dir>/reports``."""
    from portfolio_gen.net.store import default_cache_dir

    return (config.cache_dir or default_cache_dir()) / "reports"


Progress = Callable[[int, int], None]

NO_IDENTIFIERS_WARNING = (
    "identifiers: none declared, so no credential's recipient was checked; every credential "
    "page says it is not confirmed to be yours. Add your email addresses, URLs or DIDs "
    "(identifiers: [you@example.org]); they are used for matching only and never published")


@dataclass(frozen=True)
class VerifiedBadge:
    """One credential of the badges folder and its verification report."""

    rel: str                                # its path inside the badges folder
    report: VerificationReport
    #: the ingested credential when at hand (its own bytes, for downloads and the holder's
    #: presentation); ``None`` when only the report is (a cohort's pool and cache)
    item: RawCredential | None = None


@dataclass(frozen=True)
class VerifiedFolder:
    """What assembly is made from: the profile, the verified badges in ingest order and the
    problems found on the way (files that are not badges, refused paths)."""

    profile: ProfileConfig | None           # None: profile.yml was refused
    badges: tuple[VerifiedBadge, ...]
    problems: tuple[Problem, ...] = ()


def verify_folder(config: PortfolioConfig, *, fetcher: Fetcher, now: datetime,
                  verifier: CachedVerifier | None = None,
                  progress: Progress | None = None) -> VerifiedFolder:
    """Read the profile, ingest the badges folder and verify every credential in it.

    Verification goes through a content-addressed cache (``verifier``; by default one in
    :func:`report_cache_dir`): an unchanged badge whose issuer documents are unchanged is
    not verified again. ``progress(done, total)`` is called as badges are verified.
    Never writes into the folder; a broken profile.yml raises :class:`ConfigError`.
    """
    if verifier is None:
        verifier = CachedVerifier(ReportCache(report_cache_dir(config)))
    problems: list[Problem] = [Problem("mkdocs.yml", "config", why)
                               for why in config.refused.values()]
    # A broken profile.yml stops the build (ConfigError); a refused path is a listed problem.
    profile_cfg = None if "profile" in config.refused else load_profile(config.profile)
    options = VerifyOptions(identities=profile_cfg.identifiers if profile_cfg else (),
                            strict_recipient=config.strict_recipient, strict=config.strict,
                            registries=load_registries(config.registries))
    ctx = VerifyContext(fetcher=fetcher, now=now, options=options)
    found: list[VerifiedBadge] = []
    if config.badges_dir.is_dir():
        items = list(read_paths([config.badges_dir], report_all=True))
        verifier.prefetch([i for i in items if isinstance(i, RawCredential)], ctx)
        for done, item in enumerate(items, 1):
            rel = relative_source(item.source, config.badges_dir)
            if isinstance(item, IngestProblem):  # accounted for, never published as a page
                if not _is_note(rel):
                    problems.append(_not_a_badge(item, rel, config.badges_dir))
            else:
                found.append(VerifiedBadge(rel, verifier.verify(item, ctx), item))
            if progress is not None:
                progress(done, len(items))
    elif "badges_dir" not in config.refused:
        problems.append(Problem(str(config.badges_dir), "config", "badges folder not found"))
    return VerifiedFolder(profile_cfg, tuple(found), tuple(problems))


def verified_from_reports(config: PortfolioConfig, profile: ProfileConfig,
                          reports: Iterable[VerificationReport]) -> VerifiedFolder:
    """A folder verified elsewhere (a cohort's pool and its cache): reports in ingest order."""
    return VerifiedFolder(profile, tuple(VerifiedBadge(relative_source(r.source,
                                                                       config.badges_dir), r)
                                         for r in reports))


def assemble_portfolio(config: PortfolioConfig, verified: VerifiedFolder, *, now: datetime,
                       showcase: bool = False,
                       env: Mapping[str, str] | None = None) -> Portfolio:
    """Model a verified folder: the one place every display rule is decided.

    Slugs, sort order, display (``hidden``, ``failed: hide``/``flag`` per credential and
    for the folder), ``featured``, reflections linked to published credentials, skills and
    pathways counted from verified credentials that are the learner's own, the photo.
    The learner's own site and a cohort showcase (``showcase=True``) call this alike, so
    their pages, counts and the cohort directory agree.

    A showcase shows a learner without acting for them: no holder presentation (and no
    key looked up), no once-per-build notices, and a broken pathways.yml is a listed
    problem instead of a stop (one learner's file must not stop a cohort build).
    ``env`` (default: the process environment) may carry the holder key (CI secret).
    """
    from portfolio_gen.holder.key import find_key

    problems = list(verified.problems)
    profile_cfg = verified.profile
    credentials = _credentials(config, verified.badges)
    identifiers = profile_cfg.identifiers if profile_cfg else ()
    notices: tuple[str, ...] = ()
    holder, holder_note = None, None
    if not showcase:
        notices = ((f"{config.profile.name}: {NO_IDENTIFIERS_WARNING}",)
                   if profile_cfg is not None and not identifiers else ())
        holder, holder_note = find_key(config.holder_key, identifiers,
                                       os.environ if env is None else env, config.project_dir)
    reflections, refl_problems = load_reflections(config.reflections_dir)
    problems.extend(refl_problems)
    reflections = _link_reflections(reflections, credentials, config, problems)
    return Portfolio(
        profile=_learner(profile_cfg, config, problems),
        credentials=tuple(credentials),
        reflections=tuple(sorted(reflections, key=_reflection_order)),
        skills=merge_skills([c for c in credentials if c.counts], reflections),
        pathways=_pathways(config, credentials, problems, strict=not showcase),
        problems=tuple(problems),
        built_at=now,
        holder=holder,
        holder_note=holder_note,
        notices=notices,
    )


# -- credentials ---------------------------------------------------------------------------

def _credentials(config: PortfolioConfig,
                 badges: Iterable[VerifiedBadge]) -> list[Credential]:
    root = config.badges_dir
    drafts = [_with_raw(credential_from_report(b.report, slug="", source=b.rel,
                                               source_path=root / b.rel,
                                               file_bytes=_file_bytes(b, root)),
                        b.item)
              for b in badges]
    slugs = unique_slugs([(c.name, c.credential_id or c.source, seniority(c)) for c in drafts])
    out = [_with_display(replace(c, slug=s), config) for c, s in zip(drafts, slugs, strict=True)]
    return sorted(out, key=lambda c: (seniority(c), c.slug), reverse=False)


def _is_note(rel: str) -> bool:
    """``README.md`` and the like in badges/: notes for the learner, not badges."""
    name = Path(rel).name.upper()
    return name.split(".")[0] == "README" and Path(rel).suffix.lower() in ("", ".md", ".txt")


def _not_a_badge(item: IngestProblem, rel: str, badges_dir: Path) -> Problem:
    """A file in badges/ that holds no credential: why, and what to do instead."""
    head = b""
    if item.code != "outside_folder":  # never read through a link that leaves the folder
        try:
            with (badges_dir / rel).open("rb") as handle:
                head = handle.read(4096)
        except OSError:
            pass
    return Problem(f"{badges_dir.name}/{rel}", "credential",
                   f"not published: {explain(item, head)}")


def _with_raw(cred: Credential, item: RawCredential | None) -> Credential:
    """Keep a VC's own bytes (JSON text or compact JWT) for the holder's presentation."""
    if isinstance(item, RawCredential) and item.kind in (Kind.OB3_CREDENTIAL, Kind.OB3_JWT):
        return replace(cred, raw_json=item.payload, raw_kind=item.kind.value)
    return cred


def _with_display(cred: Credential, config: PortfolioConfig) -> Credential:
    opts = config.options_for(cred.source, cred.credential_id)
    if opts.hidden:
        display = Display.HIDDEN
    elif cred.verified:
        display = Display.SHOWN
    else:
        policy = opts.failed or config.failed_credentials
        display = Display.HIDDEN if policy == "hide" else Display.FLAGGED
    return replace(cred, display=display, featured=opts.featured)


def seniority(cred: Credential) -> str:
    """Sort key: oldest first; undated credentials last."""
    return cred.date.isoformat() if cred.date else "9999"


def relative_source(source: str, root: Path) -> str:
    """A badge's path inside the badges folder (its file name when outside it)."""
    try:
        return Path(source).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(source).name


def _file_bytes(badge: VerifiedBadge, root: Path) -> bytes:
    """The original file for downloads: the ingested bytes, else the file on disk (never
    through a link leading out of the folder: ingest refused it, its bytes are not ours)."""
    item = badge.item
    if item is not None and item.file_bytes:
        return item.file_bytes
    path = root / badge.rel if item is not None else Path(badge.report.source)
    if link_leaves(path, root):
        return b""
    try:
        return path.read_bytes()
    except OSError:
        return b""


# -- reflections, pathways, profile ---------------------------------------------------------

def _link_reflections(reflections: Iterable[Reflection], credentials: list[Credential],
                      config: PortfolioConfig, problems: list[Problem]) -> list[Reflection]:
    published = [c for c in credentials if c.display is not Display.HIDDEN]
    out = []
    for refl in reflections:
        slugs: set[str] = set()
        for ref in refl.credential_refs:
            matches = find(ref, published)
            if not matches:
                problems.append(Problem(f"{config.reflections_dir.name}/{refl.path}",
                                        "reflection_link", f"credentials: {ref!r} matches no "
                                        "published credential (use its file name, id or name)"))
            slugs.update(c.slug for c in matches)
        out.append(replace(refl, credential_slugs=tuple(sorted(slugs))))
    return out


def _reflection_order(refl: Reflection) -> tuple[str, str]:
    # newest first is applied by templates; here a stable, total order
    return (refl.date.isoformat() if refl.date else "", refl.path)


def _pathways(config: PortfolioConfig, credentials: list[Credential],
              problems: list[Problem], *, strict: bool = False) -> tuple[PathwayProgress, ...]:
    """Pathway progress; a broken pathways.yml stops a ``strict`` (single learner) build and
    is a listed problem otherwise (one learner's file must not stop a cohort build)."""
    try:
        pathways = load_pathways(config.pathways)
    except ConfigError as exc:
        if strict:
            raise
        problems.append(Problem(config.pathways.name, "pathways", str(exc)))
        return ()
    slugs = unique_slugs([(p.name, p.name, f"{i:06d}") for i, p in enumerate(pathways)])
    return tuple(compute_progress(p, s, credentials) for p, s in zip(pathways, slugs, strict=True))


def _learner(profile: ProfileConfig | None, config: PortfolioConfig,
             problems: list[Problem]) -> LearnerProfile:
    if profile is None:
        return LearnerProfile(name="My portfolio")
    photo_path, why = profile_photo(config, profile)
    if why:
        problems.append(Problem(config.profile.name, "config", why))
    return LearnerProfile(name=profile.name, headline=profile.headline, photo_path=photo_path,
                          photo_alt=profile.photo_alt, bio=profile.bio,
                          links=tuple((link.label, link.url) for link in profile.links))


def profile_photo(config: PortfolioConfig, profile: ProfileConfig) -> tuple[Path | None,
                                                                             str | None]:
    """``(photo file, problem)``: the photo must be a regular file inside the portfolio folder
    (an absolute path, a ``..`` climbing out or a link leading out is refused)."""
    if not profile.photo:
        return None, None
    if profile.photo.lower().startswith(("http://", "https://")):
        return None, ("photo: use an image file beside profile.yml; remote images are not "
                      "loaded so the site makes no outside requests")
    if not inside(config.profile.parent, config.project_dir):
        return None, None    # the profile itself was refused
    candidate, why = confine(str(PurePosixPath(config.profile.parent.relative_to(
        config.project_dir).as_posix()) / profile.photo), config.project_dir)
    if candidate is None:
        return None, f"photo: {why}; no photo is shown"
    if not candidate.is_file():
        return None, f"photo: file {profile.photo!r} not found"
    return candidate, None


# -- fetcher -----------------------------------------------------------

def default_fetcher(config: PortfolioConfig) -> Fetcher:
    """The guarded fetcher with pins and cache; offline-only when the config says so."""
    from portfolio_gen.net.store import make_fetcher

    return make_fetcher(offline=config.offline, pins=config.pins_dir, cache_dir=config.cache_dir)
