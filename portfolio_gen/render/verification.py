"""Plain-language wording for verification results on pages: state chips, check rows,
conformance notes and whose credential it is.

The words come from the one verdict table (:mod:`portfolio_gen.model.wording`) and the
check catalogue (:mod:`portfolio_gen.verify.checks`). Every state is shown as an icon *and*
words, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio_gen.model.credential import Credential, Recipient
from portfolio_gen.model.wording import MISMATCH, VERDICTS
from portfolio_gen.verify.checks import CONFORMANCE_WORDS, STATUS_WORDS
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, is_conformance


def verdict_label(verdict: Verdict) -> tuple[str, str]:
    """Icon and short word for a verdict (the one table: :mod:`portfolio_gen.model.wording`)."""
    words = VERDICTS[verdict]
    return words.icon, words.label


#: conformance check code -> what it means for a person reading the credential page
_CONFORMANCE_NOTES: dict[str, str] = {
    "subject_unidentified": "This credential does not name its recipient, so it cannot be "
                            "tied to a person by itself.",
    "subject_missing": "This credential does not say who or what it is about.",
    "subject_malformed": "This credential's description of its recipient could not be read.",
    "subject_multiple": "This credential is about several subjects; only the first is shown.",
    "subject_id_missing": "This endorsement does not say what it endorses.",
    "identifier_not_list": "This credential names its recipient in a slightly non-standard "
                           "form; it was read as intended.",
    "achievement_missing": "This credential does not describe the achievement it was "
                           "awarded for.",
    "achievement_incomplete": "The description of the achievement lacks details the standard "
                              "asks for (such as its criteria).",
    "achievement_type_unknown": "The kind of achievement is not one the Open Badges standard "
                                "defines.",
    "not_open_badge": "This is a general verifiable credential rather than an Open Badge, so "
                      "it is shown with a simpler layout.",
    "type_not_vc": "This credential does not declare itself a verifiable credential as the "
                   "standard requires.",
    "context_missing": "This credential does not declare the vocabulary the standard requires.",
    "context_not_vc": "This credential does not declare the vocabulary the standard requires.",
    "context_not_ob": "This credential does not declare the Open Badges vocabulary.",
    "context_not_clr": "This record does not declare the Comprehensive Learner Record "
                       "vocabulary.",
    "context_not_ob2": "This badge does not declare the Open Badges vocabulary.",
    "required_missing": "Some information the standard requires is missing from this "
                        "credential.",
    "node_type_unknown": "Parts of this credential are labelled with types the standard does "
                         "not define.",
    "status_list_short": "The issuer's revocation list is shorter than the standard asks, "
                         "which tells more about which credential is being checked; it was "
                         "still checked.",
    "assertion_nonconformant": "This badge departs from the Open Badges 2.0 standard in its "
                               "details; its authenticity is not affected.",
    "badge_nonconformant": "The badge description departs from the Open Badges 2.0 standard "
                           "in its details.",
    "issuer_nonconformant": "The issuer's profile departs from the Open Badges 2.0 standard "
                            "in its details.",
    "schema_invalid": "This credential does not match the published description of its "
                      "format (JSON Schema) that it names; its authenticity is not affected.",
    "schema_not_bundled": "This credential names a published description of its format (JSON "
                          "Schema) that could not be checked here; its authenticity is not "
                          "affected.",
    "schema_malformed": "This credential's reference to a description of its format could "
                        "not be read.",
}


@dataclass(frozen=True)
class ConformanceNote:
    code: str
    text: str


def check_label(check: Check | CheckStatus) -> tuple[str, str]:
    """Icon and words for one check row; a conformance warning is not "could not check"."""
    if isinstance(check, CheckStatus):
        return STATUS_WORDS[check]
    if is_conformance(check) and check.status is CheckStatus.WARN:
        return CONFORMANCE_WORDS
    return STATUS_WORDS[check.status]


def conformance_notes(checks: tuple[Check, ...]) -> list[ConformanceNote]:
    """The departures from the standard that did not change the verdict, for a person."""
    notes: dict[str, ConformanceNote] = {}
    for check in checks:
        if is_conformance(check) and check.status is CheckStatus.WARN:
            text = _CONFORMANCE_NOTES.get(
                check.code, f"This credential departs from the standard: {check.message}")
            notes.setdefault(text, ConformanceNote(check.code, text))
    return list(notes.values())


NOT_OWNERS = MISMATCH.seal


def state_label(cred: Credential) -> str:
    """The one word(s) for a credential's state on cards, filters and timelines."""
    if cred.recipient is Recipient.MISMATCH:
        return MISMATCH.label
    return VERDICTS[cred.verdict].label


@dataclass(frozen=True)
class RecipientSummary:
    """Whose credential this is, in words (issue #14 item 2)."""

    state: str          # match | mismatch | unchecked
    sentence: str
    held_line: str | None = None


def recipient_summary(cred: Credential, learner: str, *, held: bool = False) -> RecipientSummary:
    named = cred.recipient_label or "no one by name"
    held_line = (f"Held by {learner} — proven by the learner's signature." if held else None)
    if cred.recipient is Recipient.MATCH:
        return RecipientSummary("match", f"Issued to {learner}.", held_line)
    if cred.recipient is Recipient.MISMATCH:
        return RecipientSummary("mismatch", f"{NOT_OWNERS}: issued to {named}, which is "
                                f"none of {learner}'s declared identifiers.")
    return RecipientSummary("unchecked", f"Issued to {named}; not confirmed to be {learner}.",
                            held_line)
