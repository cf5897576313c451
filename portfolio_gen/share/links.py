"""Share and add-to-profile links, each a plain URL that works without JavaScript.

Every value is percent-encoded with ``quote`` (space as ``%20``, never ``+``, which mail
clients show literally) so names with ``&``, ``#``, quotes, accents or emoji survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from portfolio_gen.share.info import ShareInfo
from portfolio_gen.share.state import label_for
from portfolio_gen.verify.report import Verdict

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
LINKEDIN_FEED = "https://www.linkedin.com/sharing/share-offsite/"
X_INTENT = "https://twitter.com/intent/tweet"
FACEBOOK = "https://www.facebook.com/sharer/sharer.php"

#: X counts every URL as 23 characters; the whole post must fit in 280.
_X_LIMIT = 280
_X_URL_WEIGHT = 23

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_LINKEDIN_ORG = re.compile(r"^[0-9]{1,12}$")


@dataclass(frozen=True)
class ShareLink:
    """One entry of the share panel."""

    id: str      # stable key: linkedin-add, linkedin-feed, x, facebook, email
    label: str
    url: str


def _query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def human_credential_id(credential_id: str | None) -> str | None:
    """The id only when a person could read and quote it (never ``urn:uuid:``, DIDs or URLs)."""
    if not credential_id:
        return None
    value = credential_id.strip()
    if (not value or len(value) > 64 or ":" in value or "/" in value
            or _UUID.match(value) or any(ch.isspace() for ch in value[:1])):
        return None
    return value


def linkedin_add_to_profile(info: ShareInfo, *, organization_id: str | None = None) -> str:
    """LinkedIn *Add to profile* (Licenses & Certifications), months 1-12.

    ``organization_id`` (a numeric LinkedIn organisation id) wins over the issuer name
    because only it gives the entry a logo and company link.
    """
    pairs: list[tuple[str, str]] = [("startTask", "CERTIFICATION_NAME"), ("name", info.name)]
    org = organization_id or info.issuer_linkedin_org_id
    if org and _LINKEDIN_ORG.match(org.strip()):
        pairs.append(("organizationId", org.strip()))
    else:
        # LinkedIn shows this as the issuing organisation: a name nothing anchors says so.
        pairs.append(("organizationName", info.issuer_name if info.issuer_anchored
                      else f"{info.issuer_name} (unconfirmed issuer)"))
    if info.issued is not None:
        pairs += [("issueYear", str(info.issued.year)), ("issueMonth", str(info.issued.month))]
    if info.expires is not None:
        pairs += [("expirationYear", str(info.expires.year)),
                  ("expirationMonth", str(info.expires.month))]
    if info.page_url:
        pairs.append(("certUrl", info.page_url))
    cert_id = human_credential_id(info.credential_id)
    if cert_id:
        pairs.append(("certId", cert_id))
    return f"{LINKEDIN_ADD}?{_query(pairs)}"


def linkedin_feed(page_url: str) -> str:
    """LinkedIn feed share: only ``url`` is honoured; the preview comes from OG tags."""
    return f"{LINKEDIN_FEED}?{_query([('url', page_url)])}"


def share_text(info: ShareInfo) -> str:
    """The one-line message for X and email; it never claims more than the verdict allows."""
    text = (f"I earned \u201c{info.name}\u201d from {info.issuer_words}" if info.issuer_anchored
            else f"I earned \u201c{info.name}\u201d, issued by {info.issuer_words}")
    if info.verdict is not Verdict.VERIFIED:
        text += f" ({label_for(info.verdict, info.verdict_label).lower()})"
    return text


def x_post(info: ShareInfo, page_url: str) -> str:
    """X (Twitter) web intent, text shortened so text + URL fit in one post."""
    room = _X_LIMIT - _X_URL_WEIGHT - 1
    text = share_text(info)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "\u2026"
    return f"{X_INTENT}?{_query([('text', text), ('url', page_url)])}"


def facebook(page_url: str) -> str:
    """Facebook sharer: text cannot be prefilled, the preview comes from OG tags."""
    return f"{FACEBOOK}?{_query([('u', page_url)])}"


def email(info: ShareInfo, page_url: str | None) -> str:
    """``mailto:`` with no recipient, a subject and a short body."""
    subject = f"{info.name} \u2014 {info.issuer_words}"
    lines = [share_text(info) + "."]
    if page_url:
        lines.append(f"See and verify it: {page_url}")
    return f"mailto:?{_query([('subject', subject), ('body', chr(10).join(lines))])}"


def share_links(info: ShareInfo, *, organization_id: str | None = None) -> list[ShareLink]:
    """The share panel's links; those needing an absolute page URL are left out without one."""
    links = [ShareLink("linkedin-add", "Add to LinkedIn profile",
                       linkedin_add_to_profile(info, organization_id=organization_id))]
    if info.page_url:
        links += [
            ShareLink("linkedin-feed", "Share on LinkedIn", linkedin_feed(info.page_url)),
            ShareLink("x", "Share on X", x_post(info, info.page_url)),
            ShareLink("facebook", "Share on Facebook", facebook(info.page_url)),
        ]
    links.append(ShareLink("email", "Share by email", email(info, info.page_url)))
    return links
