"""A consenting learner's showcase :class:`Portfolio` and summary, from the pool's reports.

The cohort verifies in its pool (fresh or from the verification cache) and passes the
reports to :func:`portfolio_gen.model.assemble.assemble_portfolio`, the one place display
rules are decided, so a learner's cohort sub-site, their card and the directory's counts
agree with their own site built from the same folder.

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
from functools import partial

from portfolio_gen.cohort.learner import LearnerSetup
from portfolio_gen.cohort.redact import plain_identifiers, scrub
from portfolio_gen.config import ProfileConfig
from portfolio_gen.model.assemble import VerifiedFolder, assemble_portfolio, verified_from_reports
from portfolio_gen.model.learner_summary import LearnerSummary, summarize_learner
from portfolio_gen.model.portfolio import LearnerProfile, Portfolio
from portfolio_gen.model.reflection import Reflection
from portfolio_gen.verify.report import VerificationReport

_CONTACT_SCHEMES = ("mailto:", "tel:", "sms:")


def learner_portfolio(setup: LearnerSetup, reports: Sequence[VerificationReport],
                      now: datetime) -> Portfolio:
    """The portfolio the learner's cohort sub-site shows."""
    return _showcase(setup, reports, now)[1]


def learner_summary(rel: str, setup: LearnerSetup, reports: Sequence[VerificationReport],
                    now: datetime) -> LearnerSummary:
    """The learner's card, directory facts and staff entries, from the same portfolio."""
    verified, portfolio = _showcase(setup, reports, now)
    return summarize_learner(rel, portfolio, verified, setup.config,
                             clean=partial(scrub, identifiers=setup.profile.identifiers))


def _showcase(setup: LearnerSetup, reports: Sequence[VerificationReport],
              now: datetime) -> tuple[VerifiedFolder, Portfolio]:
    verified = verified_from_reports(setup.config, setup.profile, reports)
    portfolio = assemble_portfolio(setup.config, verified, now=now, showcase=True)
    idents = setup.profile.identifiers
    return verified, replace(portfolio, profile=_profile(portfolio.profile, idents),
                             reflections=tuple(_scrub_reflection(r, idents)
                                               for r in portfolio.reflections))


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
