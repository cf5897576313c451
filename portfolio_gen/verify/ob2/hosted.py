"""HostedBadge verification (the Open Badges verification rules: Open Badges 2.0 §HostedBadge;
security item 13).

The assertion is whatever the issuer's server returns at the assertion id: a
local or baked copy only tells us the URL. ``410 Gone`` or ``revoked: true``
means revoked (validator-core misses both, §1.6). Any other non-2xx answer,
including 404, is *unverifiable*: the issuer's server did not confirm the badge,
but a moved or temporarily broken site is not proof of forgery. The scope check
stops a forger hosting an assertion for someone else's BadgeClass on their own
server: the assertion must live where the issuer's verification policy allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from portfolio_gen.verify.checks import (
    HOSTED_FETCH,
    HOSTED_LOCAL_COPY,
    HOSTED_REVOKED,
    HOSTED_SCOPE,
)
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob2.documents import (
    Fetched,
    fetch_json,
    identity_of,
    origin_details,
    served_id,
)
from portfolio_gen.verify.ob2.shapes import (
    as_list,
    assertion_id,
    is_http_url,
    verification_object,
)
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, failed, passed, undecided


def fetch_hosted(ctx: VerifyContext, url: str,
                 local: Mapping[str, Any] | None) -> tuple[list[Check], Fetched | None]:
    """``hosted.fetch``, ``hosted.revoked`` and ``hosted.local_copy``; the trusted doc or None."""
    fetched, check = fetch_json(ctx, url, HOSTED_FETCH, "hosted assertion")
    if fetched is None:
        status = check.details.get("status")
        if status == 410:
            gone = Check(HOSTED_FETCH, CheckStatus.FAIL, "http_410", check.message, None,
                         check.details)
            return [gone,
                    failed(HOSTED_REVOKED, "gone", "The issuer has revoked this badge: its hosted "
                           "assertion answers 410 Gone.", Verdict.REVOKED, url=url)], None
        if status == 404:
            check = undecided(HOSTED_FETCH, "http_404",
                              f"The issuer's server has no assertion at {url} "
                              "(HTTP 404); it may have been deleted or moved, so the badge cannot "
                              "be verified.", **dict(check.details))
        return [check], None
    doc = fetched.doc
    verify = verification_object(doc) or {}
    # 2.0 names itself by ``id``; 1.x assertions (``uid``) by ``verify.url``.
    found_id = doc.get("id") if "id" in doc else verify.get("url", assertion_id(doc))
    result = fetched.result
    final = result.final_url if result is not None else url
    if not served_id(url, final, found_id) and doc.get("revoked") is not True:
        where = url if final == url else f"{url} (redirected to {final})"
        return [failed(HOSTED_FETCH, "id_mismatch", f"The document at {where} names a different "
                       f"assertion id ({found_id!r}), so it does not vouch for this badge.",
                       Verdict.INVALID, **origin_details(result))], None
    checks = [check]
    if doc.get("revoked") is True:
        reason = doc.get("revocationReason")
        why = f" Reason given: {reason}" if isinstance(reason, str) and reason else ""
        checks.append(failed(HOSTED_REVOKED, "revoked", f"The issuer has revoked this badge.{why}",
                             Verdict.REVOKED, revocationReason=reason
                             if isinstance(reason, str) else None))
        return checks, None
    checks.append(passed(HOSTED_REVOKED, "not_revoked",
                         "The hosted assertion is not marked revoked."))
    if local is not None:
        if dict(local) == dict(doc):
            checks.append(passed(HOSTED_LOCAL_COPY, "same",
                                 "The badge file's copy of the assertion "
                                 "matches the hosted one."))
        else:
            checks.append(undecided(HOSTED_LOCAL_COPY, "differs", "The badge file's copy of the "
                                    "assertion differs from the hosted one; the hosted assertion "
                                    "is what was verified.", None))
    return checks, fetched


def check_scope(assertion_url: str, issuer: Fetched | None) -> Check:
    """``hosted.scope``: the assertion URL is within the issuer's verification policy.

    ``issuer`` must be the profile fetched from the issuer's own id: a copy embedded in
    the assertion or BadgeClass is written by whoever hosts the assertion, so it could
    allow any origin (the Open Badges verification rules: security item 14).
    """
    if issuer is None or issuer.result is None:
        return undecided(HOSTED_SCOPE, "no_issuer",
                         "Could not check where the assertion may be hosted: "
                         "the issuer profile was not fetched from its own id.")
    policy = issuer.doc.get("verification")
    policy = policy if isinstance(policy, Mapping) else {}
    starts = [s for s in as_list(policy.get("startsWith")) if isinstance(s, str)]
    origins = [_host_of(o) for o in as_list(policy.get("allowedOrigins")) if isinstance(o, str)]
    basis = "the issuer's allowedOrigins"
    if not origins:
        identity = identity_of(issuer)
        issuer_id = identity.id if identity is not None else None
        if not is_http_url(issuer_id):
            return undecided(HOSTED_SCOPE, "no_origin",
                             "Could not check where the assertion may be "
                             "hosted: the issuer has no HTTP id and no allowedOrigins.")
        origins, basis = [_host_of(str(issuer_id))], "the issuer id's host"
    parts = urlsplit(assertion_url)
    host = (parts.hostname or "").lower()
    if host not in origins and parts.netloc.lower() not in origins:
        return failed(HOSTED_SCOPE, "origin_not_allowed",
                      f"The assertion is hosted at {parts.netloc}, "
                      f"which {basis} ({', '.join(origins)}) does not allow.", Verdict.INVALID,
                      allowed=origins)
    if starts and not any(assertion_url.startswith(s) for s in starts):
        return failed(HOSTED_SCOPE, "prefix_not_allowed",
                      "The assertion URL does not start with any "
                      "prefix the issuer allows (verification.startsWith).", Verdict.INVALID,
                      startsWith=starts)
    return passed(HOSTED_SCOPE, "in_scope", f"The assertion is hosted where the issuer allows "
                  f"({basis}).", allowed=origins)


def _host_of(value: str) -> str:
    """``example.org`` from ``example.org``, ``https://example.org/x`` or ``Example.org:8443``."""
    text = value.strip().lower()
    if "://" in text:
        return urlsplit(text).netloc
    return text.rstrip("/")
