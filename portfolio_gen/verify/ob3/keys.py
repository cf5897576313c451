"""Find the public key a proof names, and whether the issuer stands behind it.

Resolution (Controlled Identifiers §Multikey and §JsonWebKey; the did:key, did:jwk and
did:web methods) and binding (the Open Badges verification rules: VC Data Integrity
§Verify Proof, security item 4) are kept
apart on purpose: a key may be good enough to check a signature with while
nothing ties it to the issuer. Such keys (a Multikey in a URL fragment, a key
whose controller document cannot be fetched) come back with a
``binding_problem`` so the report shows "signature proven, binding not".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from portfolio_gen.encoding import b64url_decode
from portfolio_gen.errors import BadInput, FetchError, KeyDecodeError, KeyResolutionError
from portfolio_gen.ingest.jsontext import parse_json_object
from portfolio_gen.verify import crypto
from portfolio_gen.verify.checks import PROOF_KEY_BINDING
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.jsonvalues import as_list
from portfolio_gen.verify.report import Check, Verdict, failed, passed, undecided

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PRIVATE_MEMBERS = ("secretKeyMultibase", "privateKeyMultibase", "privateKeyJwk",
                    "privateKeyPem", "privateKeyBase58")


def implied(exc: KeyResolutionError) -> Verdict:
    """The verdict a key that cannot be resolved implies: the credential's fault is invalid,
    anything else could not be decided."""
    return Verdict.INVALID if exc.fatal else Verdict.UNVERIFIABLE


@dataclass(frozen=True)
class BindingProblem:
    """Why a resolved key is not (or not provably) the issuer's."""

    code: str
    message: str
    implies: Verdict


@dataclass(frozen=True)
class ResolvedKey:
    """A public key plus what is known about who controls it.

    ``listed_by`` is the id of the controller document that lists the key under
    ``assertionMethod`` (``None`` if none does); ``documents`` are the fetched
    JSON documents by URL, for the report and for pinning.
    """

    key: crypto.PublicKey
    method_id: str
    source: str
    controller: str | None = None
    listed_by: str | None = None
    binding_problem: BindingProblem | None = None
    jwk: Mapping[str, Any] | None = None
    documents: Mapping[str, Any] = field(default_factory=dict)


# -- fetching ------------------------------------------------------------------------------------

def fetch_json(url: str, ctx: VerifyContext, *, what: str) -> Mapping[str, Any]:
    """GET a JSON object through the injected fetcher; failures are undecidable, not invalid."""
    try:
        result = ctx.fetcher.fetch(url, accept="application/did+json, application/json")
    except FetchError as exc:
        raise KeyResolutionError("key_unreachable",
                                 f"The {what} {url} could not be fetched: {exc.reason}.") from None
    if not result.ok:
        raise KeyResolutionError("key_unreachable",
                                 f"The {what} {url} answered HTTP {result.status}.")
    try:  # the same strict reader as badge files: duplicate keys, NaN, depth and size caps
        return parse_json_object(result.body, f"{what} {url}")
    except BadInput as exc:
        raise KeyResolutionError("key_document_malformed", exc.reason, fatal=True) from None


# -- DIDs ----------------------------------------------------------------------------------------

def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web document (did-method-web §Read)."""
    parts = did[len("did:web:"):].split(":")
    host = unquote(parts[0])
    if not parts[0] or not re.fullmatch(r"[A-Za-z0-9.\-\[\]]+(:[0-9]{1,5})?", host):
        raise KeyResolutionError("did_malformed", f"{did} does not name a web host.",
                                 fatal=True)
    path = parts[1:] or [".well-known"]
    if any(not p or p in (".", "..") or "/" in p or "%2f" in p.lower() for p in path):
        raise KeyResolutionError("did_malformed", f"{did} has an empty or unsafe path segment.",
                                 fatal=True)
    return f"https://{host}/{'/'.join(path)}/did.json"


def resolve_did(did: str, ctx: VerifyContext) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """The DID document of a did:key, did:jwk or did:web, and the documents fetched for it."""
    if did.startswith("did:key:"):
        msid = did[len("did:key:"):]
        _decode_key(msid, did)
        vm_id = f"{did}#{msid}"
        return _single_key_document(did, vm_id, "Multikey", {"publicKeyMultibase": msid}), {}
    if did.startswith("did:jwk:"):
        jwk = _did_jwk(did)
        return _single_key_document(did, f"{did}#0", "JsonWebKey2020",
                                    {"publicKeyJwk": jwk}), {}
    if did.startswith("did:web:"):
        url = did_web_url(did)
        doc = fetch_json(url, ctx, what="DID document")
        if doc.get("id") != did:
            raise KeyResolutionError(
                "did_document_id_mismatch",
                f"The DID document at {url} has id {doc.get('id')!r}, not {did}.", fatal=True)
        return doc, {url: doc}
    method = did.split(":")[1] if did.count(":") >= 2 else did
    raise KeyResolutionError("did_method_unsupported",
                             f"The DID method {method!r} of {did} is not supported.")


def _single_key_document(did: str, vm_id: str, vm_type: str,
                         material: dict[str, Any]) -> dict[str, Any]:
    method = {"id": vm_id, "type": vm_type, "controller": did, **material}
    return {"id": did, "verificationMethod": [method], "assertionMethod": [vm_id],
            "authentication": [vm_id]}


def _did_jwk(did: str) -> dict[str, Any]:
    try:
        jwk = parse_json_object(b64url_decode(did[len("did:jwk:"):]), "JWK")
    except ValueError:
        raise KeyResolutionError("did_malformed", f"{did} does not encode a JWK.",
                                 fatal=True) from None
    except BadInput as exc:
        raise KeyResolutionError("did_malformed", f"{did} does not encode a usable JWK: "
                                 f"{exc.reason}", fatal=True) from None
    _jwk_key(jwk, did)
    return jwk


def _decode_key(multikey: str, where: str) -> crypto.PublicKey:
    try:
        return crypto.public_key_from_multikey(multikey)
    except KeyDecodeError as exc:
        raise KeyResolutionError("key_malformed", f"The key of {where} is unusable: {exc}.",
                                 fatal=True) from None


def _jwk_key(jwk: Mapping[str, Any], where: str) -> crypto.PublicKey:
    try:
        return crypto.public_key_from_jwk(jwk)
    except KeyDecodeError as exc:
        raise KeyResolutionError("key_malformed", f"The JWK of {where} is unusable: {exc}.",
                                 fatal=True) from None


# -- verification methods ------------------------------------------------------------------------

def key_from_method(method: Mapping[str, Any], where: str) -> crypto.PublicKey:
    """The public key of a verification method object; secret material is refused."""
    if any(m in method for m in _PRIVATE_MEMBERS):
        raise KeyResolutionError("key_is_secret",
                                 f"The verification method {where} holds secret key material.",
                                 fatal=True)
    if isinstance(method.get("publicKeyMultibase"), str):
        return _decode_key(method["publicKeyMultibase"], where)
    if isinstance(method.get("publicKeyJwk"), Mapping):
        return _jwk_key(method["publicKeyJwk"], where)
    raise KeyResolutionError("key_malformed",
                             f"The verification method {where} has no supported public key.",
                             fatal=True)


def _absolute(ref: str, doc_id: str) -> str:
    return doc_id + ref if ref.startswith("#") else ref


def find_method(doc: Mapping[str, Any],
                method_id: str) -> tuple[Mapping[str, Any] | None, bool]:
    """The method with that id in a controller document; does ``assertionMethod`` list it?"""
    doc_id = str(doc.get("id", ""))
    found: Mapping[str, Any] | None = None
    methods = doc.get("verificationMethod")
    for item in as_list(methods):  # JSON-LD: one method or a list
        if isinstance(item, Mapping) and _absolute(str(item.get("id", "")), doc_id) == method_id:
            found = item
    listed = False
    assertion = doc.get("assertionMethod")
    for item in as_list(assertion):
        if isinstance(item, str) and _absolute(item, doc_id) == method_id:
            listed = True
        elif isinstance(item, Mapping) and _absolute(str(item.get("id", "")), doc_id) == method_id:
            listed, found = True, item
    return found, listed


def assertion_keys(doc: Mapping[str, Any]) -> list[tuple[str, crypto.PublicKey]]:
    """Every decodable key a controller document lists under ``assertionMethod``."""
    doc_id = str(doc.get("id", ""))
    out: list[tuple[str, crypto.PublicKey]] = []
    assertion = doc.get("assertionMethod")
    for item in as_list(assertion):
        if isinstance(item, str):
            ref = _absolute(item, doc_id)
        elif isinstance(item, Mapping):
            ref = _absolute(str(item.get("id", "")), doc_id)
        else:
            continue
        method, _ = find_method(doc, ref)
        if method is None:
            continue
        try:
            out.append((ref, key_from_method(method, ref)))
        except KeyResolutionError:
            continue
    return out


def resolve_method(method_id: object, ctx: VerifyContext) -> ResolvedKey:
    """Resolve a proof's ``verificationMethod`` (DID URL, HTTPS URL) to a key.

    When proper resolution fails but the URL fragment is itself a Multikey, the
    fragment key is returned for a signature-only check, never as bound.
    """
    if not isinstance(method_id, str) or not _SCHEME.match(method_id):
        raise KeyResolutionError("key_id_invalid",
                                 f"The verification method {method_id!r} is not a URL.",
                                 fatal=True)
    try:
        return _resolve_properly(method_id, ctx)
    except KeyResolutionError as exc:
        if method_id.startswith(("did:key:", "did:jwk:")):
            raise  # resolved by computation: a wrong fragment is simply wrong
        fallback = _fragment_key(method_id, exc)
        if fallback is None:
            raise
        return fallback


def _resolve_properly(method_id: str, ctx: VerifyContext) -> ResolvedKey:
    base, _, fragment = method_id.partition("#")
    if base.startswith("did:"):
        return _resolve_did_method(base, fragment, ctx)
    if base.startswith("https://"):
        return _resolve_https_method(method_id, ctx)
    if base.startswith("http://"):
        raise KeyResolutionError("key_url_insecure",
                                 f"The key document {base} is not served over HTTPS.")
    raise KeyResolutionError("key_scheme_unsupported",
                             f"The verification method {method_id} cannot be dereferenced.")


def _resolve_did_method(did: str, fragment: str, ctx: VerifyContext) -> ResolvedKey:
    doc, docs = resolve_did(did, ctx)
    if did.startswith("did:key:") and fragment and fragment != did[len("did:key:"):]:
        raise KeyResolutionError("did_key_fragment_mismatch",
                                 f"The fragment #{fragment} is not the key of {did}.",
                                 fatal=True)
    if did.startswith("did:jwk:") and fragment not in ("", "0"):
        raise KeyResolutionError("did_jwk_fragment_mismatch",
                                 f"A did:jwk has only the method #0, not #{fragment}.",
                                 fatal=True)
    if fragment:
        method_id = f"{did}#{fragment}"
    else:
        listed = assertion_keys(doc)
        if len(listed) != 1:
            raise KeyResolutionError("key_not_found",
                                     f"{did} names a DID with {len(listed)} assertion keys, "
                                     "not one key.", fatal=True)
        method_id = listed[0][0]
    method, listed_ok = find_method(doc, method_id)
    if method is None:
        raise KeyResolutionError("key_not_found",
                                 f"The DID document of {did} has no method {method_id}.",
                                 fatal=True)
    key = key_from_method(method, method_id)
    controller = str(method.get("controller") or did)
    return ResolvedKey(key, method_id, did.split(":")[0] + ":" + did.split(":")[1], controller,
                       did if listed_ok else None, None, method.get("publicKeyJwk"), docs)


def _resolve_https_method(method_id: str, ctx: VerifyContext,
                          doc: Mapping[str, Any] | None = None) -> ResolvedKey:
    """An HTTPS controller document (method in it) or a standalone key document."""
    base = method_id.partition("#")[0]
    if doc is None:
        doc = fetch_json(base, ctx, what="key document")
    docs: dict[str, Any] = {base: doc}
    if "verificationMethod" in doc or "assertionMethod" in doc:
        if doc.get("id") != base:
            raise KeyResolutionError(
                "controller_document_id_mismatch",
                f"The controller document at {base} has id {doc.get('id')!r}.", fatal=True)
        method, listed = find_method(doc, method_id)
        if method is None:
            raise KeyResolutionError("key_not_found",
                                     f"The controller document {base} does not list {method_id}.",
                                     fatal=True)
        controller = str(method.get("controller") or base)
        return ResolvedKey(key_from_method(method, method_id), method_id, "controller-document",
                           controller, base if listed else None, None,
                           method.get("publicKeyJwk"), docs)
    if doc.get("id") != method_id:
        raise KeyResolutionError("key_document_id_mismatch",
                                 f"The key document at {base} has id {doc.get('id')!r}, "
                                 f"not {method_id}.", fatal=True)
    key = key_from_method(doc, method_id)
    owner = doc.get("controller")
    if not isinstance(owner, str):
        raise KeyResolutionError("key_controller_missing",
                                 f"The key document {base} names no controller.",
                                 fatal=True)
    return _with_controller(key, method_id, owner, doc.get("publicKeyJwk"), docs, ctx)


def resolve_https_document(method_id: str, doc: Mapping[str, Any],
                           ctx: VerifyContext) -> ResolvedKey:
    """Like :func:`resolve_method` for an HTTPS key URL whose document was already fetched."""
    return _resolve_https_method(method_id, ctx, doc)


def _with_controller(key: crypto.PublicKey, method_id: str, controller: str,
                     jwk: Any, docs: dict[str, Any], ctx: VerifyContext) -> ResolvedKey:
    """A standalone key document: its controller's document must list it for assertions."""
    problem: BindingProblem | None = None
    listed_by: str | None = None
    try:
        if controller.startswith("did:"):
            cdoc, more = resolve_did(controller, ctx)
            docs.update(more)
        elif controller.startswith("https://"):
            cdoc = fetch_json(controller, ctx, what="controller document")
            docs[controller] = cdoc
            if cdoc.get("id") != controller:
                raise KeyResolutionError("controller_document_id_mismatch",
                                         f"The controller document at {controller} has id "
                                         f"{cdoc.get('id')!r}.", fatal=True)
        else:
            raise KeyResolutionError("controller_unresolvable",
                                     f"The controller {controller} cannot be dereferenced.")
        if find_method(cdoc, method_id)[1]:
            listed_by = controller
    except KeyResolutionError as exc:
        problem = BindingProblem(exc.code, exc.message, implied(exc))
    return ResolvedKey(key, method_id, "key-document", controller, listed_by, problem,
                       jwk if isinstance(jwk, Mapping) else None, docs)


def _fragment_key(method_id: str, cause: KeyResolutionError) -> ResolvedKey | None:
    fragment = method_id.partition("#")[2]
    if not fragment.startswith("z"):
        return None
    try:
        key = crypto.public_key_from_multikey(fragment)
    except KeyDecodeError:
        return None
    message = (f"The key is taken only from the URL fragment of {method_id.partition('#')[0]}, "
               f"which no controller document confirms ({cause.message.rstrip('.')}).")
    return ResolvedKey(key, method_id, "url-fragment", None, None,
                       BindingProblem("key_from_url_fragment", message, implied(cause)))


# -- binding -------------------------------------------------------------------------------------

def check_binding(resolved: ResolvedKey, issuer_id: str | None) -> Check:
    """§7.4: listed under assertionMethod by a controller document whose id is the issuer."""
    where = {"verification_method": resolved.method_id, "key_source": resolved.source}
    bad = Verdict.INVALID
    if resolved.binding_problem is not None:
        p = resolved.binding_problem
        if p.implies is Verdict.INVALID:
            return failed(PROOF_KEY_BINDING, p.code, p.message, p.implies, **where)
        return undecided(PROOF_KEY_BINDING, p.code, p.message, p.implies, **where)
    if not issuer_id:
        return failed(PROOF_KEY_BINDING, "issuer_missing",
                      "The credential names no issuer the key could belong to.", bad, **where)
    if resolved.controller != issuer_id:
        return failed(PROOF_KEY_BINDING, "controller_not_issuer",
                      f"The key {resolved.method_id} is controlled by {resolved.controller}, "
                      f"not by the issuer {issuer_id}.", bad, **where)
    if resolved.listed_by != issuer_id:
        return failed(PROOF_KEY_BINDING, "not_assertion_method",
                      f"The issuer {issuer_id} does not list {resolved.method_id} "
                      "under assertionMethod.", bad, **where)
    return passed(PROOF_KEY_BINDING, "bound",
                  f"The key {resolved.method_id} is declared by the issuer {issuer_id} "
                  "for issuing credentials.", **where)


def check_jwk_binding(jwk: Mapping[str, Any], issuer_id: str | None, ctx: VerifyContext,
                      method_id: str) -> tuple[Check, dict[str, Any]]:
    """§2.3: a self-asserted JWK counts only if the issuer publishes the same key."""
    where = {"verification_method": method_id, "key_source": "jwk"}
    bad = Verdict.INVALID
    docs: dict[str, Any] = {}
    try:
        thumb = crypto.jwk_thumbprint(jwk)
    except (KeyDecodeError, KeyError):
        return failed(PROOF_KEY_BINDING, "key_malformed", "The JWK has no thumbprint.", bad,
                      **where), docs
    if not issuer_id:
        return failed(PROOF_KEY_BINDING, "issuer_missing",
                      "The credential names no issuer the key could belong to.", bad,
                      **where), docs
    try:
        published = _issuer_thumbprints(issuer_id, ctx, docs)
    except KeyResolutionError as exc:
        message = f"The key could not be matched to the issuer's keys: {exc.message}"
        if exc.fatal:
            return failed(PROOF_KEY_BINDING, exc.code, message, Verdict.INVALID, **where), docs
        return undecided(PROOF_KEY_BINDING, exc.code, message, Verdict.UNVERIFIABLE, **where), docs
    if thumb in published:
        return passed(PROOF_KEY_BINDING, "bound",
                      f"The signing key (thumbprint {thumb}) is published by the issuer "
                      f"{issuer_id}.", **where), docs
    return failed(PROOF_KEY_BINDING, "jwk_not_issuer_key",
                  f"The signing key (thumbprint {thumb}) is not among the keys the issuer "
                  f"{issuer_id} publishes.", bad, **where), docs


def _issuer_thumbprints(issuer_id: str, ctx: VerifyContext, docs: dict[str, Any]) -> set[str]:
    if issuer_id.startswith("did:"):
        doc, more = resolve_did(issuer_id, ctx)
        docs.update(more)
        return {crypto.jwk_thumbprint(crypto.public_jwk(k)) for _, k in assertion_keys(doc)}
    if not issuer_id.startswith("https://"):
        raise KeyResolutionError("issuer_has_no_keys",
                                 f"the issuer id {issuer_id} cannot publish keys",
                                 fatal=True)
    doc = fetch_json(issuer_id, ctx, what="issuer document")
    docs[issuer_id] = doc
    if isinstance(doc.get("keys"), list):
        prints: set[str] = set()
        for item in doc["keys"]:
            if isinstance(item, Mapping):
                try:
                    prints.add(crypto.jwk_thumbprint(crypto.public_jwk(
                        crypto.public_key_from_jwk(item))))
                except KeyDecodeError:
                    continue
        return prints
    if doc.get("id") != issuer_id:
        raise KeyResolutionError("controller_document_id_mismatch",
                                 f"the issuer document at {issuer_id} has id {doc.get('id')!r}",
                                 fatal=True)
    return {crypto.jwk_thumbprint(crypto.public_jwk(k)) for _, k in assertion_keys(doc)}


def pin_urls_for_method(method_id: object) -> list[str]:
    """The URLs whose documents resolving this method needs (for ``portfolio-gen pin``)."""
    if not isinstance(method_id, str):
        return []
    base = method_id.partition("#")[0]
    if base.startswith("did:web:"):
        try:
            return [did_web_url(base)]
        except KeyResolutionError:
            return []
    if base.startswith("https://") and urlsplit(base).hostname:
        return [base]
    return []
