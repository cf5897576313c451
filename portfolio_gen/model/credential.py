"""One credential as the site shows it, whatever its format (OB 2.0, OB 3.0, CLR 2.0).

Text fields hold the issuer's words unmodified (Markdown for description, criteria,
narratives); escaping and sanitising is the renderer's job, so the model stays faithful.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from portfolio_gen.verify.anchor import (
    REGISTRY,
    SELF_ASSERTED,
    anchor_note,
    card_issuer,
    issued_by,
    issuer_phrase,
    short_issuer,
)
from portfolio_gen.verify.report import (
    PROOF_CHECK_IDS,
    Check,
    CheckStatus,
    Verdict,
    VerificationReport,
)


class Display(StrEnum):
    """How the site presents a credential (from its verdict and the learner's options)."""

    SHOWN = "shown"        # verified
    FLAGGED = "flagged"    # shown with a banner explaining what failed
    HIDDEN = "hidden"      # not published at all


class Recipient(StrEnum):
    """Whether the credential is the learner's (profile identifiers vs. its recipient)."""

    MATCH = "match"          # issued to this learner
    MISMATCH = "mismatch"    # issued to someone else: never counted, never shared
    UNCHECKED = "unchecked"  # no identifiers declared, or the credential names none


@dataclass(frozen=True)
class IssuerInfo:
    """The issuer as the credential names it, plus what anchors that name (from the
    report: ``verify.anchor``). ``proven`` is False when the credential's origin was not
    proven, so the name is only a claim whatever the id looks like."""

    name: str
    id: str | None = None
    url: str | None = None
    image: str | None = None   # URL or data URI, untrusted
    email: str | None = None
    anchor: str = SELF_ASSERTED
    anchor_detail: str | None = None
    listed_name: str | None = None
    listed_url: str | None = None
    proven: bool = False

    @property
    def anchored(self) -> bool:
        return self.proven and self.anchor != SELF_ASSERTED

    @property
    def issued_by(self) -> str:
        """``Issued by Example University (example.edu)`` / ``Issued by a key that calls
        itself …``: the honest line every page and share artefact uses."""
        return issued_by(self.name, self.anchor, self.anchor_detail, self.listed_name,
                         proven=self.proven)

    @property
    def phrase(self) -> str:
        """:attr:`issued_by` without ``Issued by`` (to follow "issued by" in a sentence)."""
        return issuer_phrase(self.name, self.anchor, self.anchor_detail, self.listed_name,
                             proven=self.proven)

    @property
    def label(self) -> str:
        """The issuer as a list or facet names it: the (registry's) name when anchored, else
        ``a key that calls itself <name>``."""
        if self.anchored:
            return self.listed_name if self.anchor == REGISTRY and self.listed_name else self.name
        return self.phrase

    @property
    def short(self) -> str:
        """One short line for small cards."""
        return short_issuer(self.name, self.anchor, self.anchor_detail, self.listed_name,
                            proven=self.proven)

    @property
    def card_line(self) -> str:
        """The issuer line of an image or iframe card (``verify.anchor.card_issuer``)."""
        return card_issuer(self.name, self.anchor, self.listed_name, proven=self.proven)

    @property
    def anchor_note(self) -> str:
        """``via example.edu`` / ``listed in <registry>`` beside a card's state, or empty."""
        return anchor_note(self.anchor, self.anchor_detail, proven=self.proven)

    @property
    def anchor_link(self) -> str | None:
        """The issuer's address as far as the anchor backs it: the registry entry's URL; for
        a domain, the issuer's stated homepage only on that domain (or a parent of it), else
        the https issuer id or ``https://<domain>/``. Never a homepage on another domain:
        ``evil.example`` naming itself Harvard must not link to harvard.edu."""
        if not self.anchored:
            return None
        if self.anchor == REGISTRY:
            return self.listed_url
        domain = (self.anchor_detail or "").lower()
        if self.url and self.url.startswith("https://") and domain:
            try:
                parts = urlsplit(self.url)
                host = parts.hostname or ""
                host_port = f"{host}:{parts.port}" if parts.port not in (None, 443) else host
            except ValueError:
                host_port = ""
            if host_port and (domain == host_port or domain.endswith("." + host_port)):
                return self.url
        if self.id and self.id.startswith("https://"):
            return self.id
        return f"https://{domain}/" if domain else None


@dataclass(frozen=True)
class Alignment:
    """A skill or competency the credential claims (OB alignment)."""

    name: str
    url: str | None = None
    framework: str | None = None
    code: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ResultItem:
    label: str
    value: str


@dataclass(frozen=True)
class Evidence:
    name: str | None = None
    description: str | None = None
    narrative: str | None = None
    url: str | None = None
    genre: str | None = None


@dataclass(frozen=True)
class Endorsement:
    """Another issuer's endorsement, as verified on its own (a nested report).

    ``target`` says what it endorses ("this credential", "the achievement", "the
    issuer"); ``reason`` is the verdict's sentence when it is not verified.
    """

    issuer_name: str
    comment: str | None
    verdict: Verdict | None   # None when the endorsement was not verified on its own
    target: str = "this credential"
    issuer_id: str | None = None
    reason: str | None = None
    #: Who endorsed it, honestly (``verify.anchor.issuer_phrase``): an endorser's name is
    #: a claim unless its own verified report anchors it.
    issuer_phrase: str = ""

    @property
    def verified(self) -> bool:
        return self.verdict is Verdict.VERIFIED


@dataclass(frozen=True)
class Credential:
    """Everything a credential page, card or pathway needs, plus the report behind it."""

    slug: str
    name: str
    description: str
    criteria: str
    criteria_url: str | None
    image: str | None            # URL or data URI from the credential, untrusted
    image_alt: str
    achievement_id: str | None
    achievement_type: str | None
    issuer: IssuerInfo
    issued: datetime | None
    valid_from: datetime | None
    expires: datetime | None
    alignments: tuple[Alignment, ...]
    results: tuple[ResultItem, ...]
    credits: str | None
    evidence: tuple[Evidence, ...]
    endorsements: tuple[Endorsement, ...]
    tags: tuple[str, ...]
    narrative: str | None
    report: VerificationReport
    source: str                  # file name relative to the badges folder
    source_path: Path | None
    file_bytes: bytes            # the original file, byte for byte
    display: Display = Display.SHOWN
    featured: bool = False
    #: a plain Verifiable Credential (not an Open Badge): what its subject states, shown in a
    #: generic layout instead of achievement, criteria and results
    subject_fields: tuple[ResultItem, ...] = ()
    recipient: Recipient = Recipient.UNCHECKED
    recipient_label: str | None = None   # who the credential names, as a person may read it
    subject_id: str | None = None        # OB 3.0 credentialSubject.id
    held: bool = False                   # subject is the holder DID of a verified presentation
    raw_json: bytes = b""                # the credential's own JSON/JWT bytes (not the container)
    raw_kind: str = ""                   # ingest Kind value of raw_json

    @property
    def is_badge(self) -> bool:
        """False for a plain W3C Verifiable Credential (no Open Badges type)."""
        return self.report.family != "vc"

    @property
    def verdict(self) -> Verdict:
        return self.report.verdict

    @property
    def checks(self) -> tuple[Check, ...]:
        return self.report.checks

    @property
    def key_id(self) -> str | None:
        return self.report.key_id

    @property
    def credential_id(self) -> str | None:
        return self.report.credential_id

    @property
    def verified(self) -> bool:
        return self.report.verdict is Verdict.VERIFIED

    @property
    def authentic(self) -> bool:
        """The issuer's proof (or hosted copy) checked out, so its content is the issuer's
        words even when the credential is revoked or expired; False when nothing proved it."""
        return (self.report.verdict in (Verdict.VERIFIED, Verdict.REVOKED, Verdict.EXPIRED,
                                        Verdict.NOT_YET_VALID)
                and any(c.id in PROOF_CHECK_IDS and c.status is CheckStatus.PASS
                        for c in self.report.checks))

    @property
    def counts(self) -> bool:
        """Counted in skills, totals, featured, pathways, summaries: verified and not
        someone else's (and published)."""
        return (self.verified and self.recipient is not Recipient.MISMATCH
                and self.display is not Display.HIDDEN)

    @property
    def not_owners(self) -> bool:
        return self.recipient is Recipient.MISMATCH

    @property
    def date(self) -> datetime | None:
        """The date a timeline or sort uses."""
        return self.issued or self.valid_from
