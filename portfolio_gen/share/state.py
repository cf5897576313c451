"""How each verdict is drawn on cards: an icon shape and a colour, beside the words.

The words (the state word and its honest sentence) come from the one verdict table,
:mod:`portfolio_gen.model.wording`, so a card, an OG image, the iframe card and a page never
disagree. Cards never rely on colour alone: every state pairs an icon and a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portfolio_gen.model.wording import VERDICTS
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


_LOOKS: dict[Verdict, tuple[Icon, str]] = {
    Verdict.VERIFIED: (Icon.CHECK, "#1a7f37"),
    Verdict.INVALID: (Icon.CROSS, "#b42318"),
    Verdict.REVOKED: (Icon.CROSS, "#b42318"),
    Verdict.EXPIRED: (Icon.CLOCK, "#9a6700"),
    Verdict.NOT_YET_VALID: (Icon.CLOCK, "#9a6700"),
    Verdict.UNVERIFIABLE: (Icon.QUESTION, "#57606a"),
    Verdict.UNSUPPORTED: (Icon.QUESTION, "#57606a"),
}

_STYLES: dict[Verdict, StateStyle] = {
    verdict: StateStyle(icon, colour, VERDICTS[verdict].card_sentence,
                        verdict is not Verdict.VERIFIED)
    for verdict, (icon, colour) in _LOOKS.items()
}


def style_for(verdict: Verdict) -> StateStyle:
    return _STYLES[verdict]


def label_for(verdict: Verdict, label: str) -> str:
    """The caller's (possibly translated) word, or the table's word when empty."""
    return label.strip() or VERDICTS[verdict].label
