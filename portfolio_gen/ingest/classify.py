"""Deciding what a piece of badge text is, from its content (the Open Badges verification rules:
Open Badges Baking Specification, Open Badges 3.0 §Verification).

The same text can arrive in a ``.json`` file, a PNG chunk or an SVG element; one
function turns it into a :class:`RawCredential` so every container classifies alike.
Classification is deliberately generous (any Verifiable Credential counts as OB 3.0,
anything with OB 2.0 shape counts as OB 2.0): the verifier then says precisely what
is wrong, which is more useful than "unknown file".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from portfolio_gen.errors import BadInput
from portfolio_gen.ingest.jsontext import parse_json_object, strip_bom
from portfolio_gen.ingest.jws import looks_like_jws, parse_compact_jws
from portfolio_gen.ingest.raw import Container, Kind, RawCredential

OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential",
                       "ClrCredential", "VerifiableCredential"})
_OB3_CONTEXT_PREFIXES = ("https://www.w3.org/2018/credentials", "https://www.w3.org/ns/credentials",
                         "https://purl.imsglobal.org/spec/ob/", "https://purl.imsglobal.org/spec/clr/")
_OB2_CONTEXT_PREFIXES = ("https://w3id.org/openbadges", "http://w3id.org/openbadges",
                         "https://openbadgespec.org/", "http://openbadgespec.org/",
                         "http://openbadges.org/", "https://openbadges.org/")
_URL = re.compile(rb"\Ahttps?://[^\x00-\x20\x7f-\xff<>\"']+\Z")
_SHORTCUT_URL = re.compile(rb"^URL=(https?://[^\x00-\x20\x7f-\xff<>\"']+)\s*$", re.MULTILINE)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


VP_TYPE = "VerifiablePresentation"


def is_presentation(doc: Mapping[str, Any]) -> bool:
    """A VP, or a VerifierPlus share envelope (``{credential: [...], vp: {...}}``)."""
    return VP_TYPE in _strings(doc.get("type", doc.get("@type"))) or envelope_vp(doc) is not None


def envelope_vp(doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The presentation inside a VerifierPlus ``/api/credentials/<id>`` answer, if any."""
    vp = doc.get("vp")
    if (isinstance(vp, Mapping) and VP_TYPE in _strings(vp.get("type", vp.get("@type")))
            and "credential" in doc):
        return vp
    return None


def classify_document(doc: Mapping[str, Any]) -> Kind:
    """OB 3.0/CLR for anything Verifiable-Credential shaped, OB 2.0 for assertion-shaped JSON."""
    if is_presentation(doc):
        return Kind.PRESENTATION
    contexts = _strings(doc.get("@context"))
    types = set(_strings(doc.get("type"))) | set(_strings(doc.get("@type")))
    if (types & OB3_TYPES or "credentialSubject" in doc
            or any(c.startswith(_OB3_CONTEXT_PREFIXES) for c in contexts)):
        return Kind.OB3_CREDENTIAL
    if "Assertion" in types or ("recipient" in doc and (
            "badge" in doc or "verify" in doc or "verification" in doc)):
        return Kind.OB2_ASSERTION
    if not types and any(c.startswith(_OB2_CONTEXT_PREFIXES) for c in contexts):
        return Kind.OB2_ASSERTION  # untyped OB 2.0 JSON: let the verifier say what is missing
    return Kind.UNKNOWN  # e.g. an OB 2.0 BadgeClass, Profile or key: not a credential


def is_hosted_url(text: bytes) -> bool:
    return _URL.match(text.strip()) is not None


def shortcut_url(text: bytes) -> str | None:
    """The target of a Windows ``.url`` internet shortcut (``[InternetShortcut]`` / ``URL=``)."""
    if not text.lstrip().startswith(b"[InternetShortcut]"):
        return None
    match = _SHORTCUT_URL.search(text)
    return match.group(1).decode("ascii") if match else None


def credential_from_text(text: bytes, *, source: str, container: Container,
                         file_bytes: bytes, what: str) -> RawCredential:
    """Classify badge text (JSON, compact JWS or a hosted URL) found in ``container``.

    ``what`` names where the text came from, for messages ("file", "PNG iTXt chunk").
    """
    body = strip_bom(text).strip()
    if not body:
        raise BadInput("empty", f"The {what} is empty.")
    if body[:1] == b"{" or body[:1] == b"[":
        doc = parse_json_object(text, f"JSON in the {what}")
        kind = classify_document(doc)
        if kind is Kind.UNKNOWN:
            raise _not_a_badge(what, "JSON")
        return RawCredential(source, container, kind, strip_bom(text), document=doc,
                             file_bytes=file_bytes)
    if looks_like_jws(body):
        return jws_credential(body, source=source, container=container, file_bytes=file_bytes,
                              what=what)
    if is_hosted_url(body):
        url = body.decode("ascii")
        return RawCredential(source, container, Kind.OB2_HOSTED_URL, body, url=url,
                             file_bytes=file_bytes)
    raise BadInput("unknown_format", f"The {what} holds neither JSON, a compact JWS nor a "
                   "hosted badge URL.", unsupported=True)


def jws_credential(text: bytes, *, source: str, container: Container, file_bytes: bytes,
                   what: str) -> RawCredential:
    """A compact JWS: a VC-JWT (``vc`` claim or ``@context``) or an OB 2.0 signed assertion."""
    jws = parse_compact_jws(text)
    doc = parse_json_object(jws.payload, f"JWS payload in the {what}")
    shape = classify_document(doc)
    if shape is Kind.PRESENTATION or isinstance(doc.get("vp"), Mapping):
        raise BadInput("presentation_jwt_unsupported", f"The JWS in the {what} is a signed "
                       "presentation (VP-JWT), which is not read; export the credentials as "
                       "JSON instead.", unsupported=True)
    if isinstance(doc.get("vc"), Mapping) or shape is Kind.OB3_CREDENTIAL:
        kind = Kind.OB3_JWT
    elif shape is Kind.OB2_ASSERTION:
        kind = Kind.OB2_SIGNED
    elif "@context" in doc:
        kind = Kind.OB3_JWT
    else:
        raise _not_a_badge(what, "JWS payload")
    return RawCredential(source, container, kind, jws.text.encode("ascii"), document=doc,
                         jws=jws, file_bytes=file_bytes)


def _not_a_badge(what: str, form: str) -> BadInput:
    return BadInput("not_a_badge", f"The {form} in the {what} is neither an Open Badges 2.0 "
                    "assertion nor a Verifiable Credential.", unsupported=True)
