"""The trust summary at the top of a credential page, in a recruiter's words.

It answers three questions before anything else: *whose is this* (issued to), *who issued
it and what anchors that name* (issued by), *is it genuine and current* (the seal and one
sentence why). Everything technical goes into :func:`plain_checks`, shown collapsed under
"How this was checked". Nothing here decides a verdict: it only words the report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from portfolio_gen.model.credential import Credential
from portfolio_gen.model.wording import CONFIRMED_HOSTED, CONFIRMED_SIGNED, MISMATCH, VERDICTS
from portfolio_gen.render.templates import human_date
from portfolio_gen.render.verification import check_label
from portfolio_gen.verify import checks as catalogue
from portfolio_gen.verify.anchor import DOMAIN, REGISTRY, SELF_ASSERTED
from portfolio_gen.verify.checks import HOSTED_FETCH, RECIPIENT_IDENTIFIER
from portfolio_gen.verify.report import Check, CheckStatus, Verdict

ISSUED_TO = "issued-to"
NOT_ISSUED_TO = "not-issued-to"
NOT_CHECKED = "not-checked"

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
                  r"(Z|[+-]\d{2}:?\d{2})?)?\b")
_KINDS = {"email": "email address", "emailaddress": "email address", "url": "web address",
          "telephone": "phone number", "phone": "phone number", "id": "DID or URL",
          "did": "DID"}


@dataclass(frozen=True)
class Seal:
    kind: str        # verified / revoked / expired / unverified / mismatch (CSS and tests)
    icon: str
    label: str
    sentence: str


@dataclass(frozen=True)
class RecipientLine:
    outcome: str     # ISSUED_TO / NOT_ISSUED_TO / NOT_CHECKED
    stated: str      # what the credential says about its recipient, never an identifier value
    headline: str    # bold, after "Issued to"
    note: str        # the sentence why


@dataclass(frozen=True)
class IssuerLine:
    name: str
    anchor: str      # domain / registry / self-asserted / unproven
    detail: str | None
    text: str        # how the name is anchored, for a person


@dataclass(frozen=True)
class PlainCheck:
    id: str
    status: str
    icon: str
    label: str
    title: str
    message: str


@dataclass(frozen=True)
class TrustSummary:
    seal: Seal
    recipient: RecipientLine
    issuer: IssuerLine
    checked_at: datetime
    checked_human: str
    held_line: str | None = None   # the learner's own signature proves they hold it

    @property
    def counts(self) -> bool:
        """Whether the credential may be shown as evidence (verified and not someone else's)."""
        return self.seal.kind == "verified"


def human_datetime(value: datetime) -> str:
    """``1 June 2026, 12:00 UTC``: fixed English wording."""
    value = value.astimezone(UTC)
    return f"{human_date(value)}, {value:%H:%M} UTC"


def humanize_times(text: str) -> str:
    """ISO dates and timestamps inside a sentence (``expired on 2025-09-30T10:00:00Z``)
    rewritten as a person reads them (``expired on 30 September 2025, 10:00 UTC``)."""
    def swap(match: re.Match[str]) -> str:
        try:
            if match.group(4) is None:
                return human_date(date.fromisoformat(match.group(0)[:10]))
            stamp = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError:
            return match.group(0)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return human_datetime(stamp)
    return _ISO.sub(swap, text)


def short_id(value: str, keep: int = 10) -> str:
    """``did:key:z6MkfN5v…dcJr``: enough to recognise, short enough for a phone."""
    if len(value) <= 2 * keep + 12:
        return value
    head = value.split("#")[0] if "#" in value else value
    prefix = head[: head.find(":", 4) + 1] if head.startswith("did:") else ""
    return f"{value[:len(prefix) + keep]}…{value[-6:]}"


def plain_checks(cred: Credential) -> list[PlainCheck]:
    out = []
    for check in cred.checks:
        icon, label = check_label(check)
        title = catalogue.title(check.id)
        out.append(PlainCheck(check.id, check.status.value, icon, label, title,
                              humanize_times(check.message)))
    return out


def trust_summary(cred: Credential, learner_name: str, *, held: bool = False) -> TrustSummary:
    recipient = _recipient(cred, learner_name)
    held = held or bool(getattr(cred, "held", False))
    return TrustSummary(seal=_seal(cred, recipient), recipient=recipient,
                        issuer=_issuer(cred), checked_at=cred.report.checked_at,
                        checked_human=human_datetime(cred.report.checked_at),
                        held_line=f"Held by {learner_name} — proven by the learner's signature."
                        if held and recipient.outcome != NOT_ISSUED_TO else None)


def _check(cred: Credential, check_id: str) -> Check | None:
    return next((c for c in cred.checks if c.id == check_id), None)


#: the model's recipient state (holder binding), where the model has one → outcome
_STATES = {"match": ISSUED_TO, "mismatch": NOT_ISSUED_TO, "unchecked": NOT_CHECKED}
#: outcome → the model's state name (the pages' data-pg-recipient hook)
STATE_OF = {v: k for k, v in _STATES.items()}


def _recipient(cred: Credential, learner: str) -> RecipientLine:
    check = _check(cred, RECIPIENT_IDENTIFIER)
    stated = _stated_recipient(cred, check)
    model_state = getattr(cred, "recipient", None)
    state = _STATES.get(str(getattr(model_state, "value", model_state) or ""))
    if state == NOT_CHECKED:   # the model's default: let the check itself speak
        state = None
    if state == ISSUED_TO or (state is None and check is not None
                              and check.status is CheckStatus.PASS):
        return RecipientLine(ISSUED_TO, stated, learner,
                             f"The credential names {stated}, which matches {learner}'s own.")
    if state == NOT_ISSUED_TO or (state is None and check is not None
                                  and check.code == "recipient_mismatch"):
        return RecipientLine(NOT_ISSUED_TO, stated, f"Someone other than {learner}",
                             f"The credential names {stated}, which is not one of "
                             f"{learner}'s.")
    if check is None or check.code == "after_fatal":
        return RecipientLine(NOT_CHECKED, stated, "Not confirmed",
                             f"The check stopped before the recipient, so this is not "
                             f"confirmed to be {learner}.")
    return RecipientLine(NOT_CHECKED, stated, stated[:1].upper() + stated[1:],
                         f"Not confirmed to be {learner}.")


def _stated_recipient(cred: Credential, check: Check | None) -> str:
    """What the credential says about its recipient: a name it states, and the kind of
    identifier (never its value: identifiers are for matching only, never printed)."""
    subject: Any = (cred.report.document or {}).get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    name = subject.get("name") if isinstance(subject, dict) else None
    details = check.details if check is not None else {}
    kinds = [str(details["type"])] if "type" in details else list(details.get("types", ()))
    hashed = bool(details.get("hashed"))
    nouns = [("hashed " if hashed else "") + _KINDS.get(k.lower(), f"{k} identifier")
             for k in kinds]
    words = " or ".join(("an " if n[0] in "aeiou" else "a ") + n for n in nouns)
    name = _printable(name) if isinstance(name, str) else ""
    if name:
        named = f"“{name[:80]}”"
        return f"{named} ({words})" if words else named
    return words or "a recipient it does not name"


def _printable(text: str) -> str:
    """``text`` without control, format (bidi overrides, zero-width) or separator characters
    beyond plain spaces, so a name cannot reorder or hide the words around it."""
    spaced = "".join(" " if ch.isspace() else ch for ch in text)
    kept = "".join(ch for ch in spaced if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    return " ".join(kept.split())


def _ascii_host(host: str) -> str:
    """A host as the address bar shows it (IDNA), so a look-alike host cannot pass for the
    real one; an unencodable one is shown escaped."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host.encode("ascii", "backslashreplace").decode("ascii")


def _issuer(cred: Credential) -> IssuerLine:
    """What anchors the issuer's name, from the report (``verify.anchor``): a web domain, a
    trust registry, or nothing (self-asserted); nothing at all when the proof failed."""
    issuer = cred.issuer
    name = _printable(issuer.name)
    if not issuer.proven:
        return IssuerLine(name, "unproven", None,
                          "The file names this issuer, but the check did not prove it.")
    detail = issuer.anchor_detail
    if issuer.anchor == DOMAIN and detail:
        detail = _ascii_host(detail)
        return IssuerLine(name, DOMAIN, detail,
                          f"Identity anchored to the web domain {detail}.")
    if issuer.anchor == REGISTRY and detail:
        detail = _printable(detail)
        return IssuerLine(name, REGISTRY, detail, f"Listed in the trust registry {detail}.")
    return IssuerLine(name, SELF_ASSERTED, None,
                      "Self-asserted: no web domain or trust registry confirms this name; anyone "
                      "can make a signing key and give it any name.")


def _seal(cred: Credential, recipient: RecipientLine) -> Seal:
    """The seal's words come from the one verdict table (:mod:`portfolio_gen.model.wording`)."""
    verdict = cred.verdict
    if verdict is Verdict.VERIFIED and recipient.outcome == NOT_ISSUED_TO:
        return Seal(MISMATCH.seal_kind, MISMATCH.seal_icon, MISMATCH.seal, MISMATCH.sentence)
    words = VERDICTS[verdict]
    hosted = any(c.id == HOSTED_FETCH and c.status is CheckStatus.PASS for c in cred.checks)
    sentence = words.seal_sentence(
        how=CONFIRMED_HOSTED if hosted else CONFIRMED_SIGNED,
        when=f" on {human_date(cred.expires)}" if cred.expires else "",
        start=f" ({human_date(cred.valid_from)})" if cred.valid_from else "")
    return Seal(words.seal_kind, words.seal_icon, words.seal, sentence)
