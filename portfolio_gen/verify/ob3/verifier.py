"""Verify one OB 3.0 / CLR 2.0 credential in the order of Open Badges 3.0
§Verification (the Open Badges verification rules).

Conformance, proof (embedded Data Integrity or VC-JWT) with key binding,
refresh (not done: offline-first), status, dates, recipient, then endorsements
and CLR member credentials, each verified as a credential of its own and
reported in ``nested``. When the proof fails, later checks are listed as
skipped: dates and status read from a tampered document mean nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portfolio_gen.errors import BadInput
from portfolio_gen.ingest.jsontext import parse_json_object
from portfolio_gen.ingest.jws import looks_like_jws, parse_compact_jws
from portfolio_gen.ingest.raw import Container, Kind, RawCredential
from portfolio_gen.net.fetch import STATUS_LIST_MAX_BYTES, Fetcher, FetchError
from portfolio_gen.verify import dates, recipient
from portfolio_gen.verify.checks import (
    AFTER_PROOF,
    CLR_MEMBERS,
    ENDORSEMENTS,
    FORMAT_PARSE,
    PROOF_SIGNATURE,
    REFRESH,
    VALIDITY_NOT_BEFORE,
    VALIDITY_PROOF_CREATED,
    VALIDITY_PROOF_EXPIRES,
)
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.jsonvalues import as_list
from portfolio_gen.verify.ob3 import conformance, jwt, keys, proofs, schema, status
from portfolio_gen.verify.ob3.keys import ResolvedKey
from portfolio_gen.verify.report import (
    Check,
    CheckStatus,
    IssuerRef,
    Verdict,
    VerificationReport,
    failed,
    passed,
    skipped,
    undecided,
)

MAX_DEPTH = 2          # CLR → member credential → its endorsements
MAX_NESTED = 64        # nested credentials verified per top-level credential


@dataclass
class _Budget:
    left: int = MAX_NESTED


@dataclass
class _Proof:
    checks: list[Check] = field(default_factory=list)
    key: ResolvedKey | None = None
    documents: dict[str, Any] = field(default_factory=dict)


def verify_ob3(raw: RawCredential, ctx: VerifyContext) -> VerificationReport:
    """Verify an OB 3.0 / CLR 2.0 / endorsement credential (JSON with proofs, or VC-JWT)."""
    return _verify(raw, ctx, 0, _Budget())


def _verify(raw: RawCredential, ctx: VerifyContext, depth: int,
            budget: _Budget) -> VerificationReport:
    try:
        credential, jws_payload = _credential(raw)
    except BadInput as exc:
        return _parse_failure(raw, ctx, exc)
    shape = conformance.shape_of(credential)
    issuer_id, issuer_name = conformance.issuer_of(credential)
    checks = conformance.check_conformance(credential, ctx.options.strict)
    checks += schema.check_schema(credential, ctx.schemas, ctx.options.strict)
    proof = _prove(raw, credential, jws_payload, issuer_id, ctx)
    checks += proof.checks
    related: dict[str, Any] = {}
    if proof.documents:
        related["controller_document"] = next(iter(proof.documents.values()))
        related["key_documents"] = dict(proof.documents)
    nested: list[VerificationReport] = []
    if _proof_failed(checks):
        checks.append(skipped(AFTER_PROOF, "after_fatal", "Status, dates, recipient and "
                              "endorsements were not checked because the proof failed."))
    else:
        checks += _refresh(credential)
        outcome = status.check_status(credential, issuer_id, proof.key, ctx)
        checks += outcome.checks
        related.update(outcome.related)
        checks += _dates(credential, shape, ctx)
        checks += _proof_created(credential, ctx)
        if shape.family != "endorsement":
            checks.append(_recipient(credential, ctx))
        checks += _nested(raw, credential, shape, ctx, depth, budget, nested)
    return VerificationReport(
        source=raw.source, format=raw.container.value, spec_version=shape.spec_version,
        checked_at=ctx.now, checks=tuple(checks),
        credential_id=credential.get("id") if isinstance(credential.get("id"), str) else None,
        issuer=IssuerRef(issuer_id, issuer_name), achievement_name=_achievement_name(credential),
        document=credential, related=related, nested=tuple(nested),
        key_id=proof.key.method_id if proof.key else None, family=shape.report_family)


def _credential(raw: RawCredential) -> tuple[Mapping[str, Any], jwt.JwtPayload | None]:
    if raw.kind is Kind.OB3_JWT:
        jws = raw.jws if raw.jws is not None else parse_compact_jws(raw.payload)
        payload = jwt.decode_payload(jws)
        return payload.credential, payload
    if raw.document is not None:
        return raw.document, None
    return parse_json_object(raw.payload, "credential"), None


def _prove(raw: RawCredential, credential: Mapping[str, Any], payload: jwt.JwtPayload | None,
           issuer_id: str | None, ctx: VerifyContext) -> _Proof:
    if payload is not None:
        jws = raw.jws if raw.jws is not None else parse_compact_jws(raw.payload)
        outcome = jwt.verify_jwt_proof(jws, issuer_id, ctx)
        checks = list(outcome.checks)
        if len(checks) == 1:
            checks.append(proofs.binding_skipped())
        checks += jwt.check_claims(payload, ctx)
        return _Proof(checks, outcome.key, dict(outcome.documents))
    result = proofs.verify_proof_set(credential, issuer_id, ctx)
    variant = result.checks[0].details.get("context_variant") if result.checks else None
    loss = proofs.check_data_loss(credential, ctx, variant if isinstance(variant, str) else None)
    checks = [loss, *result.checks]
    if len(result.checks) == 1:
        checks.append(proofs.binding_skipped())
    return _Proof(checks, result.key, dict(result.documents))


def _proof_failed(checks: list[Check]) -> bool:
    return any(c.id == PROOF_SIGNATURE and c.status is CheckStatus.FAIL
               and c.implies is Verdict.INVALID for c in checks)


def _refresh(credential: Mapping[str, Any]) -> list[Check]:
    if "refreshService" not in credential:
        return []
    return [skipped(REFRESH, "not_refreshed", "The credential offers a refresh service; "
                    "it was not used (the original credential is verified).")]


def _dates(credential: Mapping[str, Any], shape: conformance.Shape,
           ctx: VerifyContext) -> list[Check]:
    """§2.8: validFrom/validUntil (VCDM 2.0) or issuanceDate/expirationDate (1.1), with skew."""
    start_name, end_name = (("validFrom", "validUntil") if shape.vcdm == "2.0"
                            else ("issuanceDate", "expirationDate"))
    try:
        start = dates.parse_datetime(credential[start_name]) if start_name in credential else None
        end = dates.parse_datetime(credential[end_name]) if end_name in credential else None
    except ValueError as exc:
        # a date that cannot be read cannot be judged: the credential is not shown as current
        return [failed(VALIDITY_NOT_BEFORE, "date_malformed",
                       f"A validity date is not a valid date-time: {exc}.")]
    return dates.check_validity_window(issued=None, not_before=start, not_after=end,
                                       now=ctx.now, skew=ctx.options.clock_skew,
                                       not_before_label=start_name, not_after_label=end_name)


def _proof_created(credential: Mapping[str, Any], ctx: VerifyContext) -> list[Check]:
    """A proof dated after the verification time (so also one dated after ``validUntil``
    of a credential still valid now) was not made when it says: not valid yet. A proof
    past its own ``expires`` (vc-data-integrity) no longer vouches for anything."""
    raw = credential.get("proof")
    for proof in raw if isinstance(raw, list) else [raw]:
        if not isinstance(proof, Mapping):
            continue
        created, expires = _instant(proof.get("created")), _instant(proof.get("expires"))
        if created is not None and created > ctx.now + ctx.options.clock_skew:
            return [failed(VALIDITY_PROOF_CREATED, "proof_created_in_future",
                           f"The proof says it was created on {proof['created']}, after the "
                           "verification time.", Verdict.NOT_YET_VALID,
                           created=proof["created"])]
        if expires is not None and expires < ctx.now - ctx.options.clock_skew:
            return [failed(VALIDITY_PROOF_EXPIRES, "proof_expired",
                           f"The proof expired on {proof['expires']}.", Verdict.EXPIRED,
                           expires=proof["expires"])]
    return []


def _instant(value: object) -> datetime | None:
    try:
        return dates.parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None  # proof.signature already judged a malformed created


def _recipient(credential: Mapping[str, Any], ctx: VerifyContext) -> Check:
    """§2.2 step 5: credentialSubject.id and identifier[] against the learner's identities."""
    claims: list[recipient.IdentityClaim | Mapping[str, Any]] = []
    for subject in conformance.subjects_of(credential)[:1]:
        if isinstance(subject.get("id"), str):
            claims.append(recipient.IdentityClaim(subject["id"], "id"))
        for item in as_list(subject.get("identifier")):  # one object = a list of one
            claims.append(item if isinstance(item, Mapping) else {})
    return recipient.check_recipient(claims, ctx.options)


def _achievement_name(credential: Mapping[str, Any]) -> str | None:
    subjects = conformance.subjects_of(credential)
    achievement = next((a for a in as_list(subjects[0].get("achievement"))
                        if isinstance(a, Mapping)), None) if subjects else None
    name = achievement.get("name") if isinstance(achievement, Mapping) else None
    if not isinstance(name, str):
        name = credential.get("name")
    return name if isinstance(name, str) else None


# -- endorsements and CLR members ----------------------------------------------------------------

def nested_items(credential: Mapping[str, Any],
                 family: str | None) -> Iterator[tuple[str, object]]:
    """``(label, item)`` for every endorsement and CLR member: dicts or compact JWT strings."""
    subjects = conformance.subjects_of(credential)
    subject = subjects[0] if subjects else None
    holders: list[tuple[str, object]] = [("", credential), ("issuer.", credential.get("issuer"))]
    if subject is not None:
        achievements = [a for a in as_list(subject.get("achievement")) if isinstance(a, Mapping)]
        if achievements:
            holders.append(("credentialSubject.achievement.", achievements[0]))
    for prefix, holder in holders:
        if not isinstance(holder, Mapping):
            continue
        for name in ("endorsement", "endorsementJwt"):
            for i, item in enumerate(as_list(holder.get(name))):
                yield f"{prefix}{name}[{i}]", item
    if family == "clr" and subject is not None:
        for i, item in enumerate(as_list(subject.get("verifiableCredential"))):
            yield f"credentialSubject.verifiableCredential[{i}]", item


def _nested(raw: RawCredential, credential: Mapping[str, Any], shape: conformance.Shape,
            ctx: VerifyContext, depth: int, budget: _Budget,
            out: list[VerificationReport]) -> list[Check]:
    from portfolio_gen.verify.ob3.endorsement_claims import check_claim

    items = list(nested_items(credential, shape.family))
    if not items:
        return []
    skipped_count = 0
    for label, item in items:
        if depth >= MAX_DEPTH or budget.left <= 0:
            skipped_count += 1
            continue
        budget.left -= 1
        report = _verify(_nested_raw(raw, label, item), ctx, depth + 1, budget)
        out.append(check_claim(credential, label, report))  # about what it sits on?
    return [_nested_summary(shape, out, skipped_count)]


def _nested_raw(raw: RawCredential, label: str, item: object) -> RawCredential:
    source = f"{raw.source}#{label}"
    if isinstance(item, str):  # endorsementJwt or a JWT member: parsed (and checked) later
        return RawCredential(source, raw.container, Kind.OB3_JWT, item.encode("utf-8", "replace"))
    document = item if isinstance(item, dict) else {}
    return RawCredential(source, raw.container, Kind.OB3_CREDENTIAL, b"", document=document)


def _nested_summary(shape: conformance.Shape, reports: list[VerificationReport],
                    skipped_count: int) -> Check:
    check_id = CLR_MEMBERS if shape.family == "clr" else ENDORSEMENTS
    what = "nested credentials" if shape.family == "clr" else "endorsements"
    good = sum(1 for r in reports if r.verdict is Verdict.VERIFIED)
    details = {"verified": good, "checked": len(reports), "not_checked": skipped_count}
    if skipped_count:
        return undecided(check_id, "nested_not_checked",
                         f"{skipped_count} {what} were not checked (nesting limit); "
                         f"{good} of {len(reports)} checked are verified.", None, **details)
    if good == len(reports):
        return passed(check_id, "nested_verified", f"All {good} {what} are verified.",
                      **details)
    return undecided(check_id, "nested_not_all_verified",
                     f"{good} of {len(reports)} {what} are verified; see each one's report.",
                     None, **details)


def _parse_failure(raw: RawCredential, ctx: VerifyContext, exc: BadInput) -> VerificationReport:
    implies = Verdict.UNSUPPORTED if exc.unsupported else Verdict.INVALID
    check = failed(FORMAT_PARSE, exc.code, exc.reason, implies)
    return VerificationReport(source=raw.source, format=raw.container.value,
                              spec_version="3.0", checked_at=ctx.now, checks=(check,))


# -- pinning -------------------------------------------------------------------------------------

def collect_pin_urls(raw: RawCredential, fetcher: Fetcher | None = None) -> list[str]:
    """Documents verification would fetch: did:web and HTTPS key documents, status lists.

    With a ``fetcher``, each status list is fetched too and the key documents of its own
    proof are added: a list signed by another issuer than the credential's needs them.
    """
    urls: list[str] = []
    _collect(raw, urls, 0)
    if fetcher is not None:
        for url in list(urls):
            if url in _status_urls(raw):
                urls += _status_list_key_urls(url, fetcher)
    return list(dict.fromkeys(urls))


def _status_urls(raw: RawCredential) -> list[str]:
    try:
        credential, _ = _credential(raw)
    except BadInput:
        return []
    return status.pin_urls(credential)


def _status_list_key_urls(url: str, fetcher: Fetcher) -> list[str]:
    try:
        fetched = fetcher.fetch(url, max_bytes=STATUS_LIST_MAX_BYTES)
    except FetchError:
        return []
    if not fetched.ok:
        return []
    body = fetched.body.strip()
    if looks_like_jws(body):
        listed = RawCredential(url, Container.JWS, Kind.OB3_JWT, body)
    else:
        try:
            doc = parse_json_object(body, "status list credential")
        except BadInput:
            return []
        listed = RawCredential(url, Container.JSON, Kind.OB3_CREDENTIAL, body, document=doc)
    out: list[str] = []
    _collect(listed, out, MAX_DEPTH)
    return out


def _collect(raw: RawCredential, urls: list[str], depth: int) -> None:
    try:
        credential, payload = _credential(raw)
    except BadInput:
        return
    issuer_id, _ = conformance.issuer_of(credential)
    if payload is not None:
        jws = raw.jws if raw.jws is not None else parse_compact_jws(raw.payload)
        kid = jws.header.get("kid")
        urls += keys.pin_urls_for_method(kid)
        if "jwk" in jws.header and not isinstance(kid, str):
            urls += keys.pin_urls_for_method(issuer_id)
    else:
        for proof in as_list(credential.get("proof")):
            if isinstance(proof, Mapping):
                urls += keys.pin_urls_for_method(proof.get("verificationMethod"))
    urls += status.pin_urls(credential)
    if depth < MAX_DEPTH:
        family = conformance.shape_of(credential).family
        for label, item in nested_items(credential, family):
            _collect(_nested_raw(raw, label, item), urls, depth + 1)
