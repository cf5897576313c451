"""The outcome vocabulary: a check's status and a credential's verdict.

Kept apart from :mod:`portfolio_gen.verify.report` so the check catalogue
(:mod:`portfolio_gen.verify.checks`) can name the verdicts a check implies while the report
reads the catalogue; :mod:`~portfolio_gen.verify.report` re-exports both enums. The words
people read for each verdict are in :mod:`portfolio_gen.model.wording`.
"""

from __future__ import annotations

from enum import StrEnum


class CheckStatus(StrEnum):
    """Outcome of one check."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"  # could not decide, or (``conformance.*``) a data-model departure
    SKIP = "skip"  # not applicable


class Verdict(StrEnum):
    """Overall outcome of one credential."""

    VERIFIED = "verified"
    INVALID = "invalid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNVERIFIABLE = "unverifiable"
    UNSUPPORTED = "unsupported"


#: Most severe first: a report's verdict is the first one any check implies.
VERDICT_SEVERITY: tuple[Verdict, ...] = (
    Verdict.INVALID,
    Verdict.REVOKED,
    Verdict.EXPIRED,
    Verdict.NOT_YET_VALID,
    Verdict.UNSUPPORTED,
    Verdict.UNVERIFIABLE,
)
