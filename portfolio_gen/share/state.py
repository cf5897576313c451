"""How each verdict is shown: an icon shape, a colour and a plain sentence.

Cards never rely on colour alone: every state pairs an icon and a word, and the sentence
says honestly what the reader can and cannot trust.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portfolio_gen.verify.report import Verdict


class Icon(StrEnum):
    """Icon shapes drawn by the PNG and SVG renderers (no font glyph needed)."""

    CHECK = "check"
    CROSS = "cross"
    CLOCK = "clock"
    QUESTION = "question"


@dataclass(frozen=True)
class StateStyle:
    icon: Icon
    colour: str          # icon disc colour, readable with white glyph on it
    sentence: str        # one honest sentence for banners and alt text
    warning: bool        # True when the reader should not take the credential at face value


_STYLES: dict[Verdict, StateStyle] = {
    Verdict.VERIFIED: StateStyle(Icon.CHECK, "#1a7f37", "The signature and status were checked.",
                                 False),
    Verdict.INVALID: StateStyle(Icon.CROSS, "#b42318", "This credential failed verification.",
                                True),
    Verdict.REVOKED: StateStyle(Icon.CROSS, "#b42318", "The issuer has revoked this credential.",
                                True),
    Verdict.EXPIRED: StateStyle(Icon.CLOCK, "#9a6700", "This credential has expired.", True),
    Verdict.NOT_YET_VALID: StateStyle(Icon.CLOCK, "#9a6700", "This credential is not valid yet.",
                                      True),
    Verdict.UNVERIFIABLE: StateStyle(Icon.QUESTION, "#57606a",
                                     "This credential could not be checked.", True),
    Verdict.UNSUPPORTED: StateStyle(Icon.QUESTION, "#57606a",
                                    "This credential's format could not be checked.", True),
}

#: Fallback words used when the caller gives an empty label.
DEFAULT_LABELS: dict[Verdict, str] = {
    Verdict.VERIFIED: "Verified",
    Verdict.INVALID: "Invalid",
    Verdict.REVOKED: "Revoked",
    Verdict.EXPIRED: "Expired",
    Verdict.NOT_YET_VALID: "Not yet valid",
    Verdict.UNVERIFIABLE: "Unverifiable",
    Verdict.UNSUPPORTED: "Unsupported",
}


def style_for(verdict: Verdict) -> StateStyle:
    return _STYLES[verdict]


def label_for(verdict: Verdict, label: str) -> str:
    """The caller's (possibly translated) word, or the English default when empty."""
    return label.strip() or DEFAULT_LABELS[verdict]
