"""What the sharing layer needs to know about one credential, and nothing more.

A plain frozen dataclass keeps this layer independent of the display model: the site
integration maps its ``Credential`` onto it. Every string in it is untrusted badge data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
