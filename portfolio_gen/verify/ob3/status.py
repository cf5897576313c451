"""Is the credential revoked or suspended? (the Open Badges verification rules: Bitstring Status
List, 1EdTech Revocation List; security items 9, 10)

Tri-state by design: a status that could not be established (unreachable or
unsupported list, a list whose proof or issuer does not check out) is a warning
that implies *unverifiable* — never "not revoked". A status list is trusted only
when its own proof verifies and its key is bound to the list's issuer (or is the
very key that signed the credential). The list's issuer may differ from the
credential's (Bitstring Status List v1.0 allows it; DCC signs lists with a separate
key): the credential's issuer chose the list URL inside its signed
``credentialStatus``, so the list is accepted and its signer named (§7.10);
``strict`` requires the same issuer.
Suspension is reported with its own code (``suspended``) and, like revocation,
implies ``revoked``: a suspended credential must not be shown as verified.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portfolio_gen.errors import BadInput, FetchError, PortfolioGenError
from portfolio_gen.ingest.jsontext import parse_json_object
from portfolio_gen.ingest.jws import looks_like_jws, parse_compact_jws
from portfolio_gen.net.fetch import DEFAULT_MAX_BYTES, STATUS_LIST_MAX_BYTES, FetchResult
from portfolio_gen.verify import crypto
from portfolio_gen.verify.checks import (
    CONFORMANCE_STATUS_LIST_LENGTH,
    INFORMATIONAL_PURPOSES,
    PROOF_KEY_BINDING,
    PROOF_SIGNATURE,
    STATUS_ENTRIES,
    STATUS_REVOCATION,
    STATUS_SUSPENSION,
    status_check,
)
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.dates import parse_datetime
from portfolio_gen.verify.jsonvalues import as_list, strings
from portfolio_gen.verify.ob3 import jwt, proofs
from portfolio_gen.verify.ob3.keys import ResolvedKey
from portfolio_gen.verify.report import (
    Check,
    CheckStatus,
    Verdict,
    failed,
    nonconformant,
    passed,
    skipped,
    undecided,
)

MIN_ENTRIES = 131_072
MAX_DECOMPRESSED = 16 << 20
MAX_ENTRIES_CHECKED = 8
_BITSTRING = {"BitstringStatusListEntry": ("BitstringStatusListCredential", True),
              "StatusList2021Entry": ("StatusList2021Credential", False)}


class _Undecided(PortfolioGenError):
    """The status cannot be established; the message finishes "could not be checked: …"."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class StatusResult:
    """Status checks plus the documents fetched for them (for ``related``)."""

    checks: list[Check] = field(default_factory=list)
    related: dict[str, Any] = field(default_factory=dict)


def check_status(credential: Mapping[str, Any], issuer_id: str | None,
                 signing_key: ResolvedKey | None, ctx: VerifyContext) -> StatusResult:
    """Check every ``credentialStatus`` entry of a credential."""
    result = StatusResult()
    raw = credential.get("credentialStatus")
    if raw is None:
        result.checks.append(skipped(STATUS_REVOCATION, "no_status",
                                     "The credential has no status entry to check."))
        return result
    entries = raw if isinstance(raw, list) else [raw]
    for entry in entries[:MAX_ENTRIES_CHECKED]:
        result.checks.extend(_check_entry(entry, credential, issuer_id, signing_key, ctx,
                                          result.related))
    if len(entries) > MAX_ENTRIES_CHECKED:
        result.checks.append(_unchecked_entries(entries))
    return result


def _unchecked_entries(entries: list[Any]) -> Check:
    """Entries beyond the cap are reported, never silently passed over (issue #10 hole 5).

    One that could revoke or suspend leaves the status undecided.
    """
    rest = entries[MAX_ENTRIES_CHECKED:]
    could_revoke = any(not isinstance(e, Mapping)
                       or e.get("statusPurpose") not in INFORMATIONAL_PURPOSES for e in rest)
    return undecided(STATUS_ENTRIES, "status_entries_not_checked",
                     f"{len(rest)} of the credential's {len(entries)} credentialStatus entries "
                     f"were not checked (at most {MAX_ENTRIES_CHECKED} are).",
                     Verdict.UNVERIFIABLE if could_revoke else None,
                     not_checked=len(rest), entries=len(entries))


def _check_id(entry: Mapping[str, Any]) -> str:
    purpose = entry.get("statusPurpose")
    return STATUS_SUSPENSION if purpose == "suspension" else STATUS_REVOCATION


def _check_entry(entry: object, credential: Mapping[str, Any], issuer_id: str | None,
                 signing_key: ResolvedKey | None, ctx: VerifyContext,
                 related: dict[str, Any]) -> list[Check]:
    if not isinstance(entry, Mapping):
        return [failed(STATUS_REVOCATION, "status_entry_malformed",
                       "A credentialStatus entry is not a JSON object.")]
    kind = _entry_type(entry)
    check_id = _check_id(entry)
    try:
        if kind in _BITSTRING:
            return _bitstring(entry, str(kind), issuer_id, signing_key, ctx, related)
        if kind == "1EdTechRevocationList":
            return [_revocation_list(entry, credential, ctx, related)]
        raise _Undecided("status_type_unsupported",
                         f"the status type {kind!r} is not supported")
    except _Undecided as exc:
        return [undecided(check_id, exc.code,
                          f"The {_purpose_word(entry)} status could not be checked: "
                          f"{exc.message}.")]


def _entry_type(entry: Mapping[str, Any]) -> str | None:
    """The entry's type; a list of one (JSON-LD single value) is that one."""
    types = strings(entry.get("type"))
    return types[0] if len(types) == 1 else None


def _purpose_word(entry: Mapping[str, Any]) -> str:
    return "suspension" if entry.get("statusPurpose") == "suspension" else "revocation"


# -- Bitstring Status List / StatusList2021 --------------------------------------------------------

def _bitstring(entry: Mapping[str, Any], kind: str, issuer_id: str | None,
               signing_key: ResolvedKey | None, ctx: VerifyContext,
               related: dict[str, Any]) -> list[Check]:
    purpose = entry.get("statusPurpose")
    check_id = _check_id(entry)
    index = _index(entry.get("statusListIndex"))
    if purpose not in ("revocation", "suspension"):
        return [skipped(status_check(purpose), "status_purpose_informational",
                        f"The status purpose {purpose!r} does not affect validity.")]
    if entry.get("statusSize", 1) != 1:
        raise _Undecided("status_size_unsupported", "status entries wider than one bit "
                         "are not supported")
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or index is None:
        return [failed(check_id, "status_entry_malformed",
                       "The status entry lacks a statusListCredential URL or a valid "
                       "statusListIndex.")]
    fetched = _fetch(url, ctx, STATUS_LIST_MAX_BYTES)
    listdoc, signer = _trusted_list(fetched, issuer_id, signing_key, ctx)
    related["status_list"] = listdoc
    related["status_list_url"] = url
    expected_type, multibase = _BITSTRING[kind]
    subjects = as_list(listdoc.get("credentialSubject"))
    subject = subjects[0] if len(subjects) == 1 else None
    types = _types(listdoc.get("type"))
    if expected_type not in types or not isinstance(subject, Mapping):
        raise _Undecided("status_list_wrong_type", f"{url} is not a {expected_type}")
    if subject.get("statusPurpose") != purpose:
        raise _Undecided("status_purpose_mismatch",
                         f"the list at {url} is for {subject.get('statusPurpose')!r}, "
                         f"not {purpose!r}")
    bits = _decode_list(subject.get("encodedList"), multibase)
    entries = len(bits) * 8
    if index >= entries:
        raise _Undecided("status_index_out_of_range",
                         f"index {index} is beyond the {entries} entries of {url}")
    checks = []
    if entries < MIN_ENTRIES:
        checks.append(nonconformant(CONFORMANCE_STATUS_LIST_LENGTH, "status_list_short",
                                    f"The status list has {entries} entries; Bitstring Status "
                                    f"List requires at least {MIN_ENTRIES} (for privacy).",
                                    ctx.options.strict, entries=entries))
    where = {"status_list": url, "index": index, "origin": fetched.origin,
             "fetched_at": fetched.fetched_at.isoformat(), "list_issuer": signer}
    by = f", signed by {signer}" if signer != issuer_id else ""
    bit = (bits[index // 8] >> (7 - index % 8)) & 1
    if bit and purpose == "suspension":
        checks.append(failed(check_id, "suspended", "The credential has been suspended by "
                             "its issuer.", Verdict.REVOKED, **where))
    elif bit:
        checks.append(failed(check_id, "revoked", "The credential has been revoked by its "
                             "issuer.", Verdict.REVOKED, **where))
    else:
        word = "suspended" if purpose == "suspension" else "revoked"
        checks.append(passed(check_id, f"not_{word}",
                             f"The credential has not been {word} (status list {url}, "
                             f"entry {index}{by}).", **where))
    return checks


def _index(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12:
        return int(value)
    return None


def _types(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def _fetch(url: str, ctx: VerifyContext, max_bytes: int) -> FetchResult:
    try:
        result = ctx.fetcher.fetch(url, max_bytes=max_bytes)
    except FetchError as exc:
        raise _Undecided("status_unreachable", f"{url} could not be fetched ({exc.reason})") \
            from None
    if not result.ok:
        raise _Undecided("status_unreachable", f"{url} answered HTTP {result.status}")
    return result


def _trusted_list(fetched: FetchResult, issuer_id: str | None, signing_key: ResolvedKey | None,
                  ctx: VerifyContext) -> tuple[Mapping[str, Any], str]:
    """The status list credential and its issuer, once its proof, issuer and key check out."""
    url = fetched.url
    try:
        if looks_like_jws(fetched.body):
            jws = parse_compact_jws(fetched.body)
            doc = jwt.decode_payload(jws).credential
            outcome = jwt.verify_jwt_proof(jws, _issuer_id(doc), ctx)
            checks, key = outcome.checks, outcome.key
        else:
            doc = parse_json_object(fetched.body, "status list credential")
            result = proofs.verify_proof_set(doc, _issuer_id(doc), ctx)
            checks, key = result.checks, result.key
    except BadInput as exc:
        raise _Undecided("status_list_malformed", f"the list at {url} is unreadable "
                         f"({exc.reason.rstrip('.')})") from None
    list_issuer = _issuer_id(doc)
    if not issuer_id or not list_issuer:
        raise _Undecided("status_list_issuer_missing",
                         f"the list at {url} or the credential names no issuer")
    same_issuer = list_issuer == issuer_id
    if not same_issuer and ctx.options.strict:
        raise _Undecided("status_list_issuer_mismatch",
                         f"the list at {url} is issued by {list_issuer!r}, not by the "
                         "credential's issuer (strict mode requires the same issuer)")
    signature = next((c for c in checks if c.id == PROOF_SIGNATURE), None)
    if signature is None or signature.status is not CheckStatus.PASS or key is None:
        why = signature.message.rstrip(".") if signature else "it has no proof"
        raise _Undecided("status_list_unverified", f"the list at {url} is not proven ({why})")
    binding = next((c for c in checks if c.id == PROOF_KEY_BINDING), None)
    bound = binding is not None and binding.status is CheckStatus.PASS
    if not bound and not same_issuer:
        why = binding.message.rstrip(".") if binding else "no binding was checked"
        raise _Undecided("status_list_key_unbound",
                         f"the list at {url} is issued by {list_issuer!r} but its key "
                         f"{key.method_id} is not bound to that issuer ({why})")
    if not bound and not _same_key(key, signing_key):
        raise _Undecided("status_list_key_unbound",
                         f"the list at {url} is signed by {key.method_id}, a key neither bound "
                         "to the issuer nor the credential's own")
    _check_list_dates(doc, url, ctx)
    if not looks_like_jws(fetched.body):  # a VC-JWT signs its JSON bytes: nothing is dropped
        _check_list_data_loss(doc, checks, url, ctx)
    return doc, list_issuer


def _check_list_dates(doc: Mapping[str, Any], url: str, ctx: VerifyContext) -> None:
    """A list outside its own validity window says nothing about today (issue #10 hole 5)."""
    for names, future in ((("validFrom", "issuanceDate"), True),
                          (("validUntil", "expirationDate"), False)):
        name = next((n for n in names if doc.get(n) is not None), None)
        if name is None:
            continue
        try:
            when = parse_datetime(doc[name])
        except ValueError:
            raise _Undecided("status_list_malformed",
                             f"the list at {url} has an unreadable {name}") from None
        if future and when > ctx.now + ctx.options.clock_skew:
            raise _Undecided("status_list_not_yet_valid",
                             f"the list at {url} is not valid before {doc[name]} ({name})")
        if not future and when < ctx.now - ctx.options.clock_skew:
            raise _Undecided("status_list_expired", f"the list at {url} expired on {doc[name]}")


def _check_list_data_loss(doc: Mapping[str, Any], checks: tuple[Check, ...] | list[Check],
                          url: str, ctx: VerifyContext) -> None:
    """An embedded-proof list must not carry values its canonical form drops (§7.15)."""
    signature = next((c for c in checks if c.id == PROOF_SIGNATURE), None)
    variant = signature.details.get("context_variant") if signature else None
    loss = proofs.check_data_loss(doc, ctx, variant if isinstance(variant, str) else None)
    if loss.status in (CheckStatus.FAIL, CheckStatus.WARN):
        raise _Undecided("status_list_data_loss",
                         f"the list at {url} is not fully covered by its proof "
                         f"({loss.message.rstrip('.')})")


def _same_key(a: ResolvedKey, b: ResolvedKey | None) -> bool:
    if b is None:
        return False
    return crypto.public_jwk(a.key) == crypto.public_jwk(b.key)


def _issuer_id(doc: Mapping[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def _decode_list(encoded: object, multibase: bool) -> bytes:
    """Multibase ``u`` (or bare base64 for StatusList2021), then GZIP with an output cap."""
    if not isinstance(encoded, str) or len(encoded) > 2 * STATUS_LIST_MAX_BYTES:
        raise _Undecided("status_list_malformed", "the encodedList is missing or too large")
    text = encoded
    if multibase:
        if not text.startswith("u"):
            raise _Undecided("status_list_malformed",
                             "the encodedList is not multibase base64url ('u' prefix)")
        text = text[1:]
    try:
        compressed = base64.urlsafe_b64decode(_b64url_pad(text))
    except (binascii.Error, ValueError):
        raise _Undecided("status_list_malformed", "the encodedList is not base64url") from None
    return gunzip_capped(compressed, MAX_DECOMPRESSED)


def _b64url_pad(text: str) -> bytes:
    raw = text.replace("+", "-").replace("/", "_").rstrip("=").encode("ascii", "replace")
    if raw.translate(None, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"):
        raise ValueError("not base64url")
    return raw + b"=" * (-len(raw) % 4)


def gunzip_capped(data: bytes, cap: int) -> bytes:
    """GZIP-decompress incrementally, refusing output beyond ``cap`` bytes (§7.9)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = data
    try:
        while pending:
            out += inflater.decompress(pending, cap + 1 - len(out))
            if len(out) > cap:
                raise _Undecided("status_list_too_large",
                                 f"the status list decompresses to more than {cap} bytes")
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        raise _Undecided("status_list_malformed", "the encodedList is not GZIP data") from None
    if not inflater.eof:
        raise _Undecided("status_list_malformed", "the encodedList GZIP stream is truncated")
    return bytes(out)


# -- 1EdTech Revocation List -----------------------------------------------------------------------

def _revocation_list(entry: Mapping[str, Any], credential: Mapping[str, Any],
                     ctx: VerifyContext, related: dict[str, Any]) -> Check:
    url = entry.get("id")
    if not isinstance(url, str) or not url.startswith("https://"):
        raise _Undecided("status_entry_malformed",
                         "the 1EdTechRevocationList entry has no HTTPS id")
    fetched = _fetch(url, ctx, DEFAULT_MAX_BYTES)
    try:
        doc = parse_json_object(fetched.body, "revocation list")
    except BadInput as exc:
        raise _Undecided("status_list_malformed",
                         f"{url} is unreadable ({exc.reason.rstrip('.')})") from None
    revoked = doc.get("revokedCredential")
    if revoked is None:
        raise _Undecided("status_list_malformed", f"{url} has no revokedCredential list")
    related["revocation_list"] = doc
    related["revocation_list_url"] = url
    where = {"revocation_list": url, "origin": fetched.origin,
             "fetched_at": fetched.fetched_at.isoformat()}
    for item in as_list(revoked):
        if isinstance(item, Mapping) and item.get("id") == credential.get("id") \
                and item.get("revoked", True) is not False:
            reason = item.get("revocationReason")
            extra = f" ({reason})" if isinstance(reason, str) and reason else ""
            return failed(STATUS_REVOCATION, "revoked",
                          f"The credential has been revoked by its issuer{extra}.",
                          Verdict.REVOKED, **where)
    return passed(STATUS_REVOCATION, "not_revoked",
                  f"The credential has not been revoked (revocation list {url}).", **where)


def pin_urls(credential: Mapping[str, Any]) -> list[str]:
    """Status documents ``portfolio-gen pin`` should store for this credential."""
    raw = credential.get("credentialStatus")
    out: list[str] = []
    for entry in raw if isinstance(raw, list) else [raw]:
        if not isinstance(entry, Mapping):
            continue
        kind = _entry_type(entry)
        if kind in _BITSTRING and isinstance(entry.get("statusListCredential"), str):
            out.append(entry["statusListCredential"])
        elif kind == "1EdTechRevocationList" and isinstance(entry.get("id"), str):
            out.append(entry["id"])
    return out
