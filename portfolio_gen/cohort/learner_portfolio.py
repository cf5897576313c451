"""A consenting learner's :class:`Portfolio`, rebuilt from the reports the pool already has.

Why not :func:`portfolio_gen.model.assemble.assemble_portfolio`: it verifies every badge again, and
in a cohort worker the reports are already there (fresh or from the verification
cache). This follows ``assemble_portfolio`` step by step (same slugs, display rules,
reflection links and pathways, through assemble's own helpers) so a learner's cohort
sub-site and their own site agree.

What the cohort adds is privacy: the learner consented to be *shown*, not contacted,
so every free text of the profile and the reflections is scrubbed of the learner's
identifiers (and anything shaped like an email or phone number), ``mailto:``/
``tel:`` links are dropped, and :func:`withheld_downloads` keeps originals that name the
learner by plain email or phone off the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from portfolio_gen.cohort.learner import LearnerSetup
from portfolio_gen.cohort.redact import plain_identifiers, scrub
from portfolio_gen.config import ProfileConfig
from portfolio_gen.confine import link_leaves
from portfolio_gen.model import assemble
from portfolio_gen.model.credential import Display
from portfolio_gen.model.normalize import credential_from_report
from portfolio_gen.model.portfolio import LearnerProfile, Portfolio, Problem
from portfolio_gen.model.reflection import Reflection, load_reflections
from portfolio_gen.model.skills import merge_skills
from portfolio_gen.model.slugs import unique_slugs
from portfolio_gen.verify.report import VerificationReport

_CONTACT_SCHEMES = ("mailto:", "tel:", "sms:")


def learner_portfolio(setup: LearnerSetup, reports: Sequence[VerificationReport],
                      now: datetime) -> Portfolio:
    config = setup.config
    idents = setup.profile.identifiers
    problems: list[Problem] = []
    drafts = []
    for report in reports:
        rel = assemble.relative_source(report.source, config.badges_dir)
        path = config.badges_dir / rel
        drafts.append(credential_from_report(report, slug="", source=rel, source_path=path,
                                             file_bytes=_read(Path(report.source),
                                                              config.badges_dir)))
    slugs = unique_slugs([(c.name, c.credential_id or c.source, assemble.seniority(c))
                          for c in drafts])
    creds = sorted((assemble._with_display(replace(c, slug=s), config)
                    for c, s in zip(drafts, slugs, strict=True)),
                   key=lambda c: (assemble.seniority(c), c.slug))
    reflections, refl_problems = load_reflections(config.reflections_dir)
    problems.extend(refl_problems)
    reflections = [_scrub_reflection(r, idents) for r in reflections]
    reflections = assemble._link_reflections(reflections, creds, config, problems)
    return Portfolio(
        profile=_profile(assemble._learner(setup.profile, config, problems), idents),
        credentials=tuple(creds),
        reflections=tuple(sorted(reflections, key=assemble._reflection_order)),
        skills=merge_skills([c for c in creds if c.display is not Display.HIDDEN],
                            reflections),
        pathways=assemble._pathways(config, creds, problems),
        problems=tuple(problems),
        built_at=now,
    )


def withheld_downloads(portfolio: Portfolio, profile: ProfileConfig) -> dict[str, str]:
    """Credential slug → why its original and JSON are not published on the cohort site:
    they name the learner by plain email or phone, and the learner did not opt in
    (``publish_originals: true`` in profile.yml)."""
    if profile.publish_originals:
        return {}
    out = {}
    for cred in portfolio.credentials:
        kinds = plain_identifiers(cred.report.document, cred.file_bytes, profile.identifiers)
        if kinds:
            out[cred.slug] = (
                "The original file and the credential JSON are not published on this "
                f"showcase: they name the learner by plain {' and '.join(kinds)} (not hashed), "
                "and learners are shown here without their contact details. The checks above "
                "were made on the original; ask the learner for a copy to verify it yourself.")
    return out


def _read(path: Path, root: Path) -> bytes:
    if link_leaves(path, root):   # ingest refused it; its bytes are not ours to publish
        return b""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _profile(profile: LearnerProfile, idents: Sequence[str]) -> LearnerProfile:
    links = tuple((scrub(label, idents), url) for label, url in profile.links
                  if not url.strip().lower().startswith(_CONTACT_SCHEMES)
                  and scrub(url, idents) == url)
    return replace(profile, name=scrub(profile.name, idents),
                   headline=scrub(profile.headline, idents),
                   photo_alt=scrub(profile.photo_alt, idents), bio=scrub(profile.bio, idents),
                   links=links)


def _scrub_reflection(refl: Reflection, idents: Sequence[str]) -> Reflection:
    return replace(refl, title=scrub(refl.title, idents),
                   markdown=scrub(refl.markdown, idents))
