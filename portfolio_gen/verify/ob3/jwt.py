"""VC-JWT proofs (the Open Badges verification rules: Open Badges 3.0 §JSON Web Token Proof
Format; security item 5).

The signature is checked over the signing input exactly as found, with the
algorithm pinned by the key type. The key comes from ``kid`` (a DID URL, or an
HTTPS URL to a controller document, key document, JWK or JWKS) or from an
inline ``jwk`` header; a bare JWK says nothing about who owns it, so it counts
as the issuer's only when the issuer publishes the same key (RFC 7638
thumbprint) or *is* that key (``did:jwk``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from portfolio_gen.errors import BadInput, KeyDecodeError, KeyResolutionError, SignatureError
from portfolio_gen.ingest.jsontext import parse_json_object
from portfolio_gen.ingest.raw import CompactJws
from portfolio_gen.verify import crypto
from portfolio_gen.verify.checks import JWT_CLAIMS, JWT_TIME, PROOF_SIGNATURE
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.dates import format_instant, parse_datetime
from portfolio_gen.verify.jsonvalues import as_list
from portfolio_gen.verify.ob3 import keys
from portfolio_gen.verify.ob3.keys import ResolvedKey
from portfolio_gen.verify.report import Check, Verdict, failed, passed, skipped, undecided

ACCEPTED_ALGS = frozenset({"RS256", "ES256", "ES384", "EdDSA"})
THUMBPRINT_URN = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"


@dataclass(frozen=True)
class JwtPayload:
    """The credential inside a VC-JWT and the JWT claims around it."""

    credential: Mapping[str, Any]
    claims: Mapping[str, Any]
    shape: Literal["credential", "vc-claim"]


@dataclass(frozen=True)
class JwtProof:
    """Outcome of the signature and binding checks of one VC-JWT."""

    checks: tuple[Check, ...]
    key: ResolvedKey | None = None
    documents: Mapping[str, Any] = field(default_factory=dict)


def decode_payload(jws: CompactJws) -> JwtPayload:
    """Both payload shapes: the credential itself (VCDM 2.0) or a ``vc`` claim (VCDM 1.1).

    Raises :class:`BadInput` when the payload is not a JSON object holding a credential.
    """
    claims = parse_json_object(jws.payload, "JWT payload")
    if "vc" in claims:
        if not isinstance(claims["vc"], dict):
            raise BadInput("jwt_vc_claim_malformed", "The JWT 'vc' claim is not a JSON object.")
        return JwtPayload(claims["vc"], claims, "vc-claim")
    if "@context" in claims:
        return JwtPayload(claims, claims, "credential")
    raise BadInput("jwt_not_a_credential", "The JWT payload holds no verifiable credential.")


def verify_jwt_proof(jws: CompactJws, issuer_id: str | None, ctx: VerifyContext) -> JwtProof:
    """``proof.signature`` and ``proof.key_binding`` for a compact VC-JWT."""
    alg = jws.header.get("alg")
    if alg not in ACCEPTED_ALGS:
        return JwtProof((failed(PROOF_SIGNATURE, "alg_not_accepted",
                                f"The JWT algorithm {alg!r} is not accepted (only RS256, ES256, "
                                "ES384 and EdDSA, chosen by the key type).", Verdict.INVALID,
                                alg=str(alg)),))
    docs: dict[str, Any] = {}
    try:
        resolved, bind_jwk = _key_for(jws.header, ctx, docs)
    except KeyResolutionError as exc:
        check = (failed(PROOF_SIGNATURE, exc.code, exc.message)
                 if exc.fatal else undecided(PROOF_SIGNATURE, exc.code, exc.message))
        return JwtProof((check,), None, docs)
    docs.update(resolved.documents)
    where = {"verification_method": resolved.method_id, "key_source": resolved.source,
             "alg": str(alg)}
    try:
        crypto.verify_jws_signature(resolved.key, alg, jws.signing_input, jws.signature)
    except SignatureError as exc:
        return JwtProof((failed(PROOF_SIGNATURE, "signature_invalid",
                                f"The VC-JWT signature does not verify: {exc}.", Verdict.INVALID,
                                **where),),
                        resolved, docs)
    signature = passed(PROOF_SIGNATURE, "signature_valid",
                       f"The VC-JWT signature ({alg}) verifies with the key "
                       f"{resolved.method_id}.", **where)
    if bind_jwk is not None:
        binding, more = keys.check_jwk_binding(bind_jwk, issuer_id, ctx, resolved.method_id)
        docs.update(more)
    else:
        binding = keys.check_binding(resolved, issuer_id)
    return JwtProof((signature, binding), resolved, docs)


def _key_for(header: Mapping[str, Any], ctx: VerifyContext,
             docs: dict[str, Any]) -> tuple[ResolvedKey, Mapping[str, Any] | None]:
    """The key named by ``kid`` or ``jwk``, and the JWK to bind by thumbprint (if any)."""
    kid, jwk = header.get("kid"), header.get("jwk")
    if jwk is not None and not isinstance(jwk, Mapping):
        raise KeyResolutionError("jwk_malformed", "The JWT 'jwk' header is not a JSON object.",
                                 fatal=True)
    resolved: ResolvedKey | None = None
    bind: Mapping[str, Any] | None = None
    if isinstance(kid, str) and kid.startswith("did:"):
        resolved = keys.resolve_method(kid, ctx)
    elif isinstance(kid, str) and kid.startswith("https://"):
        resolved, bind = _resolve_https_kid(kid, ctx, docs)
    elif jwk is None:
        if kid is None:
            raise KeyResolutionError("no_key", "The JWT header names no key (no kid, no jwk).",
                                     fatal=True)
        raise KeyResolutionError("kid_unresolvable",
                                 f"The JWT kid {kid!r} is neither a DID URL nor an HTTPS URL.")
    if jwk is None:
        assert resolved is not None
        return resolved, bind
    header_key = _jwk_key(jwk, "the JWT header")
    thumb = crypto.jwk_thumbprint(crypto.public_jwk(header_key))
    if resolved is not None:
        if crypto.jwk_thumbprint(crypto.public_jwk(resolved.key)) != thumb:
            raise KeyResolutionError("kid_jwk_mismatch",
                                     "The JWT 'jwk' header is not the key its 'kid' names.",
                                     fatal=True)
        return resolved, bind
    return ResolvedKey(header_key, THUMBPRINT_URN + thumb, "jwk-header", jwk=jwk), jwk


def _resolve_https_kid(kid: str, ctx: VerifyContext,
                       docs: dict[str, Any]) -> tuple[ResolvedKey, Mapping[str, Any] | None]:
    base, _, fragment = kid.partition("#")
    doc = keys.fetch_json(base, ctx, what="key document")
    docs[base] = doc
    if "kty" in doc:
        return ResolvedKey(_jwk_key(doc, kid), kid, "jwk-url", jwk=doc), doc
    if isinstance(doc.get("keys"), list):
        found = _select_from_jwks(doc["keys"], kid, fragment)
        return ResolvedKey(_jwk_key(found, kid), kid, "jwks", jwk=found), found
    return keys.resolve_https_document(kid, doc, ctx), None


def _select_from_jwks(items: list[Any], kid: str, fragment: str) -> Mapping[str, Any]:
    candidates = [k for k in items if isinstance(k, Mapping)]
    named = [k for k in candidates if k.get("kid") in (kid, fragment) and k.get("kid")]
    if len(named) == 1:
        return named[0]
    if not fragment and len(candidates) == 1:
        return candidates[0]
    raise KeyResolutionError("key_not_found", f"The JWKS at {kid.partition('#')[0]} has no "
                             f"single key for {kid}.", fatal=True)


def _jwk_key(jwk: Mapping[str, Any], where: str) -> crypto.PublicKey:
    try:
        return crypto.public_key_from_jwk(jwk)
    except KeyDecodeError as exc:
        raise KeyResolutionError("key_malformed", f"The JWK in {where} is unusable: {exc}.",
                                 fatal=True) from None


# -- claims --------------------------------------------------------------------------------------

def check_claims(payload: JwtPayload, ctx: VerifyContext) -> list[Check]:
    """``iss``/``sub``/``jti``/``nbf``/``exp`` agree with the credential; nbf/exp hold now."""
    cred, claims = payload.credential, payload.claims
    problems: list[str] = []
    issuer = cred.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    subjects = as_list(cred.get("credentialSubject"))  # one object or a list of one
    subject = subjects[0] if len(subjects) == 1 else None
    subject_id = subject.get("id") if isinstance(subject, Mapping) else None
    for claim, expected, label in (("iss", issuer_id, "issuer id"),
                                   ("sub", subject_id, "credentialSubject.id"),
                                   ("jti", cred.get("id"), "credential id")):
        if claim == "sub" and expected is None:
            continue  # a subject named only by identifier[] has no id to compare
        if claim in claims and claims[claim] != expected:
            problems.append(f"'{claim}' is {claims[claim]!r} but the {label} is "
                                f"{expected!r}")
    if payload.shape == "vc-claim":
        problems += _date_claim(claims, "nbf", cred, ("validFrom", "issuanceDate"))
        problems += _date_claim(claims, "exp", cred, ("validUntil", "expirationDate"))
    checks = [failed(JWT_CLAIMS, "jwt_claims_mismatch",
                     "The JWT claims contradict the credential: " + "; ".join(problems) + ".")
              if problems else
              passed(JWT_CLAIMS, "jwt_claims_consistent",
                     "The JWT claims agree with the credential.")]
    checks.append(_check_time(claims, ctx))
    return checks


def _date_claim(claims: Mapping[str, Any], claim: str, cred: Mapping[str, Any],
                names: tuple[str, ...]) -> list[str]:
    if claim not in claims:
        return []
    value = claims[claim]
    if not isinstance(value, int | float) or isinstance(value, bool):
        return [f"'{claim}' is not a NumericDate"]
    for name in names:
        if name in cred:
            try:
                stated = parse_datetime(cred[name])
            except ValueError:
                return [f"{name} is not a date-time"]
            if int(stated.timestamp()) != int(value):
                return [f"'{claim}' ({_instant(value)}) differs from {name} "
                        f"({format_instant(stated)})"]
            return []
    return []


def _instant(value: float) -> str:
    return format_instant(datetime.fromtimestamp(value, UTC))


def _check_time(claims: Mapping[str, Any], ctx: VerifyContext) -> Check:
    skew = ctx.options.clock_skew.total_seconds()
    now = ctx.now.timestamp()
    nbf, exp = claims.get("nbf"), claims.get("exp")
    numeric = (int, float)
    if nbf is not None and (not isinstance(nbf, numeric) or isinstance(nbf, bool)):
        return failed(JWT_TIME, "jwt_nbf_malformed", "The JWT 'nbf' claim is not a number.")
    if exp is not None and (not isinstance(exp, numeric) or isinstance(exp, bool)):
        return failed(JWT_TIME, "jwt_exp_malformed", "The JWT 'exp' claim is not a number.")
    iat = claims.get("iat")
    if isinstance(iat, numeric) and not isinstance(iat, bool) and iat > now + skew:
        return failed(JWT_TIME, "jwt_issued_in_future",
                      f"The JWT says it was issued on {_instant(iat)} (iat), after the "
                      "verification time.", Verdict.NOT_YET_VALID)
    if isinstance(nbf, numeric) and nbf > now + skew:
        return failed(JWT_TIME, "jwt_not_yet_valid",
                      f"The JWT is not valid before {_instant(nbf)} (nbf).",
                      Verdict.NOT_YET_VALID)
    if isinstance(exp, numeric) and exp < now - skew:
        return failed(JWT_TIME, "jwt_expired", f"The JWT expired on {_instant(exp)} (exp).",
                      Verdict.EXPIRED)
    if nbf is None and exp is None:
        return skipped(JWT_TIME, "no_jwt_times", "The JWT has no nbf or exp claim.")
    return passed(JWT_TIME, "jwt_time_ok", "The JWT's nbf/exp window includes the "
                  "verification time.")
