"""Plain-language wording for verification results: icons, labels and banners.

Every state is shown as an icon *and* words, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio_gen.verify.report import CheckStatus, Verdict

#: status → (icon, label)
CHECK_LABELS: dict[CheckStatus, tuple[str, str]] = {
    CheckStatus.PASS: ("✓", "Passed"),
    CheckStatus.FAIL: ("✗", "Failed"),
    CheckStatus.WARN: ("⚠", "Could not check"),
    CheckStatus.SKIP: ("—", "Not applicable"),
}

VERDICT_LABELS: dict[Verdict, tuple[str, str]] = {
    Verdict.VERIFIED: ("✓", "Verified"),
    Verdict.INVALID: ("✗", "Invalid"),
    Verdict.REVOKED: ("✗", "Revoked"),
    Verdict.EXPIRED: ("⚠", "Expired"),
    Verdict.NOT_YET_VALID: ("⚠", "Not yet valid"),
    Verdict.UNVERIFIABLE: ("⚠", "Unverified"),
    Verdict.UNSUPPORTED: ("—", "Unsupported"),
}

_BANNERS: dict[Verdict, str] = {
    Verdict.INVALID: "This credential failed verification: it may have been altered or was "
                     "not issued as shown. Do not rely on it.",
    Verdict.REVOKED: "The issuer has revoked this credential. It is no longer valid.",
    Verdict.EXPIRED: "This credential has expired. It was authentic but is no longer current.",
    Verdict.NOT_YET_VALID: "This credential is not valid yet: its start date is in the future.",
    Verdict.UNVERIFIABLE: "This credential could not be verified, so its authenticity is "
                          "unknown.",
    Verdict.UNSUPPORTED: "This credential's format is not supported, so it could not be "
                         "verified.",
}


@dataclass(frozen=True)
class Banner:
    verdict: str
    icon: str
    title: str
    text: str
    reason: str


def banner_for(verdict: Verdict, reason: str) -> Banner | None:
    """The warning shown above a credential that is not verified (``None`` when verified)."""
    if verdict is Verdict.VERIFIED:
        return None
    icon, label = VERDICT_LABELS[verdict]
    return Banner(verdict.value, icon, label, _BANNERS[verdict], reason)
