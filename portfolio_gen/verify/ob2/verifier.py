"""Open Badges 2.0 (and 1.x hosted) verification in spec order (the Open Badges verification
rules: Open Badges 2.0 §Verification).

Steps: parse → (hosted: fetch the trusted copy, revoked?, local copy) → validate
Assertion → BadgeClass → Issuer (always fetched from its own id, §7.14) →
(hosted: scope | signed: key, signature, binding) → the issuer's revocation list
→ dates → recipient. A step that makes the rest meaningless stops the run; the
remaining steps are listed as skipped so every report has the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from portfolio_gen.ingest.raw import Kind, RawCredential
from portfolio_gen.verify.checks import (
    ASSERTION_VALID,
    BADGE_FETCH,
    BADGE_VALID,
    CONFORMANCE_CONTEXT,
    FORMAT_PARSE,
    HOSTED_FETCH,
    HOSTED_REVOKED,
    HOSTED_SCOPE,
    ISSUER_FETCH,
    ISSUER_VALID,
    NODE_CONFORMANCE,
    NODE_FETCH,
    NODE_VALID,
    PROOF_KEY,
    PROOF_KEY_BINDING,
    PROOF_SIGNATURE,
    RECIPIENT_IDENTIFIER,
    STATUS_REVOCATION,
    VALIDITY_EXPIRATION,
    VALIDITY_NOT_BEFORE,
)
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.dates import check_validity_window
from portfolio_gen.verify.ob2 import hosted, revocation, signed
from portfolio_gen.verify.ob2.documents import (
    Fetched,
    fetch_json,
    identity_of,
    parse_json_object,
)
from portfolio_gen.verify.ob2.shapes import (
    assertion_departures,
    assertion_id,
    assertion_problems,
    badge_departures,
    badge_problems,
    is_http_url,
    issuer_departures,
    issuer_problems,
    node_id,
    parse_issued_on,
    spec_version,
    verification_object,
    verification_type,
)
from portfolio_gen.verify.recipient import check_recipient
from portfolio_gen.verify.report import (
    Check,
    CheckStatus,
    IssuerRef,
    Verdict,
    VerificationReport,
    failed,
    nonconformant,
    passed,
    skipped,
    undecided,
)

_COMMON_TAIL = (ASSERTION_VALID, BADGE_FETCH, BADGE_VALID, ISSUER_FETCH, ISSUER_VALID)
_HOSTED_IDS = (HOSTED_FETCH, HOSTED_REVOKED, *_COMMON_TAIL, HOSTED_SCOPE,
               STATUS_REVOCATION)
_SIGNED_IDS = (*_COMMON_TAIL, PROOF_KEY, PROOF_SIGNATURE, PROOF_KEY_BINDING,
               STATUS_REVOCATION)
_FINAL_IDS = (VALIDITY_NOT_BEFORE, VALIDITY_EXPIRATION, RECIPIENT_IDENTIFIER)


@dataclass
class _Run:
    raw: RawCredential
    ctx: VerifyContext
    checks: list[Check] = field(default_factory=list)
    mode: str = "hosted"
    version: str = "2.0"
    assertion: Mapping[str, Any] | None = None
    badge: Fetched | None = None
    issuer: Fetched | None = None
    key: signed.SigningKey | None = None

    def add(self, check: Check) -> bool:
        """Record ``check``; True when the run may go on."""
        self.checks.append(check)
        return check.status is not CheckStatus.FAIL or check.implies is None


def verify_ob2(raw: RawCredential, ctx: VerifyContext) -> VerificationReport:
    """Verify one OB 2.0 assertion (embedded JSON, compact JWS, or hosted URL)."""
    run = _Run(raw, ctx)
    _execute(run)
    expected = _HOSTED_IDS if run.mode == "hosted" else _SIGNED_IDS
    done = {c.id for c in run.checks}
    for check_id in (*expected, *_FINAL_IDS):
        if check_id not in done:
            run.checks.append(skipped(check_id, "not_reached",
                                      "Not checked: an earlier step decided the outcome."))
    from portfolio_gen.verify.ob2 import endorsements  # endorsements of what was verified

    return endorsements.attach(_report(run), run.ctx, run.badge, run.issuer)


def _execute(run: _Run) -> None:
    local = _parse(run)
    if local is None and run.mode != "url":
        return
    if run.mode in ("hosted", "url"):
        url = _hosted_url(run, local)
        run.mode = "hosted"
        if url is None:
            return
        checks, trusted = hosted.fetch_hosted(run.ctx, url, local)
        for check in checks:
            run.add(check)
        if trusted is None:
            return
        run.assertion = trusted.doc
    else:
        run.assertion = local
    assert run.assertion is not None
    if not _validate_assertion(run, run.assertion) or not _load_badge_and_issuer(run):
        return
    if run.mode == "hosted":
        url = assertion_id(run.assertion) if run.version == "2.0" else _hosted_url(run, local)
        run.add(hosted.check_scope(str(url), run.issuer))
        run.add(revocation.check_revocation(run.ctx, run.issuer, _ids(run.assertion)))
    elif not _signed_steps(run):
        return
    _dates_and_recipient(run, run.assertion)


def _parse(run: _Run) -> Mapping[str, Any] | None:
    """``format.parse``: the local assertion, and whether it is hosted or signed."""
    raw = run.raw
    if raw.kind is Kind.OB2_HOSTED_URL:
        run.mode = "url"
        if raw.url is None or not is_http_url(raw.url):
            run.add(failed(FORMAT_PARSE, "bad_url", "The badge names no HTTP(S) URL for its "
                           "hosted assertion."))
            return None
        run.add(passed(FORMAT_PARSE, "hosted_url", "The badge file gives the URL of a hosted "
                       "assertion."))
        return None
    if raw.kind is Kind.OB2_SIGNED:
        run.mode = "signed"
        if raw.jws is None:
            run.add(failed(FORMAT_PARSE, "no_jws", "The signed badge holds no compact JWS."))
            return None
        data, what = raw.jws.payload, "The JWS payload"
    else:
        data, what = raw.payload, "The badge"
    try:
        doc = parse_json_object(data) if data else dict(raw.document or {})
    except ValueError as exc:
        run.add(failed(FORMAT_PARSE, "not_json", f"{what} cannot be read: {exc}."))
        return None
    if not doc:
        run.add(failed(FORMAT_PARSE, "empty", f"{what} is empty."))
        return None
    if run.mode != "signed":
        kind = verification_type(doc)
        if kind == "signed":
            run.add(failed(FORMAT_PARSE, "signature_missing", "The assertion says it is signed, "
                           "but the file holds only its JSON, not the signature."))
            return None
    run.add(passed(FORMAT_PARSE, "parsed", f"{what} is a JSON object."))
    return doc


def _hosted_url(run: _Run, local: Mapping[str, Any] | None) -> str | None:
    """The assertion id (2.0) or ``verify.url`` (1.x); the local copy is only trusted for this."""
    if local is None:
        return run.raw.url
    verify = verification_object(local) or {}
    candidates = [assertion_id(local), node_id(verify.get("url"))]
    if spec_version(local) == "1.x":
        candidates.reverse()
    for url in candidates:
        if is_http_url(url):
            return url
    if not run.checks or run.checks[-1].id != HOSTED_FETCH:
        run.add(failed(HOSTED_FETCH, "no_hosted_url", "A hosted assertion needs an HTTP(S) id "
                       "to fetch it from, and this one has none."))
    return None


def _validate_assertion(run: _Run, doc: Mapping[str, Any]) -> bool:
    strict = run.ctx.options.strict
    version = spec_version(doc)
    if version is None:  # read as 2.0: the hosted copy or the signature still decides
        if not run.add(nonconformant(CONFORMANCE_CONTEXT, "context_not_ob2",
                                     f"The assertion's @context {doc.get('@context')!r} is not "
                                     "the Open Badges 2.0 (or 1.x) context the specification "
                                     "requires.", strict)):
            return False
        version = "2.0"
    run.version = version
    problems = assertion_problems(doc, version)
    if problems:
        return run.add(failed(ASSERTION_VALID, "bad_assertion", "The assertion is not a valid "
                              f"Open Badges {version} assertion: {'; '.join(problems)}."))
    if not run.add(passed(ASSERTION_VALID, "valid", f"The assertion can be verified as an "
                          f"Open Badges {version} assertion.")):
        return False
    return _departures(run, "assertion", "assertion", assertion_departures(doc, version))


def _departures(run: _Run, prefix: str, what: str, problems: list[str]) -> bool:
    """``conformance.<prefix>``: data-model rules the node breaks (a warning by default)."""
    if not problems:
        return True
    return run.add(nonconformant(NODE_CONFORMANCE[prefix], f"{prefix}_nonconformant",
                                 f"The {what} departs from Open Badges {run.version}: "
                                 f"{'; '.join(problems)}.", run.ctx.options.strict,
                                 problems=problems))


def _load_badge_and_issuer(run: _Run) -> bool:
    assert run.assertion is not None
    run.badge = _node(run, run.assertion.get("badge"), "badge", "BadgeClass", badge_problems)
    if run.badge is None or not _departures(run, "badge", "BadgeClass",
                                            badge_departures(run.badge.doc, run.version)):
        return False
    run.issuer = _issuer(run, run.badge.doc.get("issuer"))
    return run.issuer is not None and _departures(
        run, "issuer", "issuer profile", issuer_departures(run.issuer.doc, run.version))


def _issuer(run: _Run, value: object) -> Fetched | None:
    """``issuer.fetch``/``issuer.valid``: the profile fetched from the issuer's own id.

    Whoever made the badge file wrote any issuer copy embedded in it, ``publicKey``,
    ``verification`` policy and ``revocationList`` included; such a copy only tells us
    the URL to fetch (the Open Badges verification rules: security item 14). No HTTP(S) id, or no
    copy from that URL (live or pinned), and the badge cannot be verified.
    """
    url = node_id(value)
    embedded = isinstance(value, Mapping)
    if url is None or not is_http_url(url):
        what = "the issuer copy embedded in the badge has" if embedded else "the badge gives"
        run.add(undecided(ISSUER_FETCH, "issuer_not_http", f"The issuer cannot be checked: "
                          f"{what} the id {url!r}, which is not an HTTP(S) URL, so the issuer's "
                          "profile, keys and revocation list cannot be obtained from the issuer "
                          "itself.", id=url))
        return None
    node, check = fetch_json(run.ctx, url, ISSUER_FETCH, "issuer profile")
    if node is not None and embedded:
        check = replace(check, message=check.message.removesuffix(".") + "; the copy embedded "
                        "in the badge was used only for this URL.")
    run.add(check)
    if node is None:
        return None
    problems = issuer_problems(node.doc, run.version)
    if problems:
        run.add(failed(ISSUER_VALID, "bad_issuer", "The issuer profile is not valid: "
                       f"{'; '.join(problems)}."))
        return None
    identity = identity_of(node)
    claimed = node.doc.get("id")
    if identity is None and not is_http_url(claimed):
        run.add(undecided(ISSUER_VALID, "issuer_not_http", f"The issuer profile fetched from "
                          f"{url} names itself {claimed!r}, which is not an HTTP(S) URL, so the "
                          "issuer cannot be tied to the web address that serves it.", id=claimed))
        return None
    if identity is None:
        run.add(failed(ISSUER_VALID, "id_mismatch", f"The issuer profile fetched from {url} "
                       f"names itself {node.doc.get('id')!r}, a URL it was not served from, so "
                       "it cannot speak for that issuer.", id=node.doc.get("id")))
        return None
    name = node.doc.get("name")
    moved = f" (it names itself {claimed})" if claimed not in (None, identity.id) else ""
    run.add(passed(ISSUER_VALID, "valid", f"The issuer profile {name!r} can be used"
                   f"{moved}.", id=identity.id))
    return node


def _node(run: _Run, value: object, prefix: str, what: str,
          problems_of: Callable[[Mapping[str, Any], str], list[str]]) -> Fetched | None:
    """Fetch (or take the embedded) node and validate it as ``<prefix>.fetch``/``.valid``."""
    node: Fetched | None
    if isinstance(value, Mapping):
        node = Fetched(None, value)
        run.add(skipped(NODE_FETCH[prefix], "embedded", f"The {what} is embedded."))
    elif isinstance(value, str) and is_http_url(value):
        node, check = fetch_json(run.ctx, value, NODE_FETCH[prefix], what)
        run.add(check)
    else:
        run.add(failed(NODE_FETCH[prefix], "bad_reference", f"The {what} is neither an HTTP(S) "
                       "URL nor an embedded object."))
        return None
    if node is None:
        return None
    problems = problems_of(node.doc, run.version)
    if problems:
        run.add(failed(NODE_VALID[prefix], f"bad_{prefix}", f"The {what} is not valid: "
                       f"{'; '.join(problems)}."))
        return None
    name = node.doc.get("name")
    moved = ""
    if node.url is not None and node.doc.get("id") not in (None, node.url):
        moved = f" (it names itself {node.doc.get('id')})"
    run.add(passed(NODE_VALID[prefix], "valid", f"The {what} {name!r} can be used{moved}.",
                   id=node.doc.get("id")))
    return node


def _signed_steps(run: _Run) -> bool:
    assert run.assertion is not None and run.raw.jws is not None
    urls = signed.key_urls(verification_object(run.assertion), run.issuer)
    if not urls and run.version == "1.x":
        run.add(failed(PROOF_KEY, "ob1_signed_unsupported", "Open Badges 1.x signed "
                       "assertions (key at verify.url) are not supported.", Verdict.UNSUPPORTED))
        return False
    if not urls:
        run.add(failed(PROOF_KEY, "no_key", "The signed assertion names no key "
                       "(verification.creator) and its issuer publishes none."))
        return False
    last: Check | None = None
    for url in urls:
        key, check = signed.load_key(run.ctx, url, run.issuer)
        if key is None:
            last = check
            continue
        signature = signed.check_signature(run.raw.jws, key)
        if signature.status is CheckStatus.PASS or len(urls) == 1:
            run.key = key
            run.add(check)
            if not run.add(signature):
                return False
            break
        last = signature
    else:
        assert last is not None
        run.add(last)
        return False
    assert run.key is not None
    ok = run.add(signed.check_binding(run.key, run.issuer))
    run.add(revocation.check_revocation(run.ctx, run.issuer, _ids(run.assertion)))
    return ok


def _ids(assertion: Mapping[str, Any]) -> list[str]:
    """The ids a revocation list may name this assertion by (``id``, legacy ``uid``)."""
    return [i for i in (assertion.get("id"), assertion.get("uid")) if isinstance(i, str)]


def _dates_and_recipient(run: _Run, doc: Mapping[str, Any]) -> None:
    issued = _date(doc.get("issuedOn"), run.version)
    expires = _date(doc.get("expires"), run.version)
    for check in check_validity_window(issued=issued, not_before=None, not_after=expires,
                                       now=run.ctx.now, skew=run.ctx.options.clock_skew):
        run.add(check)
    recipient = doc.get("recipient")
    claims = [recipient] if isinstance(recipient, Mapping) else []
    run.add(check_recipient(claims, run.ctx.options))


def _date(value: object, version: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_issued_on(value, version)
    except ValueError:  # pragma: no cover - assertion.valid already refused it
        return None


def _issuer_id(issuer: Fetched | None) -> str | None:
    identity = identity_of(issuer) if issuer is not None else None
    return identity.id if identity is not None else None


def _report(run: _Run) -> VerificationReport:
    doc = run.assertion
    badge = run.badge.doc if run.badge is not None else None
    issuer = run.issuer.doc if run.issuer is not None else None
    related: dict[str, Any] = {}
    if badge is not None:
        related["badge"] = dict(badge)
    if issuer is not None:
        related["issuer"] = dict(issuer)
    if run.key is not None:
        related["key"] = dict(run.key.source.doc)
    issuer_name = issuer.get("name") if issuer is not None else None
    badge_name = badge.get("name") if badge is not None else None
    return VerificationReport(
        source=run.raw.source, format=run.raw.container.value, spec_version=run.version,
        checked_at=run.ctx.now, checks=tuple(run.checks),
        credential_id=assertion_id(doc) if doc is not None else run.raw.url,
        issuer=IssuerRef(_issuer_id(run.issuer),
                         issuer_name if isinstance(issuer_name, str) else None),
        achievement_name=badge_name if isinstance(badge_name, str) else None,
        document=dict(doc) if doc is not None else None, related=related,
        key_id=run.key.url if run.key is not None else None, family="ob2")
