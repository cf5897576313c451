"""The issuer's RevocationList, for signed *and* hosted assertions (the Open Badges verification
rules: Open Badges 2.0 §SignedBadge; security item 14).

The list's URL is read only from the issuer profile fetched from the issuer's own
id, never from a copy embedded in the badge. Hosted assertions are checked too:
an issuer that lists an assertion there has revoked it, whatever its hosted copy
still says. A list that cannot be read leaves the status undecided, never "not
revoked".
"""

from __future__ import annotations

from collections.abc import Mapping

from portfolio_gen.net.fetch import STATUS_LIST_MAX_BYTES
from portfolio_gen.verify.checks import STATUS_REVOCATION
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob2.documents import Fetched, fetch_json, origin_note
from portfolio_gen.verify.ob2.shapes import is_http_url, node_id
from portfolio_gen.verify.report import Check, Verdict, failed, passed, skipped, undecided


def check_revocation(ctx: VerifyContext, issuer: Fetched | None, ids: list[str]) -> Check:
    """``status.revocation`` against the issuer's RevocationList (spec step 7)."""
    if issuer is None or issuer.result is None:
        return undecided(STATUS_REVOCATION, "no_issuer",
                         "Revocation status could not be checked: the "
                         "issuer profile was not fetched from its own id.")
    url = issuer.doc.get("revocationList")
    if url is None:
        return skipped(STATUS_REVOCATION, "no_revocation_list",
                       "The issuer publishes no revocation "
                       "list.")
    url = node_id(url)
    if url is None or not is_http_url(url):
        return undecided(STATUS_REVOCATION, "bad_revocation_list", "Revocation status could not be "
                         "checked: the issuer's revocationList is not an HTTP URL.")
    fetched, check = fetch_json(ctx, url, STATUS_REVOCATION, "revocation list",
                                max_bytes=STATUS_LIST_MAX_BYTES)
    if fetched is None:
        return undecided(STATUS_REVOCATION, check.code, "Revocation status could not be checked: "
                         + check.message[0].lower() + check.message[1:], **dict(check.details))
    entries = fetched.doc.get("revokedAssertions", [])
    if not isinstance(entries, list):
        return undecided(STATUS_REVOCATION, "bad_revocation_list",
                         f"Revocation status could not be "
                         f"checked: the list at {url} has no revokedAssertions array.", url=url)
    note = origin_note(fetched.result)
    for entry in entries:
        entry_id = entry if isinstance(entry, str) else (
            entry.get("id", entry.get("uid")) if isinstance(entry, Mapping) else None)
        if entry_id in ids:
            reason = entry.get("revocationReason") if isinstance(entry, Mapping) else None
            why = f" Reason given: {reason}" if isinstance(reason, str) and reason else ""
            return failed(STATUS_REVOCATION, "revoked",
                          f"The issuer has revoked this badge{note}.{why}",
                          Verdict.REVOKED, url=url, revocationReason=reason)
    return passed(STATUS_REVOCATION, "not_revoked",
                  f"The issuer's revocation list does not list this "
                  f"badge{note}.", url=url)
