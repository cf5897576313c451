"""What the cohort pages need from one learner, computed where the learner was verified.

A worker turns a learner's reports into a :class:`LearnerSummary`: small, picklable,
JSON-able, with only published facts (verified credentials the learner did not hide,
completed pathways, failures for staff). Whole reports and documents never travel back
to the parent, which keeps the parent's memory proportional to cards, not credentials.
Display rules follow the single-learner site (``model.normalize``, ``model.slugs``,
``model.pathways``), so a card and the learner's own pages agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from portfolio_gen.cohort.learner import LearnerSetup
from portfolio_gen.cohort.redact import scrub
from portfolio_gen.config import load_pathways
from portfolio_gen.errors import ConfigError
from portfolio_gen.model.assemble import profile_photo, relative_source, seniority
from portfolio_gen.model.attachments import reflection_attachments
from portfolio_gen.model.credential import Credential, Display
from portfolio_gen.model.normalize import credential_from_report
from portfolio_gen.model.pathways import compute_progress
from portfolio_gen.model.reflection import load_reflections
from portfolio_gen.model.slugs import unique_slugs
from portfolio_gen.verify.report import VerificationReport


@dataclass(frozen=True)
class CredentialFacts:
    """One verified, published credential, as directory facets and the CSV use it."""

    slug: str                 # the credential's slug inside the learner's site
    name: str
    achievement_key: str      # achievement id, else issuer key + name
    issuer_name: str
    issuer_key: str           # issuer id, else name
    issued: str | None        # ISO date
    expires: str | None
    skills: tuple[str, ...]


@dataclass(frozen=True)
class FailedCredential:
    file: str                 # relative to the learner folder
    verdict: str
    reason: str


@dataclass(frozen=True)
class LearnerSummary:
    rel: str                  # folder relative to cohort.yml
    name: str
    headline: str
    photo: str | None         # absolute path of a local photo file
    photo_alt: str
    verified: tuple[CredentialFacts, ...]
    failed: tuple[FailedCredential, ...]
    verdicts: tuple[tuple[str, int], ...]   # counts over published credentials
    pathways: tuple[str, ...]               # names of completed pathways
    problems: tuple[str, ...] = ()          # e.g. a broken pathways.yml


def summarize_learner(rel: str, setup: LearnerSetup,
                      reports: Sequence[VerificationReport]) -> LearnerSummary:
    config, profile = setup.config, setup.profile
    idents = profile.identifiers
    creds = []
    for report in reports:
        source = relative_source(report.source, config.badges_dir)
        creds.append(credential_from_report(report, slug="", source=source,
                                            source_path=None, file_bytes=b""))
    slugs = unique_slugs([(c.name, c.credential_id or c.source, seniority(c)) for c in creds])
    shown = []
    for cred, slug in zip(creds, slugs, strict=True):
        opts = config.options_for(cred.source, cred.credential_id)
        if opts.hidden:
            continue
        display = Display.SHOWN if cred.verified else Display.FLAGGED
        shown.append(replace(cred, slug=slug, display=display))
    # cohort figures, chips and facets count only verified credentials of this learner
    verified = tuple(_facts(c) for c in shown if c.counts)
    failed = tuple(FailedCredential(_file(config.badges_dir, c.source), _state(c),
                                    scrub(_why(c), idents))
                   for c in shown if not c.counts)
    problems = [scrub(p, idents) for p in learner_problems(setup)]
    try:
        pathways = load_pathways(config.pathways)
    except ConfigError as exc:
        pathways = ()
        problems.append(scrub(str(exc), idents))
    done = tuple(p.name for p in pathways if compute_progress(p, "", shown).complete)
    photo_path, _ = profile_photo(config, profile)
    photo = str(photo_path) if photo_path is not None else None
    return LearnerSummary(
        rel=rel, name=scrub(profile.name, idents), headline=scrub(profile.headline, idents),
        photo=photo, photo_alt=scrub(profile.photo_alt, idents), verified=verified,
        failed=failed, verdicts=tuple(sorted(Counter(_state(c) for c in shown).items())),
        pathways=done, problems=tuple(problems))


def learner_problems(setup: LearnerSetup) -> list[str]:
    """What staff should know about a learner's folder beyond their badges: paths refused
    for leaving the folder, links leading out of it, attachments a cohort site does not
    publish, reflections left out."""
    config = setup.config
    out = [f"mkdocs.yml: {why}" for why in config.refused.values()]
    _, why = profile_photo(config, setup.profile)
    if why:
        out.append(f"{config.profile.name}: {why}")
    _, refl_problems = load_reflections(config.reflections_dir)
    _, attachment_problems = reflection_attachments(config.reflections_dir, shared_origin=True)
    out += [str(p) for p in (*refl_problems, *attachment_problems)]
    return out


def _state(cred: Credential) -> str:
    """The verdict, or ``not_recipient`` for a credential issued to someone else."""
    return "not_recipient" if cred.not_owners else cred.verdict.value


def _why(cred: Credential) -> str:
    if cred.not_owners:
        return "The credential names a recipient that matches none of the learner's identifiers."
    return cred.report.reason


def _facts(cred: Credential) -> CredentialFacts:
    issuer_key = cred.issuer.id or f"name:{cred.issuer.name.casefold()}"
    achievement = cred.achievement_id or f"{issuer_key}|{cred.name.casefold()}"
    return CredentialFacts(
        slug=cred.slug, name=cred.name, achievement_key=achievement,
        issuer_name=cred.issuer.label, issuer_key=issuer_key,
        issued=cred.date.date().isoformat() if cred.date else None,
        expires=cred.expires.date().isoformat() if cred.expires else None,
        skills=tuple(dict.fromkeys(a.name for a in cred.alignments)))


def _file(badges_dir: Path, source: str) -> str:
    return f"{badges_dir.name}/{source}"


def summary_to_dict(summary: LearnerSummary) -> dict[str, Any]:
    return asdict(summary)


def summary_from_dict(data: dict[str, Any]) -> LearnerSummary:
    """Inverse of :func:`summary_to_dict` (lists back to tuples)."""
    return LearnerSummary(
        rel=data["rel"], name=data["name"], headline=data["headline"], photo=data["photo"],
        photo_alt=data["photo_alt"],
        verified=tuple(CredentialFacts(**{**c, "skills": tuple(c["skills"])})
                       for c in data["verified"]),
        failed=tuple(FailedCredential(**f) for f in data["failed"]),
        verdicts=tuple((str(v), int(n)) for v, n in data["verdicts"]),
        pathways=tuple(data["pathways"]), problems=tuple(data["problems"]))
