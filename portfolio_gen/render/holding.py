"""Plan ``presentation.json`` for a site: sign with the holder key, verify, then publish.

Why here: the presentation needs the site's address (its ``domain``) and the build time
(its ``challenge``), which only the site plan knows. A presentation our own verifier
rejects is never published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import rfc8785

from portfolio_gen.errors import BadInput
from portfolio_gen.holder.presentation import (
    FILE_NAME,
    Embedded,
    presentation_bytes,
    sign_presentation,
    verify_presentation,
)
from portfolio_gen.ingest.jsontext import parse_json_object
from portfolio_gen.ingest.raw import Kind
from portfolio_gen.model.credential import Credential
from portfolio_gen.model.portfolio import Portfolio
from portfolio_gen.verify.report import CheckStatus

__all__ = ["FILE_NAME", "PresentationPlan", "plan_presentation"]

NO_SITE_URL = ("presentation.json was not published: it is bound to the site's address, "
               "so site_url must be set in mkdocs.yml")


@dataclass(frozen=True)
class PresentationPlan:
    data: bytes | None = None
    held: tuple[str, ...] = ()     # slugs whose subject is the holder (proven by the VP)
    note: str | None = None        # one warning for the build, when there is something to say


def embedded(cred: Credential) -> Embedded | None:
    """The credential exactly as found: JSON parsed from its bytes, a JWT as its string."""
    if cred.raw_kind == Kind.OB3_JWT.value:
        return Embedded(jwt=cred.raw_json.decode("ascii", "replace").strip())
    if cred.raw_kind == Kind.OB3_CREDENTIAL.value:
        try:
            doc = parse_json_object(cred.raw_json, cred.source)
            rfc8785.dumps(doc)   # JCS cannot carry integers beyond 2^53: leave such a file out
        except (BadInput, rfc8785.CanonicalizationError):
            return None
        return Embedded(json=doc)
    return None   # OB 2.0 assertions are not W3C Verifiable Credentials


def plan_presentation(portfolio: Portfolio, counted: Sequence[Credential],
                      site_url: str | None) -> PresentationPlan:
    key = portfolio.holder
    if key is None:
        return PresentationPlan(note=portfolio.holder_note)
    if not site_url:
        return PresentationPlan(note=NO_SITE_URL)
    chosen = [(c, e) for c in counted if (e := embedded(c)) is not None]
    challenge = portfolio.built_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    vp = sign_presentation([e for _, e in chosen], key, domain=site_url, challenge=challenge)
    data = presentation_bytes(vp)
    check = verify_presentation(data, holder=key.did, domain=site_url, challenge=challenge)
    if check.status is not CheckStatus.PASS:
        return PresentationPlan(note=f"presentation.json was not published: our own check "
                                f"of it failed ({check.message})")
    held = tuple(c.slug for c, _ in chosen if c.subject_id == key.did)
    return PresentationPlan(data, held)
