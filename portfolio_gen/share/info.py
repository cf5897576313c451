"""What the sharing layer needs to know about one credential, and nothing more.

A plain frozen dataclass keeps this layer independent of the display model: the site
integration maps its ``Credential`` onto it. Every string in it is untrusted badge data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portfolio_gen.verify.anchor import SELF_ASSERTED, card_issuer, issuer_phrase
from portfolio_gen.verify.report import Verdict


@dataclass(frozen=True)
class ShareSkill:
    """A skill or competency from the credential's alignments."""

    name: str
    url: str | None = None
    code: str | None = None
    framework: str | None = None


@dataclass(frozen=True)
class ShareInfo:
    """One credential as cards, links and structured data present it.

    ``page_url`` is absolute only when the site URL is known; ``page_path`` is the page's
    path relative to the site root (e.g. ``credentials/python-basics/``).
    """

    credential_id: str | None
    name: str
    description: str
    issuer_name: str
    issuer_url: str | None
    achievement_type: str | None
    issued: datetime | None
    expires: datetime | None
    verdict: Verdict
    verdict_label: str
    page_url: str | None
    page_path: str
    image_bytes: bytes | None = None
    image_mime: str | None = None
    skills: tuple[ShareSkill, ...] = ()
    learner_name: str = ""
    issuer_linkedin_org_id: str | None = None
    #: Completes "issued by …" honestly (``verify.anchor.issuer_phrase``): ``Example
    #: University (example.edu)`` or ``a key that calls itself Harvard University``. Left
    #: empty, the name is treated as the issuer's own claim.
    issuer_phrase: str = ""
    #: The issuer line of image and iframe cards (``verify.anchor.card_issuer``): the name
    #: when anchored, else ``Claims to be <name>``.
    issuer_short: str = ""
    #: What anchors it, beside a verified card's state: ``via example.edu`` (or empty).
    issuer_note: str = ""
    #: True only when a domain or a registry anchors the issuer's name.
    issuer_anchored: bool = False

    @property
    def issuer_words(self) -> str:
        """What follows "issued by": the anchored name, or the name as the key's claim."""
        return self.issuer_phrase or issuer_phrase(self.issuer_name, SELF_ASSERTED)

    @property
    def issued_by(self) -> str:
        """``Issued by …``, never the bare name of an issuer nothing anchors."""
        return f"Issued by {self.issuer_words}"

    @property
    def issuer_line(self) -> str:
        """The issuer on one short card line."""
        return self.issuer_short or card_issuer(self.issuer_name, SELF_ASSERTED)

    @property
    def name_unconfirmed(self) -> bool:
        """A verified credential whose issuer name nothing confirms: its state must say so."""
        return self.verdict is Verdict.VERIFIED and not self.issuer_anchored
