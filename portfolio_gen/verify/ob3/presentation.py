"""The holder's proof on a Verifiable Presentation a credential was found in.

A wallet that signs a presentation (LCW public links, presentation requests) proves
that the holder's key signed it, for the purpose ``authentication``. This module
checks that proof and names the holder it proves; every credential inside is
verified on its own by its issuer's proof, so the holder check never changes a
credential's verdict (``implies`` is ``None``): a failed or missing holder proof
only means no holder is shown as proven.

Bound = the key is listed under ``authentication`` by the controller document of
the presentation's ``holder`` (DID document or HTTPS controller document, fetched
from the holder's own identifier). A key known only from a URL fragment proves
nothing. The ``challenge``/``domain`` are recorded, not checked: an exported file
answers no request of ours, so a replayed presentation cannot be told apart.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from portfolio_gen.errors import ContextError, KeyResolutionError
from portfolio_gen.ingest.raw import PresentationRef
from portfolio_gen.verify import crypto
from portfolio_gen.verify.checks import PRESENTATION_HOLDER
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob3 import dataintegrity, keys
from portfolio_gen.verify.ob3.keys import ResolvedKey
from portfolio_gen.verify.report import Check, CheckStatus, passed, skipped, undecided

PURPOSE = "authentication"
MAX_PROOFS = 4


def holder_of(presentation: Mapping[str, Any]) -> str | None:
    holder = presentation.get("holder")
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    return holder if isinstance(holder, str) and holder else None


def check_holder(ref: PresentationRef, ctx: VerifyContext,
                 credential: Mapping[str, Any] | None = None) -> Check:
    """One check: which holder (if any) the presentation's own proof proves.

    With the verified ``credential``, a proven holder who is its subject is said so.
    """
    check = _check_holder(ref, ctx)
    holder = check.details.get("holder")
    subject = credential.get("credentialSubject") if credential is not None else None
    subject_id = subject.get("id") if isinstance(subject, Mapping) else None
    if check.status is CheckStatus.PASS and holder and holder == subject_id:
        return passed(PRESENTATION_HOLDER, check.code, check.message[:-1] + "; the holder is the "
                      "credential's subject.", **{**check.details, "holder_is_subject": True})
    return check


def _check_holder(ref: PresentationRef, ctx: VerifyContext) -> Check:
    where = f"credential {ref.index + 1} of {ref.count} in the presentation {ref.source}"
    details: dict[str, Any] = {"presentation": ref.source, "index": ref.index,
                               "count": ref.count}
    holder = holder_of(ref.document)
    if holder:
        details["holder_named"] = holder
    raw = ref.document.get("proof")
    if raw is None:
        return skipped(PRESENTATION_HOLDER, "presentation_unsigned",
                       f"Found as {where}, which carries no proof: it proves no holder.",
                       **details)
    proofs = raw if isinstance(raw, list) else [raw]
    if not proofs or len(proofs) > MAX_PROOFS:
        return _bad("presentation_proof_malformed",
                    f"The presentation has {len(proofs)} proofs; 1 to {MAX_PROOFS} are checked.",
                    details)
    outcomes = [_check_proof(ref.document, proof, holder, ctx, details) for proof in proofs]
    # Each proof signs the presentation without the others, so one that proves the holder
    # is not undone by another signer's proof beside it; failures come before "undecided".
    for status in (CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.WARN):
        for check in outcomes:
            if check.status is status:
                return check
    return outcomes[0]


def _check_proof(vp: Mapping[str, Any], proof: object, holder: str | None,
                 ctx: VerifyContext, details: dict[str, Any]) -> Check:
    if not isinstance(proof, Mapping):
        return _bad("presentation_proof_malformed", "The presentation's proof is not a JSON "
                    "object.", details)
    suite, supported = dataintegrity.proof_suite(proof)
    info = {**details, "suite": suite, "verification_method": proof.get("verificationMethod"),
            "challenge": proof.get("challenge"), "domain": proof.get("domain")}
    info = {k: v for k, v in info.items() if v is not None}
    if not supported:
        return undecided(PRESENTATION_HOLDER, "presentation_proof_unsupported",
                         f"The presentation's {suite} proof is not a supported type, so its "
                         "holder was not checked.", None, **info)
    try:
        resolved = keys.resolve_method(proof.get("verificationMethod"), ctx)
    except KeyResolutionError as exc:
        return _as_check(exc, f"The presentation's key: {exc.message}", info)
    try:
        outcome = _verify_once(vp, proof, resolved.key, ctx)
    except ContextError as exc:  # pragma: no cover - verify_proof reports these itself
        return undecided(PRESENTATION_HOLDER, "context_unavailable", str(exc), None, **info)
    if outcome.status == "failed":
        return _bad(outcome.code, f"The presentation's proof does not verify: {outcome.message}",
                    info)
    if outcome.status != "verified":
        return undecided(PRESENTATION_HOLDER, outcome.code, f"The presentation's holder was not "
                         f"checked. {outcome.message}", None, **info)
    return _binding(resolved, holder, ctx, info)


#: Signature outcomes of the presentations seen last: every credential of one presentation
#: asks about the same proof, and canonicalizing a large presentation once per credential
#: would make a file of n credentials cost n² (keys: presentation, proof, key, contexts).
_SEEN: OrderedDict[tuple[int, int, str, int], tuple[Mapping[str, Any], Any]] = OrderedDict()
_SEEN_MAX = 16


def _verify_once(vp: Mapping[str, Any], proof: Mapping[str, Any], key: crypto.PublicKey,
                 ctx: VerifyContext) -> dataintegrity.ProofOutcome:
    memo = (id(vp), id(proof), json.dumps(crypto.public_jwk(key), sort_keys=True),
            id(ctx.contexts))
    seen = _SEEN.get(memo)
    if seen is not None and seen[0] is vp:
        _SEEN.move_to_end(memo)
        return seen[1]  # type: ignore[no-any-return]
    outcome = dataintegrity.verify_proof(vp, proof, key, store=ctx.contexts, purpose=PURPOSE)
    _SEEN[memo] = (vp, outcome)
    while len(_SEEN) > _SEEN_MAX:
        _SEEN.popitem(last=False)
    return outcome


def _binding(resolved: ResolvedKey, holder: str | None, ctx: VerifyContext,
             info: dict[str, Any]) -> Check:
    """The signature holds; is the key the holder's, declared for authentication?"""
    method = resolved.method_id
    if resolved.binding_problem is not None or resolved.controller is None:
        problem = resolved.binding_problem
        reason = problem.message if problem else "no controller document names it"
        return _bad("holder_key_unbound", f"The presentation's signature verifies, but its key "
                    f"is not bound to anyone: {reason}", info)
    controller = resolved.controller
    if holder is not None and controller != holder:
        return _bad("holder_mismatch", f"The presentation names the holder {holder}, but it is "
                    f"signed by a key of {controller}.", info)
    try:
        listed = _listed_for_authentication(controller, method, ctx)
    except KeyResolutionError as exc:
        return _as_check(exc, f"The holder's document: {exc.message}", info)
    if not listed:
        return _bad("holder_key_not_authentication", f"{controller} does not list the key "
                    f"{method} under authentication.", info)
    named = "" if holder else " (the presentation names no holder; its signer is taken)"
    return passed(PRESENTATION_HOLDER, "holder_proven", f"The presentation is signed by its holder "
                  f"{controller} with the authentication key {method}{named}.",
                  **{**info, "holder": controller})


def _listed_for_authentication(controller: str, method: str, ctx: VerifyContext) -> bool:
    if controller.startswith("did:"):
        doc, _ = keys.resolve_did(controller, ctx)
    elif controller.startswith("https://"):
        doc = keys.fetch_json(controller, ctx, what="holder document")
        if doc.get("id") != controller:
            return False
    else:
        raise KeyResolutionError("controller_unresolvable",
                                 f"The holder {controller} cannot be dereferenced.")
    return _lists(doc, method, PURPOSE)


def _lists(doc: Mapping[str, Any], method: str, relationship: str) -> bool:
    """Does the controller document list ``method`` (by reference or embedded) there?"""
    doc_id = str(doc.get("id", ""))
    entries = doc.get(relationship)
    for entry in entries if isinstance(entries, list) else [entries]:
        ref = entry.get("id") if isinstance(entry, Mapping) else entry
        if isinstance(ref, str) and (doc_id + ref if ref.startswith("#") else ref) == method:
            return True
    return False


def _bad(code: str, message: str, details: Mapping[str, Any]) -> Check:
    """A holder proof that is wrong: shown as failed, but no verdict for the credential."""
    return Check(PRESENTATION_HOLDER, CheckStatus.FAIL, code, message, None, dict(details))


def _as_check(exc: KeyResolutionError, message: str, info: dict[str, Any]) -> Check:
    if exc.fatal:
        return _bad(exc.code, message, info)
    return undecided(PRESENTATION_HOLDER, exc.code, message, None, **info)



def pin_urls(ref: PresentationRef) -> list[str]:
    """did:web / HTTPS documents the holder check would fetch, for ``portfolio-gen pin``."""
    raw = ref.document.get("proof")
    urls: list[str] = []
    for proof in (raw if isinstance(raw, list) else [raw])[:MAX_PROOFS]:
        if isinstance(proof, Mapping):
            urls += keys.pin_urls_for_method(proof.get("verificationMethod"))
    holder = holder_of(ref.document)
    if holder and holder.startswith("https://"):
        urls.append(holder)
    return list(dict.fromkeys(urls))
