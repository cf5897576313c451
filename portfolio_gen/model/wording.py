"""The one table of words for each verdict, used by the CLI, pages, cards and embeds.

Every place that names a credential's state takes its words from :data:`VERDICTS`: the
state chip and filters on pages (``label``), the trust seal at the top of a credential page
(``seal`` and ``sentence``, a recruiter's words), the share cards, OG images, iframe card,
oEmbed and alt text (``label`` and ``card_sentence``, short enough for an image), and the
CLI (the machine word ``verdict.value`` in ``cli_colour``). A credential that names someone
else is worded by :data:`MISMATCH` whatever its verdict. Every state is an icon *and*
words, never colour alone. Nothing here decides a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio_gen.verify.report import Verdict


@dataclass(frozen=True)
class VerdictWording:
    """How one state is said.

    ``sentence`` is the seal's sentence and may hold ``{how}`` (verified: how it was
    confirmed), ``{when}`` (expired: `` on <date>``) or ``{start}`` (not yet valid:
    `` (<date>)``); :meth:`seal_sentence` fills them.
    """

    icon: str            # glyph beside the word on pages (aria-hidden; the word says it)
    label: str           # short word: state chips, filters, cards, embeds, OG images
    seal_kind: str       # verified / revoked / expired / unverified / mismatch (CSS, tests)
    seal_icon: str       # the seal's glyph
    seal: str            # the trust seal's word on a credential page
    sentence: str        # the seal's sentence (a template, see above)
    card_sentence: str   # one short honest sentence for cards, banners and alt text
    cli_colour: str      # click colour of the CLI's verdict word

    def seal_sentence(self, *, how: str = "", when: str = "", start: str = "") -> str:
        return self.sentence.format(how=how, when=when, start=start)


VERDICTS: dict[Verdict, VerdictWording] = {
    Verdict.VERIFIED: VerdictWording(
        "✓", "Verified", "verified", "✓", "Verified",
        "Genuine and current: {how}, not revoked and not expired.",
        "The signature and status were checked.", "green"),
    Verdict.INVALID: VerdictWording(
        "✗", "Invalid", "unverified", "✗", "Not verified",
        "The check failed: the file may have been altered or was not issued as shown, so do "
        "not rely on it.",
        "This credential failed verification.", "red"),
    Verdict.REVOKED: VerdictWording(
        "✗", "Revoked", "revoked", "✗", "Revoked",
        "The issuer has withdrawn this credential; it is no longer valid.",
        "The issuer has revoked this credential.", "red"),
    Verdict.EXPIRED: VerdictWording(
        "⚠", "Expired", "expired", "⚠", "Expired",
        "It was genuine, but it expired{when} and is no longer current.",
        "This credential has expired.", "yellow"),
    Verdict.NOT_YET_VALID: VerdictWording(
        "⚠", "Not yet valid", "unverified", "⚠", "Not verified",
        "It is not valid yet: its start date{start} is in the future.",
        "This credential is not valid yet.", "yellow"),
    Verdict.UNVERIFIABLE: VerdictWording(
        "⚠", "Unverified", "unverified", "⚠", "Not verified",
        "Its authenticity could not be checked, so it is unknown.",
        "This credential could not be checked.", "magenta"),
    Verdict.UNSUPPORTED: VerdictWording(
        "—", "Unsupported", "unverified", "⚠", "Not verified",
        "Its format is not one this site can check.",
        "This credential's format could not be checked.", "magenta"),
}

#: How a verified credential was confirmed, for the seal's ``{how}``.
CONFIRMED_HOSTED = "confirmed on the issuer's own website"
CONFIRMED_SIGNED = "signed by the issuer and unchanged since"


@dataclass(frozen=True)
class MismatchWording:
    """A genuine credential that names someone else: never the learner's "Verified"."""

    icon: str = "✗"
    seal_icon: str = "✗"
    label: str = "Not the owner's"                 # state chip and filter value
    seal_kind: str = "mismatch"
    seal: str = "Not issued to this learner"       # seal, banner title, card state word
    sentence: str = "The credential is genuine, but it names someone else as its recipient."


MISMATCH = MismatchWording()
