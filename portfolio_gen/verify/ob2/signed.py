"""SignedBadge verification: key, signature, binding (the Open Badges verification rules: Open
Badges 2.0 §SignedBadge; security items 4-5, 14).

The JWS is checked over its signing input exactly as found (never a re-encoded
payload), with the algorithm pinned by the key type, so ``none``, ``HS256`` or
``ES256`` headers fail against an RSA key. A key proves nothing unless the
issuer lists it in ``publicKey`` *and* the key names the issuer as ``owner``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portfolio_gen.errors import KeyDecodeError, SignatureError
from portfolio_gen.ingest.raw import CompactJws
from portfolio_gen.verify import crypto
from portfolio_gen.verify.checks import PROOF_KEY, PROOF_KEY_BINDING, PROOF_SIGNATURE
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob2.documents import Fetched, fetch_json, identity_of, origin_note
from portfolio_gen.verify.ob2.shapes import as_list, is_http_url, key_problems, node_id
from portfolio_gen.verify.report import Check, failed, passed, undecided


@dataclass(frozen=True)
class SigningKey:
    """A decoded key and the document (fetched or embedded in the issuer) that holds it."""

    url: str
    source: Fetched
    public_key: crypto.PublicKey


def key_urls(verification: Mapping[str, Any] | None, issuer: Fetched | None) -> list[str]:
    """``verification.creator``, else every key the issuer publishes (spec step 4)."""
    creator = node_id(verification.get("creator")) if verification is not None else None
    if creator:
        return [creator]
    if issuer is None:
        return []
    return [k for k in (node_id(v) for v in as_list(issuer.doc.get("publicKey"))) if k]


def load_key(ctx: VerifyContext, url: str,
             issuer: Fetched | None) -> tuple[SigningKey | None, Check]:
    """``proof.key``: the key document at ``url`` decoded.

    The key comes from its own URL, or from the ``publicKey`` of the issuer profile
    fetched from the issuer's id (the issuer's own statement); a ``creator`` object
    embedded in the assertion only names the URL.
    """
    if issuer is not None and url not in published_keys(issuer):
        # Spec step 4: only keys the issuer links are candidates, so a key URL the badge
        # file made up is never even fetched.
        return None, failed(PROOF_KEY, "key_not_published",
                            f"The badge names the signing key {url}, "
                            f"which the issuer profile at {issuer.url} does not list among its "
                            "public keys, so the key cannot be the issuer's.", url=url)
    embedded = _embedded_key(url, issuer)
    if embedded is not None:
        source = Fetched(url, embedded)
        how = f"Using the key {url} embedded in the issuer profile"
    elif not is_http_url(url):
        return None, undecided(PROOF_KEY, "key_unresolvable",
                               f"The signing key {url!r} is not an HTTP "
                               "URL and the issuer profile does not embed it.", url=url)
    else:
        fetched, check = fetch_json(ctx, url, PROOF_KEY, "signing key")
        if fetched is None:
            return None, check
        source, how = fetched, f"Fetched the signing key from {url}{origin_note(fetched.result)}"
    problems = key_problems(source.doc)
    if problems:
        return None, failed(PROOF_KEY, "bad_key_document", f"The key document {url} is unusable: "
                            f"{'; '.join(problems)}.", url=url)
    try:
        public_key = crypto.load_pem_public_key(str(source.doc["publicKeyPem"]))
    except KeyDecodeError as exc:
        return None, failed(PROOF_KEY, "unusable_key", f"The key {url} is not acceptable: {exc}.",
                            url=url)
    return SigningKey(url, source, public_key), passed(PROOF_KEY, "key_loaded", how + ".", url=url)


def check_signature(jws: CompactJws, key: SigningKey) -> Check:
    """``proof.signature`` over the signing input as found, alg pinned by the key type."""
    try:
        alg = crypto.verify_jws_signature(key.public_key, jws.header.get("alg"),
                                          jws.signing_input, jws.signature)
    except SignatureError as exc:
        return failed(PROOF_SIGNATURE, "bad_signature", f"The signature is not valid: {exc}.",
                      key=key.url)
    return passed(PROOF_SIGNATURE, "signature_valid", f"The {alg} signature verifies with the key "
                  f"{key.url}.", key=key.url, alg=alg)


def check_binding(key: SigningKey, issuer: Fetched | None) -> Check:
    """``proof.key_binding``: key ∈ issuer.publicKey and key.owner == issuer.id (§7.4)."""
    if issuer is None or issuer.result is None:
        return undecided(PROOF_KEY_BINDING, "no_issuer",
                         "Could not check that the key belongs to the "
                         "issuer: the issuer profile was not fetched from its own id.",
                         key=key.url)
    identity = identity_of(issuer)
    if identity is None:
        return undecided(PROOF_KEY_BINDING, "no_issuer",
                         "Could not check that the key belongs to the "
                         "issuer: the issuer profile does not name itself by its URL.",
                         key=key.url)
    issuer_id = identity.id
    declared_id = key.source.doc.get("id")
    if declared_id is not None and declared_id != key.url:
        return failed(PROOF_KEY_BINDING, "key_id_mismatch",
                      f"The key document at {key.url} names itself "
                      f"{declared_id!r}.", key=key.url)
    if key.url not in published_keys(issuer):
        return failed(PROOF_KEY_BINDING, "key_not_published",
                      f"The issuer {issuer_id} does not list the "
                      f"key {key.url} among its public keys.", key=key.url)
    owner = key.source.doc.get("owner")
    if owner is not None and not identity.names(owner):
        return failed(PROOF_KEY_BINDING, "owner_mismatch",
                      f"The key {key.url} is owned by {owner!r}, "
                      f"not by the issuer {issuer_id}.", key=key.url)
    if owner is None and key.source.result is not None:
        return failed(PROOF_KEY_BINDING, "owner_missing",
                      f"The key document {key.url} names no owner, "
                      "so it cannot be tied to the issuer.", key=key.url)
    return passed(PROOF_KEY_BINDING, "key_bound",
                  f"The key is published by the issuer {issuer_id} and "
                  "names it as owner.", key=key.url, issuer=issuer_id)


def published_keys(issuer: Fetched) -> set[str | None]:
    """The key ids the issuer profile lists in ``publicKey`` (URLs or embedded keys' ids)."""
    return {node_id(v) for v in as_list(issuer.doc.get("publicKey"))}


def _embedded_key(url: str, issuer: Fetched | None) -> Mapping[str, Any] | None:
    if issuer is None or issuer.result is None:
        return None
    for entry in as_list(issuer.doc.get("publicKey")):
        if isinstance(entry, Mapping) and entry.get("id") == url and "publicKeyPem" in entry:
            return entry
    return None
