"""What the cohort pages need from one learner, computed where the learner was verified.

A worker turns a learner's assembled :class:`Portfolio` into a :class:`LearnerSummary`:
small, picklable, JSON-able, with only published facts (verified credentials the learner
did not hide, completed pathways, failures for staff). Whole reports and documents never
travel back to the parent, which keeps the parent's memory proportional to cards, not
credentials. Nothing is decided here that :func:`assemble_portfolio` decides (slugs,
display, photo, pathways): a card, the directory's counts and the learner's own site agree
by construction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from portfolio_gen.config import PortfolioConfig, ProfileConfig
from portfolio_gen.model.assemble import VerifiedFolder, profile_photo
from portfolio_gen.model.attachments import reflection_attachments
from portfolio_gen.model.credential import Credential, Display
from portfolio_gen.model.portfolio import DisplayCounts, Portfolio, Problem


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
    #: shown / flagged / hidden / not the learner's own, as the learner's own site counts
    counts: DisplayCounts = field(default_factory=DisplayCounts)


def summarize_learner(rel: str, portfolio: Portfolio, verified: VerifiedFolder,
                      config: PortfolioConfig, *,
                      clean: Callable[[str], str] = str) -> LearnerSummary:
    """The summary of a portfolio assembled from ``verified`` (a showcase portfolio: its
    profile is already scrubbed). ``clean`` scrubs what else is free text (failure
    reasons, problems) of the learner's identifiers. Credentials are listed in the
    order of the badge files, as the staff CSV lists them."""
    order: dict[str, int] = {}
    for index, badge in enumerate(verified.badges):
        order.setdefault(badge.rel, index)
    published = [c for c in sorted(portfolio.credentials,
                                   key=lambda c: order.get(c.source, len(order)))
                 if c.display is not Display.HIDDEN]
    # cohort figures, chips and facets count only verified credentials of this learner
    facts = tuple(_facts(c) for c in published if c.counts)
    failed = tuple(FailedCredential(f"{config.badges_dir.name}/{c.source}", _state(c),
                                    clean(_why(c)))
                   for c in published if not c.counts)
    problems = [clean(p) for p in learner_problems(
        config, verified.profile, [p for p in portfolio.problems if p.kind == "reflection"])]
    problems += [clean(p.message) for p in portfolio.problems if p.kind == "pathways"]
    profile = portfolio.profile
    return LearnerSummary(
        rel=rel, name=profile.name, headline=profile.headline,
        photo=str(profile.photo_path) if profile.photo_path is not None else None,
        photo_alt=profile.photo_alt, verified=facts, failed=failed,
        verdicts=tuple(sorted(Counter(_state(c) for c in published).items())),
        pathways=tuple(p.name for p in portfolio.pathways if p.complete),
        problems=tuple(problems), counts=portfolio.display_counts())


def learner_problems(config: PortfolioConfig, profile: ProfileConfig | None,
                     reflection_problems: Iterable[Problem]) -> list[str]:
    """What staff should know about a learner's folder beyond their badges: paths refused
    for leaving the folder, links leading out of it, attachments a cohort site does not
    publish, reflections left out (``reflection_problems``: as the portfolio's assembly
    found them, so reflections are read once)."""
    out = [f"mkdocs.yml: {why}" for why in config.refused.values()]
    _, why = profile_photo(config, profile) if profile is not None else (None, None)
    if why:
        out.append(f"{config.profile.name}: {why}")
    _, attachment_problems = reflection_attachments(config.reflections_dir, shared_origin=True)
    out += [str(p) for p in (*reflection_problems, *attachment_problems)]
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
        pathways=tuple(data["pathways"]), problems=tuple(data["problems"]),
        counts=DisplayCounts(**data["counts"]))
