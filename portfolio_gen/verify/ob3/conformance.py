"""Data-model conformance of a Verifiable Credential (OB 3.0, CLR 2.0, or a plain VC).

the Open Badges verification rules: Open Badges 3.0 §Data Model (required fields),
§Verification step 1, and security item 16. These checks say how
the document departs from the OB 3.0 / VC data model; they never decide whether it
is genuine. Each departure is a ``conformance.*`` warning with a code and a sentence
saying what the specification requires, and the verdict stays what proof, binding,
status and dates say. ``strict`` (validator use) turns the warnings into failures.

A credential that is not an Open Badge at all (a plain ``VerifiableCredential``, a
status list credential given on its own) is family ``vc``: it is verified like any
other credential and only the rules of the VC data model apply to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from portfolio_gen.verify.checks import (
    CONFORMANCE_ACHIEVEMENT,
    CONFORMANCE_CONTEXT,
    CONFORMANCE_NODE_TYPES,
    CONFORMANCE_REQUIRED,
    CONFORMANCE_SUBJECT,
    CONFORMANCE_TYPE,
)
from portfolio_gen.verify.jsonvalues import as_list, strings
from portfolio_gen.verify.report import Check, nonconformant, passed

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$")
CLR_CONTEXT = re.compile(
    r"^https://purl\.imsglobal\.org/spec/clr/v2p0/context(-2\.\d\.\d)*\.json$")
OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
ACHIEVEMENT_TYPES = frozenset({
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
    "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion",
    "Certification", "CommunityService", "Competency", "Course", "CoCurricular", "Degree",
    "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership",
    "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate", "MasterDegree",
    "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma"})

#: property name -> the OB 3.0 class its object must be (when it states a ``type``).
_NODE_CLASSES = {
    "achievement": "Achievement", "identifier": "IdentityObject", "result": "Result",
    "resultDescription": "ResultDescription", "evidence": "Evidence", "issuer": "Profile",
    "parentOrg": "Profile", "source": "Profile", "creator": "Profile",
    "otherIdentifier": "IdentifierEntry", "alignment": "Alignment",
}
#: nested credentials and security blocks: verified (or ignored) on their own
_NOT_WALKED = frozenset({"endorsement", "endorsementJwt", "verifiableCredential", "proof",
                         "credentialStatus", "credentialSchema", "refreshService",
                         "termsOfUse", "@context"})
_SUBJECT_CLASS = {"ob": "AchievementSubject", "clr": "ClrSubject",
                  "endorsement": "EndorsementSubject"}
_MAX_NODES = 2000


@dataclass(frozen=True)
class Shape:
    """What the document is: ``family`` is ``ob``, ``endorsement``, ``clr`` or ``vc``."""

    family: str
    vcdm: str | None

    @property
    def is_badge(self) -> bool:
        return self.family != "vc"

    @property
    def report_family(self) -> str:
        """The report's ``family``: ``ob3`` (endorsements too), ``clr`` or ``vc``."""
        return {"clr": "clr", "vc": "vc"}.get(self.family, "ob3")

    @property
    def spec_version(self) -> str:
        base = {"clr": "CLR 2.0", "vc": "VC"}.get(self.family, "3.0")
        return f"{base} (VCDM {self.vcdm})" if self.vcdm else base


def types_of(value: object) -> list[str]:
    return strings(value)


def shape_of(doc: Mapping[str, Any]) -> Shape:
    types = types_of(doc.get("type"))
    family = ("clr" if "ClrCredential" in types else
              "endorsement" if "EndorsementCredential" in types else
              "ob" if any(t in types for t in OB_TYPES) else "vc")
    contexts = as_list(doc.get("@context"))
    first = contexts[0] if contexts else None
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


def subjects_of(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The subject objects (VCDM allows one or several)."""
    return [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, Mapping)]


def check_conformance(doc: Mapping[str, Any], strict: bool = False) -> list[Check]:
    """``conformance.context``, ``.type``, ``.subject``, ``.required`` and, for badges,
    ``.achievement`` and ``.node_types``."""
    shape = shape_of(doc)
    checks = [_context(doc, shape, strict), _type(doc, shape, strict),
              _subject(doc, shape, strict), _required(doc, shape, strict)]
    if shape.family == "ob":
        checks.append(_achievement(doc, strict))
    if shape.is_badge:
        checks.append(_node_types(doc, shape, strict))
    return checks


def _context(doc: Mapping[str, Any], shape: Shape, strict: bool) -> Check:
    cid = CONFORMANCE_CONTEXT
    contexts = as_list(doc.get("@context"))
    if not contexts:
        return nonconformant(cid, "context_missing", "The credential has no @context; a "
                             "Verifiable Credential must name the W3C credentials context "
                             "first.", strict)
    if shape.vcdm is None:
        return nonconformant(cid, "context_not_vc",
                             f"The first @context is {contexts[0]!r}; the VC Data Model "
                             "requires the W3C credentials context (v1 or v2) first.", strict)
    urls = strings(contexts[1:])
    if shape.family == "clr":
        if not any(CLR_CONTEXT.match(u) for u in urls):
            return nonconformant(cid, "context_not_clr", "The @context lacks the CLR 2.0 "
                                 "context that CLR 2.0 requires.", strict)
    elif shape.is_badge and not any(OB_CONTEXT.match(u) for u in urls):
        return nonconformant(cid, "context_not_ob", "The @context lacks the Open Badges 3.0 "
                             "context that OB 3.0 requires after the credentials context.",
                             strict)
    what = {"clr": " with the CLR 2.0 context", "vc": ""}.get(
        shape.family, " with the Open Badges 3.0 context")
    return passed(cid, "context_ok", f"The @context is VC Data Model {shape.vcdm}{what}.")


def _type(doc: Mapping[str, Any], shape: Shape, strict: bool) -> Check:
    cid = CONFORMANCE_TYPE
    types = types_of(doc.get("type"))
    if "VerifiableCredential" not in types:
        return nonconformant(cid, "type_not_vc", f"The type {types!r} lacks "
                             "VerifiableCredential, which the VC Data Model requires.", strict)
    if not shape.is_badge:
        return nonconformant(cid, "not_open_badge", f"The type {types!r} is a Verifiable "
                             "Credential but not an Open Badge: OB 3.0 requires "
                             "OpenBadgeCredential or AchievementCredential (or "
                             "EndorsementCredential, or ClrCredential for CLR 2.0).", strict,
                             types=types)
    kind = {"clr": "ClrCredential", "endorsement": "EndorsementCredential"}.get(
        shape.family, next((t for t in types if t in OB_TYPES), "AchievementCredential"))
    article = "an" if kind[:1] in "AEIOU" else "a"
    return passed(cid, "type_ok", f"The credential is {article} {kind}.")


def _subject(doc: Mapping[str, Any], shape: Shape, strict: bool) -> Check:
    cid = CONFORMANCE_SUBJECT
    raw = as_list(doc.get("credentialSubject"))
    subjects = subjects_of(doc)
    if not raw:
        return nonconformant(cid, "subject_missing", "The credential has no "
                             "credentialSubject, which the VC Data Model requires.", strict)
    if len(subjects) != len(raw):
        return nonconformant(cid, "subject_malformed", "A credentialSubject is not a JSON "
                             "object.", strict)
    if not shape.is_badge:
        return passed(cid, "subject_ok", "The credential has a credentialSubject.")
    if len(subjects) > 1:
        return nonconformant(cid, "subject_multiple", f"The credential has {len(subjects)} "
                             "subjects; Open Badges 3.0 allows exactly one.", strict)
    subject = subjects[0]
    if shape.family == "endorsement":
        if not isinstance(subject.get("id"), str):
            return nonconformant(cid, "subject_id_missing", "The endorsement's "
                                 "credentialSubject has no id; OB 3.0 requires the id of "
                                 "what it endorses.", strict)
        return passed(cid, "subject_ok", "The endorsement names what it endorses.")
    identifiers = subject.get("identifier")
    if not isinstance(subject.get("id"), str) and not as_list(identifiers):
        return nonconformant(cid, "subject_unidentified", "credentialSubject has neither an "
                             "id nor an identifier; OB 3.0 requires one of them to name the "
                             "recipient.", strict)
    if identifiers is not None and not isinstance(identifiers, list):
        return nonconformant(cid, "identifier_not_list", "credentialSubject.identifier is a "
                             "single object; OB 3.0 requires a list (it was read as a list "
                             "of one).", strict)
    if shape.family == "ob" and not any(isinstance(a, Mapping)
                                        for a in as_list(subject.get("achievement"))):
        return nonconformant(cid, "achievement_missing", "credentialSubject has no "
                             "achievement object, which OB 3.0 requires.", strict)
    return passed(cid, "subject_ok", "credentialSubject identifies the learner.")


def _required(doc: Mapping[str, Any], shape: Shape, strict: bool) -> Check:
    cid = CONFORMANCE_REQUIRED
    missing: list[str] = []
    if shape.is_badge and not isinstance(doc.get("id"), str) and shape.family != "clr":
        missing.append("id")
    if issuer_of(doc)[0] is None:
        missing.append("issuer (with an id)")
    if shape.family == "endorsement" and not isinstance(doc.get("name"), str):
        missing.append("name")
    start = "validFrom" if shape.vcdm == "2.0" else "issuanceDate"
    if start not in doc and (shape.is_badge or shape.vcdm == "1.1"):
        missing.append(start)
    if missing:
        spec = "Open Badges 3.0" if shape.is_badge else "the VC Data Model"
        return nonconformant(cid, "required_missing", f"Fields {spec} requires are missing: "
                             f"{', '.join(missing)}.", strict, fields=missing)
    return passed(cid, "required_present", "Every required field is present.")


def _achievement(doc: Mapping[str, Any], strict: bool) -> Check:
    cid = CONFORMANCE_ACHIEVEMENT
    subjects = subjects_of(doc)
    achievement = next((a for s in subjects[:1] for a in as_list(s.get("achievement"))
                        if isinstance(a, Mapping)), None)
    if achievement is None:
        return passed(cid, "achievement_absent", "No achievement to check (see "
                      "conformance.subject).")
    missing = [name for name in ("id", "name", "description", "criteria")
               if achievement.get(name) in (None, "", {})]
    if missing:
        return nonconformant(cid, "achievement_incomplete", "The achievement lacks "
                             f"{', '.join(missing)}, which OB 3.0 requires.", strict,
                             fields=missing)
    kind = achievement.get("achievementType")
    if kind is not None and not (isinstance(kind, str) and (
            kind in ACHIEVEMENT_TYPES or kind.startswith("ext:"))):
        return nonconformant(cid, "achievement_type_unknown", f"The achievementType {kind!r} "
                             "is neither an OB 3.0 achievement type nor an 'ext:' name.",
                             strict, achievement_type=kind)
    return passed(cid, "achievement_ok", "The achievement has every field OB 3.0 requires.")


def _node_types(doc: Mapping[str, Any], shape: Shape, strict: bool) -> Check:
    """Typed objects (subject, results, evidence, profiles…) name the class OB 3.0 gives them."""
    cid = CONFORMANCE_NODE_TYPES
    wrong = [f"{path} ({types!r}, expected {expected})"
             for path, expected, types in _typed_nodes(doc, shape)
             if types and expected not in types]
    if wrong:
        shown = "; ".join(wrong[:6]) + (" …" if len(wrong) > 6 else "")
        return nonconformant(cid, "node_type_unknown", "Objects have a type OB 3.0 does not "
                             f"define for them: {shown}.", strict, nodes=wrong)
    return passed(cid, "node_types_ok", "Every typed object has the type OB 3.0 gives it.")


def _typed_nodes(doc: Mapping[str, Any], shape: Shape) -> Iterator[tuple[str, str, list[str]]]:
    stack: list[tuple[str, object]] = [("credentialSubject", s)
                                       for s in as_list(doc.get("credentialSubject"))]
    stack += [(name, doc.get(name)) for name in ("issuer", "evidence")]
    seen = 0
    while stack and seen < _MAX_NODES:
        path, value = stack.pop()
        for item in as_list(value):
            if not isinstance(item, Mapping):
                continue
            seen += 1
            prop = path.rsplit(".", 1)[-1]
            expected = (_SUBJECT_CLASS.get(shape.family) if prop == "credentialSubject"
                        else _NODE_CLASSES.get(prop))
            if expected is not None and "type" in item:
                yield path, expected, types_of(item.get("type"))
            for key, child in item.items():
                if key not in _NOT_WALKED and isinstance(child, Mapping | list):
                    stack.append((f"{path}.{key}", child))
