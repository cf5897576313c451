"""Structural checks of an OB 3.0 / CLR 2.0 credential, before any proof.

verification.md §2.1 (required fields) and §2.2 step 1 (conformance).

A document that is not the credential it claims to be is *invalid* whatever its
proof says; the checks name the rule broken so the report says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portfolio_gen.verify.dates import parse_datetime
from portfolio_gen.verify.report import Check, failed, passed

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$")
CLR_CONTEXT = re.compile(
    r"^https://purl\.imsglobal\.org/spec/clr/v2p0/context(-2\.\d\.\d)*\.json$")
OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")


@dataclass(frozen=True)
class Shape:
    """What the document is: ``family`` is ``ob``, ``endorsement``, ``clr`` or ``None``."""

    family: str | None
    vcdm: str | None

    @property
    def spec_version(self) -> str:
        base = {"clr": "CLR 2.0", None: "unknown"}.get(self.family, "3.0")
        return f"{base} (VCDM {self.vcdm})" if self.vcdm else base


def types_of(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def shape_of(doc: Mapping[str, Any]) -> Shape:
    types = types_of(doc.get("type"))
    family = ("clr" if "ClrCredential" in types else
              "endorsement" if "EndorsementCredential" in types else
              "ob" if any(t in types for t in OB_TYPES) else None)
    contexts = doc.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    vcdm = {VC_V2: "2.0", VC_V1: "1.1"}.get(first) if isinstance(first, str) else None
    return Shape(family, vcdm)


def issuer_of(doc: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``(issuer id, issuer name)`` from a URI or a Profile object."""
    issuer = doc.get("issuer")
    if isinstance(issuer, str):
        return issuer, None
    if isinstance(issuer, Mapping):
        ident, name = issuer.get("id"), issuer.get("name")
        return (ident if isinstance(ident, str) else None,
                name if isinstance(name, str) else None)
    return None, None


def check_conformance(doc: Mapping[str, Any]) -> list[Check]:
    """``conformance.context``, ``.type``, ``.subject`` and ``.required``."""
    shape = shape_of(doc)
    return [_context(doc, shape), _type(doc, shape), _subject(doc, shape), _required(doc, shape)]


def _context(doc: Mapping[str, Any], shape: Shape) -> Check:
    cid = "conformance.context"
    contexts = doc.get("@context")
    if not isinstance(contexts, list) or not contexts:
        return failed(cid, "context_missing", "The @context is not a non-empty list.")
    if shape.vcdm is None:
        return failed(cid, "context_not_vc",
                      f"The first @context is {contexts[0]!r}, not the W3C credentials context "
                      "(v1 or v2).")
    urls = [c for c in contexts[1:] if isinstance(c, str)]
    if shape.family == "clr":
        if not any(CLR_CONTEXT.match(u) for u in urls):
            return failed(cid, "context_not_clr", "The @context lacks the CLR 2.0 context.")
    elif not any(OB_CONTEXT.match(u) for u in urls):
        return failed(cid, "context_not_ob", "The @context lacks the Open Badges 3.0 context.")
    return passed(cid, "context_ok", f"The @context is VC Data Model {shape.vcdm} with the "
                  f"{'CLR 2.0' if shape.family == 'clr' else 'Open Badges 3.0'} context.")


def _type(doc: Mapping[str, Any], shape: Shape) -> Check:
    types = types_of(doc.get("type"))
    if "VerifiableCredential" not in types or shape.family is None:
        return failed("conformance.type", "type_unknown",
                      f"The type {types!r} is not an Open Badges 3.0, endorsement or CLR 2.0 "
                      "verifiable credential.")
    kind = {"clr": "ClrCredential", "endorsement": "EndorsementCredential"}.get(
        shape.family or "", next((t for t in types if t in OB_TYPES), "AchievementCredential"))
    return passed("conformance.type", "type_ok", f"The credential is a {kind}.")


def _subject(doc: Mapping[str, Any], shape: Shape) -> Check:
    cid = "conformance.subject"
    subject = doc.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return failed(cid, "subject_malformed", "credentialSubject is not a single object.")
    if shape.family == "endorsement":
        if not isinstance(subject.get("id"), str):
            return failed(cid, "subject_id_missing",
                          "The endorsement's credentialSubject has no id (what it endorses).")
        return passed(cid, "subject_ok", "The endorsement names what it endorses.")
    identifiers = subject.get("identifier")
    has_identifier = isinstance(identifiers, list) and bool(identifiers)
    if not isinstance(subject.get("id"), str) and not has_identifier:
        return failed(cid, "subject_unidentified",
                      "credentialSubject has neither an id nor an identifier.")
    if shape.family == "ob" and not isinstance(subject.get("achievement"), Mapping):
        return failed(cid, "achievement_missing",
                      "credentialSubject has no achievement object.")
    if shape.family == "clr" and not isinstance(subject.get("verifiableCredential", []), list):
        return failed(cid, "clr_members_malformed",
                      "credentialSubject.verifiableCredential is not a list.")
    return passed(cid, "subject_ok", "credentialSubject identifies the learner.")


def _required(doc: Mapping[str, Any], shape: Shape) -> Check:
    cid = "conformance.required"
    missing: list[str] = []
    if not isinstance(doc.get("id"), str) and shape.family != "clr":
        missing.append("id")
    if issuer_of(doc)[0] is None:
        missing.append("issuer (with an id)")
    if shape.family == "endorsement" and not isinstance(doc.get("name"), str):
        missing.append("name")
    start = "validFrom" if shape.vcdm == "2.0" else "issuanceDate"
    if start not in doc:
        missing.append(start)
    if missing:
        return failed(cid, "required_missing",
                      f"Required fields are missing: {', '.join(missing)}.", fields=missing)
    for name in ("validFrom", "validUntil", "issuanceDate", "expirationDate"):
        if name in doc:
            try:
                parse_datetime(doc[name])
            except ValueError as exc:
                return failed(cid, "date_malformed", f"{name} is not a valid date-time: {exc}.")
    return passed(cid, "required_present", "Every required field is present.")
