"""Open Badges 2.0 endorsements, verified like hosted assertions and attached to what they endorse.

A BadgeClass, an Issuer profile or an Assertion may list ``endorsement``s: URLs of
(or embedded) ``Endorsement`` documents in which another issuer makes a ``claim``
about it. Each is verified as a badge of its own: only the copy fetched from the
endorsement's own id is trusted (410 or ``revoked: true`` ⇒ revoked), the endorser's
profile is fetched from its own URL, the endorsement must be hosted where that
endorser's verification policy allows, its ``claim.id`` must be the endorsed
object's id (an endorsement of something else proves nothing here), and its dates
must hold. The reports are nested in the assertion's report, like OB 3.0
endorsements; they never change the assertion's verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from portfolio_gen.verify.checks import (
    ENDORSEMENT_CLAIM,
    ENDORSEMENT_VALID,
    ENDORSEMENTS,
    HOSTED_FETCH,
    ISSUER_FETCH,
    ISSUER_VALID,
)
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.dates import check_validity_window
from portfolio_gen.verify.ob2 import hosted
from portfolio_gen.verify.ob2.documents import Fetched, fetch_json
from portfolio_gen.verify.ob2.shapes import (
    as_list,
    has_type,
    is_http_url,
    issuer_problems,
    node_id,
    parse_issued_on,
    verification_type,
)
from portfolio_gen.verify.report import (
    Check,
    IssuerRef,
    Verdict,
    VerificationReport,
    failed,
    passed,
    undecided,
)

MAX_ENDORSEMENTS = 16
_AUTHENTIC = (Verdict.VERIFIED, Verdict.REVOKED, Verdict.EXPIRED, Verdict.NOT_YET_VALID)


def attach(report: VerificationReport, ctx: VerifyContext, badge: Fetched | None,
           issuer: Fetched | None) -> VerificationReport:
    """``report`` with the endorsements of its assertion, BadgeClass and Issuer nested."""
    if report.verdict not in _AUTHENTIC or report.document is None:
        return report  # what a forged or unreadable badge claims about itself is not chased
    targets = [("", report.document),
               ("badge.", badge.doc if badge is not None else None),
               ("badge.issuer.", issuer.doc if issuer is not None else None)]
    items: list[tuple[str, str | None, object]] = []
    for prefix, node in targets:
        if isinstance(node, Mapping):
            for i, value in enumerate(as_list(node.get("endorsement"))):
                items.append((f"{prefix}endorsement[{i}]", node_id(node.get("id")), value))
    if not items:
        return report
    nested = [verify_endorsement(f"{report.source}#{label}", value, target, ctx)
              for label, target, value in items[:MAX_ENDORSEMENTS]]
    summary = _summary(nested, len(items) - len(nested))
    return replace(report, checks=(*report.checks, summary),
                   nested=(*report.nested, *nested))


def verify_endorsement(source: str, value: object, target_id: str | None,
                       ctx: VerifyContext) -> VerificationReport:
    """One endorsement (URL or embedded object) of the node whose id is ``target_id``."""
    checks: list[Check] = []
    local = value if isinstance(value, Mapping) else None
    url = value if isinstance(value, str) else node_id(local.get("id")) if local else None
    trusted: Mapping[str, Any] | None = None
    endorser: Fetched | None = None
    if local is not None and verification_type(local) == "signed":
        checks.append(failed(HOSTED_FETCH, "signed_endorsement_unsupported", "Signed Open "
                             "Badges 2.0 endorsements are not supported.", Verdict.UNSUPPORTED))
    elif not is_http_url(url):
        checks.append(failed(HOSTED_FETCH, "no_hosted_url", "The endorsement has no HTTP(S) "
                             "id to fetch it from, so nothing vouches for it."))
    else:
        assert url is not None
        fetched_checks, fetched = hosted.fetch_hosted(ctx, url, local)
        checks += fetched_checks
        if fetched is not None:
            trusted = fetched.doc
            endorser = _check_endorsement(trusted, url, target_id, ctx, checks)
    name = endorser.doc.get("name") if endorser is not None else None
    return VerificationReport(
        source=source, format="json", spec_version="2.0", checked_at=ctx.now,
        checks=tuple(checks), credential_id=url,
        issuer=IssuerRef(node_id(endorser.doc.get("id")) if endorser else None,
                         name if isinstance(name, str) else None),
        document=dict(trusted) if trusted is not None else None,
        related={"issuer": dict(endorser.doc)} if endorser is not None else {}, family="ob2")


def _check_endorsement(doc: Mapping[str, Any], url: str, target_id: str | None,
                       ctx: VerifyContext, checks: list[Check]) -> Fetched | None:
    claim = doc.get("claim")
    claimed = node_id(claim.get("id")) if isinstance(claim, Mapping) else None
    problems = []
    if not has_type(doc, "Endorsement"):
        problems.append(f"its type is {doc.get('type')!r}, not 'Endorsement'")
    if claimed is None:
        problems.append("its claim names nothing it endorses")
    issued = _date(doc.get("issuedOn"), problems, "issuedOn")
    expires = _date(doc.get("expires"), problems, "expires") if "expires" in doc else None
    if problems:
        checks.append(failed(ENDORSEMENT_VALID, "bad_endorsement", "The endorsement is not "
                             f"a valid Open Badges 2.0 Endorsement: {'; '.join(problems)}."))
        return None
    checks.append(passed(ENDORSEMENT_VALID, "valid", "The endorsement is well formed."))
    if target_id is None or claimed != target_id:
        checks.append(failed(ENDORSEMENT_CLAIM, "claim_elsewhere", f"The endorsement is "
                             f"about {claimed}, not about {target_id or 'this badge'}."))
        return None
    checks.append(passed(ENDORSEMENT_CLAIM, "claim_matches", f"The endorsement is about "
                         f"{claimed}."))
    endorser_url = node_id(doc.get("issuer"))
    if not is_http_url(endorser_url):
        checks.append(failed(ISSUER_FETCH, "bad_reference", "The endorsement names no "
                             "HTTP(S) URL for its issuer."))
        return None
    assert endorser_url is not None
    endorser, fetch_check = fetch_json(ctx, endorser_url, ISSUER_FETCH, "endorser's profile")
    checks.append(fetch_check)
    if endorser is None:
        return None
    bad = issuer_problems(endorser.doc, "2.0")
    if bad:
        checks.append(failed(ISSUER_VALID, "bad_issuer", "The endorser's profile is not "
                             f"valid: {'; '.join(bad)}."))
        return None
    if node_id(endorser.doc.get("id")) != endorser_url:
        checks.append(failed(ISSUER_VALID, "issuer_id_mismatch", f"The profile at "
                             f"{endorser_url} names itself {endorser.doc.get('id')!r}."))
        return None
    checks.append(passed(ISSUER_VALID, "valid", f"The endorser {endorser.doc.get('name')!r} "
                         "is well formed."))
    checks.append(hosted.check_scope(url, endorser))
    checks += check_validity_window(issued=issued, not_before=None, not_after=expires,
                                    now=ctx.now, skew=ctx.options.clock_skew)
    return endorser


def _date(value: object, problems: list[str], name: str) -> datetime | None:
    try:
        return parse_issued_on(value, "2.0")
    except (ValueError, TypeError):
        problems.append(f"its {name} is not a date")
        return None


def _summary(reports: list[VerificationReport], not_checked: int) -> Check:
    good = sum(1 for r in reports if r.verdict is Verdict.VERIFIED)
    details = {"verified": good, "checked": len(reports), "not_checked": not_checked}
    if not_checked:
        return undecided(ENDORSEMENTS, "nested_not_checked", f"{not_checked} endorsements were not "
                         f"checked (limit {MAX_ENDORSEMENTS}); {good} of {len(reports)} checked "
                         "are verified.", None, **details)
    if good == len(reports):
        return passed(ENDORSEMENTS, "nested_verified", f"All {good} endorsements are verified.",
                      **details)
    return undecided(ENDORSEMENTS, "nested_not_all_verified", f"{good} of {len(reports)} "
                     "endorsements are verified; see each one's report.", None, **details)


def pin_urls(nodes: list[Mapping[str, Any] | None],
             get: Any) -> list[str]:
    """Endorsement URLs of ``nodes`` and their endorsers' profiles, for ``portfolio-gen pin``.

    ``get(url)`` returns the fetched JSON object or ``None`` (offline).
    """
    urls: list[str] = []
    for node in nodes:
        for value in as_list(node.get("endorsement")) if isinstance(node, Mapping) else []:
            url = value if isinstance(value, str) else node_id(value)
            if not is_http_url(url) or url in urls:
                continue
            assert url is not None
            urls.append(url)
            doc = get(url)
            endorser = node_id(doc.get("issuer")) if isinstance(doc, Mapping) else None
            if is_http_url(endorser) and endorser not in urls:
                assert endorser is not None
                urls.append(endorser)
    return urls[:2 * MAX_ENDORSEMENTS]
