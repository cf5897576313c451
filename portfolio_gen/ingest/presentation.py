"""Verifiable Presentations: a wallet export becomes one raw credential per contained credential.

Wallets (the Learner Credential Wallet's "Send a credential", VerifierPlus public links)
hand a learner a ``VerifiablePresentation`` whose ``verifiableCredential`` holds one or
more credentials (import.md §6, rule C5/E1). Each becomes its own :class:`RawCredential`
named ``<file>#<index>``; each carries a :class:`PresentationRef` so verification can
also check the presentation's own (holder) proof.

Raw bytes rule: an embedded-proof credential is handed on as the exact bytes it
occupies in the file (found by :func:`value_spans`, never re-serialised), parsed
again from those bytes; a VC-JWT string (or a VCDM 2.0 ``EnvelopedVerifiableCredential``
``data:application/vc+jwt,`` URL) keeps its exact characters as its compact JWS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portfolio_gen.errors import BadInput
from portfolio_gen.ingest.classify import (
    classify_document,
    envelope_vp,
    is_presentation,
    jws_credential,
)
from portfolio_gen.ingest.jsontext import parse_json_object, value_spans
from portfolio_gen.ingest.jws import looks_like_jws
from portfolio_gen.ingest.raw import IngestProblem, Kind, PresentationRef, RawCredential

#: Credentials read from one presentation; the rest are reported, not read.
MAX_CREDENTIALS = 64
ENVELOPED = "EnvelopedVerifiableCredential"
_JWT_DATA_URL = "data:application/vc+jwt,"


def _types(doc: Mapping[str, Any]) -> set[str]:
    value = doc.get("type", doc.get("@type"))
    items = value if isinstance(value, list) else [value]
    return {t for t in items if isinstance(t, str)}


def expand(raw: RawCredential) -> list[RawCredential | IngestProblem]:
    """Every credential of the presentation in ``raw`` (a JSON file), in order."""
    assert raw.document is not None
    vp: Mapping[str, Any] = raw.document
    path: tuple[str, ...] = ("verifiableCredential",)
    envelope = envelope_vp(raw.document)
    if envelope is not None:
        vp, path = envelope, ("vp", "verifiableCredential")
    values = vp.get("verifiableCredential")
    elements = values if isinstance(values, list) else ([] if values is None else [values])
    if not elements:
        return [IngestProblem(raw.source, "presentation_empty", "The presentation holds no "
                              "credentials (its verifiableCredential list is empty or missing).",
                              raw.container.value)]
    spans = value_spans(raw.payload, path)
    if len(spans) != len(elements):  # cannot happen for JSON that parsed; never guess
        return [IngestProblem(raw.source, "presentation_unreadable", "The presentation's "
                              "credentials could not be located in the file.",
                              raw.container.value)]
    count = len(elements)
    out: list[RawCredential | IngestProblem] = []
    for index, (element, span) in enumerate(zip(elements, spans, strict=True)):
        if index >= MAX_CREDENTIALS:
            out.append(IngestProblem(f"{raw.source}#{index}", "presentation_too_many",
                                     f"The presentation holds {count} credentials; only the "
                                     f"first {MAX_CREDENTIALS} are read.", raw.container.value))
            break
        ref = PresentationRef(raw.source, index, count, vp, raw.payload)
        source = f"{raw.source}#{index}"
        try:
            out.append(_credential(element, span, source, raw, ref))
        except BadInput as exc:
            out.append(IngestProblem(source, exc.code, exc.reason, raw.container.value,
                                     exc.unsupported))
    return out


def _credential(element: object, span: bytes, source: str, raw: RawCredential,
                ref: PresentationRef) -> RawCredential:
    what = f"credential {ref.index} of the presentation"
    token = _jwt_text(element)
    if token is not None:
        item = jws_credential(token.encode("ascii"), source=source, container=raw.container,
                              file_bytes=token.encode("ascii"), what=what)
        return RawCredential(item.source, item.container, item.kind, item.payload,
                             document=item.document, jws=item.jws, file_bytes=item.file_bytes,
                             presentation=ref)
    if not isinstance(element, Mapping):
        raise BadInput("presentation_item_malformed", f"The {what} is neither a credential "
                       "object nor a compact JWS.")
    doc = parse_json_object(span, what)
    if is_presentation(doc):
        raise BadInput("presentation_nested", f"The {what} is itself a presentation; "
                       "presentations inside presentations are not read.", unsupported=True)
    kind = classify_document(doc)
    if kind is Kind.UNKNOWN:
        raise BadInput("not_a_badge", f"The {what} is neither an Open Badges 2.0 assertion "
                       "nor a Verifiable Credential.", unsupported=True)
    return RawCredential(source, raw.container, kind, span, document=doc, file_bytes=span,
                         presentation=ref)


def _jwt_text(element: object) -> str | None:
    """The compact JWS of a VC-JWT element (a string, or an enveloped ``data:`` URL)."""
    if isinstance(element, str):
        if not looks_like_jws(element.strip().encode("utf-8", "replace")):
            raise BadInput("presentation_item_malformed", "A credential of the presentation "
                           "is a string but not a compact JWS.")
        return element.strip()
    if isinstance(element, Mapping) and ENVELOPED in _types(element):
        value = element.get("id")
        if isinstance(value, str) and value.startswith(_JWT_DATA_URL):
            token = value[len(_JWT_DATA_URL):]
            if looks_like_jws(token.encode("utf-8", "replace")):
                return token
        raise BadInput("presentation_envelope_unsupported", "An enveloped credential of the "
                       "presentation is not a data:application/vc+jwt URL.", unsupported=True)
    return None
