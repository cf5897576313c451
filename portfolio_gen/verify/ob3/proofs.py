"""Embedded Data Integrity proof sets: one verdict from several proofs (the Open Badges
verification rules: VC Data Integrity §Verify Proof, VC Data Integrity §Proof Sets).

Each proof is checked on its own against the same document. The set is proven
when at least one supported proof verifies and none fails; proofs of suites we
do not implement make the result *unsupported*, never verified. Key binding is
reported apart from the signature, for the proof that verified. The data-loss
check (§4, §7.3) runs first: a field the contexts do not define is not signed,
so a document that has one fails even though its proof may verify.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portfolio_gen.errors import ContextError, KeyResolutionError
from portfolio_gen.verify.checks import JSONLD_DATA_LOSS, PROOF_KEY_BINDING, PROOF_SIGNATURE
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob3 import dataintegrity, jsonld, keys
from portfolio_gen.verify.ob3.keys import ResolvedKey, implied
from portfolio_gen.verify.report import (
    Check,
    CheckStatus,
    Verdict,
    failed,
    passed,
    skipped,
    undecided,
)

MAX_PROOFS = 8


@dataclass(frozen=True)
class ProofSetResult:
    """The checks of a proof set and the key of the proof that verified (if one did)."""

    checks: tuple[Check, ...]
    key: ResolvedKey | None = None
    documents: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class _Tally:
    verified: list[tuple[dataintegrity.ProofOutcome, ResolvedKey]] = field(default_factory=list)
    failed: list[Check] = field(default_factory=list)
    undecided: list[Check] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    documents: dict[str, Any] = field(default_factory=dict)


def check_data_loss(document: Mapping[str, Any], ctx: VerifyContext,
                    variant: str | None = None) -> Check:
    """§7.3, §7.15: fail when anything a page could show is missing from the canonical form.

    Undefined fields, identifiers that are not well-formed IRIs, malformed language
    tags or values, and objects JSON-LD drops are all shown but not signed.
    ``variant`` is the context copy the proof verified under, so the check judges
    the same definitions the signature covered.
    """
    if _signed_as_json(document):
        return skipped(JSONLD_DATA_LOSS, "json_signed",
                       "Every proof signs the JSON itself (JCS), so every field is covered.")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        losses = jsonld.find_data_loss(unsecured, variant=variant, store=ctx.contexts)
    except ContextError as exc:
        return undecided(JSONLD_DATA_LOSS, "context_unavailable", _context_message(exc),
                         url=exc.url)
    if losses:
        fields = [str(loss) for loss in losses]
        shown = ", ".join(fields[:8]) + (" …" if len(fields) > 8 else "")
        if any(loss.kind == "undefined" for loss in losses):
            return failed(JSONLD_DATA_LOSS, "undefined_terms",
                          f"The credential has fields its JSON-LD contexts do not define, so "
                          f"the proof does not cover them: {shown}.", Verdict.INVALID,
                          fields=fields)
        return failed(JSONLD_DATA_LOSS, "values_not_signed",
                      f"The credential has values its canonical form leaves out, so the proof "
                      f"does not cover them: {shown}.", Verdict.INVALID, fields=fields)
    return passed(JSONLD_DATA_LOSS, "all_terms_defined",
                  "Every field of the credential is defined by its contexts and reaches the "
                  "signed canonical form.")


def _signed_as_json(document: Mapping[str, Any]) -> bool:
    """True when every proof is a supported JCS suite: those sign every byte of the JSON.

    Undefined terms are only a data-loss hazard under RDF canonicalization, which drops
    them; a JCS signature covers them like any other field (as a VC-JWT does).
    """
    proofs = document.get("proof")
    items = proofs if isinstance(proofs, list) else [proofs]
    if not items:
        return False
    for proof in items:
        if not isinstance(proof, Mapping):
            return False
        name, supported = dataintegrity.proof_suite(proof)
        suite = dataintegrity.SUITES.get(name.removeprefix("DataIntegrityProof/"))
        if not supported or suite is None or suite.canonical != "jcs":
            return False
    return True


def verify_proof_set(document: Mapping[str, Any], issuer_id: str | None,
                     ctx: VerifyContext) -> ProofSetResult:
    """``proof.signature`` (and ``proof.key_binding`` when a proof verified)."""
    raw = document.get("proof")
    if raw is None:
        return ProofSetResult((failed(PROOF_SIGNATURE, "no_proof",
                                      "The credential has no proof, so nothing shows who "
                                      "issued it."),))
    proofs = raw if isinstance(raw, list) else [raw]
    if not proofs:
        return ProofSetResult((failed(PROOF_SIGNATURE, "no_proof",
                                      "The credential's proof list is empty."),))
    if len(proofs) > MAX_PROOFS:
        return ProofSetResult((failed(PROOF_SIGNATURE, "too_many_proofs",
                                      f"The credential has {len(proofs)} proofs; at most "
                                      f"{MAX_PROOFS} are checked."),))
    tally = _Tally()
    for proof in proofs:
        _check_one(document, proof, ctx, tally)
    return _conclude(tally, issuer_id)


def _check_one(document: Mapping[str, Any], proof: object, ctx: VerifyContext,
               tally: _Tally) -> None:
    if not isinstance(proof, Mapping):
        tally.failed.append(failed(PROOF_SIGNATURE, "proof_malformed",
                                   "A proof is not a JSON object."))
        return
    suite, supported = dataintegrity.proof_suite(proof)
    if not supported:
        tally.unsupported.append(suite)
        return
    try:
        resolved = keys.resolve_method(proof.get("verificationMethod"), ctx)
    except KeyResolutionError as exc:
        sink = tally.failed if exc.fatal else tally.undecided
        sink.append(_as_check(exc.code, f"The {suite} proof's key: {exc.message}", implied(exc),
                              suite=suite))
        return
    tally.documents.update(resolved.documents)
    try:
        outcome = dataintegrity.verify_proof(document, proof, resolved.key, store=ctx.contexts)
    except ContextError as exc:
        tally.undecided.append(undecided(PROOF_SIGNATURE, "context_unavailable",
                                         _context_message(exc), url=exc.url, suite=suite))
        return
    details = {"suite": outcome.suite, "verification_method": outcome.verification_method,
               "context_variant": outcome.context_variant, "key_source": resolved.source}
    if outcome.status == "verified":
        tally.verified.append((outcome, resolved))
    elif outcome.status == "failed":
        tally.failed.append(failed(PROOF_SIGNATURE, outcome.code, outcome.message,
                                   Verdict.INVALID, **details))
    elif outcome.status == "unsupported":
        tally.unsupported.append(outcome.suite or suite)
    else:
        tally.undecided.append(undecided(PROOF_SIGNATURE, outcome.code, outcome.message,
                                         Verdict.UNVERIFIABLE, **details))


def _conclude(tally: _Tally, issuer_id: str | None) -> ProofSetResult:
    docs = tally.documents
    if tally.failed:
        return ProofSetResult((tally.failed[0],), None, docs)
    if tally.verified:
        bindings = [(o, r, keys.check_binding(r, issuer_id)) for o, r in tally.verified]
        best = next((b for b in bindings if b[2].status is CheckStatus.PASS), bindings[0])
        outcome, resolved, binding = best
        signature = passed(PROOF_SIGNATURE, "signature_valid",
                           f"The {outcome.suite} proof verifies with the key "
                           f"{resolved.method_id}.", suite=outcome.suite,
                           verification_method=resolved.method_id,
                           context_variant=outcome.context_variant,
                           key_source=resolved.source, proofs_verified=len(tally.verified),
                           proofs_unsupported=tally.unsupported)
        return ProofSetResult((signature, binding), resolved, docs)
    if tally.undecided:
        return ProofSetResult((tally.undecided[0],), None, docs)
    names = ", ".join(sorted(set(tally.unsupported)))
    return ProofSetResult((failed(PROOF_SIGNATURE, "proof_type_unsupported",
                                  f"The proof type {names} is not supported, so the credential "
                                  "cannot be verified.", Verdict.UNSUPPORTED,
                                  suites=sorted(set(tally.unsupported))),), None, docs)


def binding_skipped() -> Check:
    return skipped(PROOF_KEY_BINDING, "no_verified_proof",
                   "Key binding not checked: no proof verified.")


def _as_check(code: str, message: str, implies: Verdict, **details: Any) -> Check:
    if implies is Verdict.INVALID:
        return failed(PROOF_SIGNATURE, code, message, implies, **details)
    return undecided(PROOF_SIGNATURE, code, message, implies, **details)


def _context_message(exc: ContextError) -> str:
    if exc.url:
        return f"Cannot verify: the JSON-LD context {exc.url} is not available ({exc.reason})."
    return f"Cannot verify: the JSON-LD could not be processed ({exc.reason})."
