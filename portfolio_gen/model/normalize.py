"""Build a :class:`Credential` from a verification report, for OB 2.0 and OB 3.0 alike.

Display data comes only from what verification trusted: ``report.document`` (the OB 2.0
assertion or the OB 3.0 / CLR credential) and ``report.related`` (the OB 2.0 BadgeClass
and Issuer). Every field is untrusted JSON, so each reader accepts any shape and falls
back to ``None`` rather than raising.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from portfolio_gen.model.credential import (
    Alignment,
    Credential,
    Endorsement,
    Evidence,
    IssuerInfo,
    ResultItem,
)
from portfolio_gen.model.recipient import recipient_label, recipient_state, subject_id
from portfolio_gen.verify.anchor import issuer_phrase, origin_proven
from portfolio_gen.verify.dates import parse_datetime
from portfolio_gen.verify.jsonvalues import strings
from portfolio_gen.verify.report import VerificationReport

_UNNAMED = "Untitled credential"


def credential_from_report(report: VerificationReport, *, slug: str, source: str,
                           source_path: Path | None, file_bytes: bytes) -> Credential:
    """Normalise one report; unreadable files become a credential named after the file."""
    doc = report.document if isinstance(report.document, Mapping) else {}
    if not _is_ob3(doc):
        fields = _ob2_fields(doc, report.related)
    elif report.family == "vc":
        fields = _vc_fields(doc)
    else:
        fields = _ob3_fields(doc)
    # the id verification established (OB 2.0: where the profile was served from) and what
    # anchors the name
    issuer = _anchored(fields.pop("issuer"), report)
    name = fields.pop("name") or report.achievement_name or (
        f"Unreadable file {source}" if not doc else _UNNAMED)
    return Credential(
        slug=slug, name=name, issuer=issuer, report=report, source=source,
        source_path=source_path, file_bytes=file_bytes,
        recipient=recipient_state(report), recipient_label=recipient_label(doc),
        subject_id=subject_id(doc),
        image_alt=f"Badge image: {name}, issued by {issuer.phrase}",
        **{**fields, "endorsements": _endorsements(report)})


def _anchored(issuer: IssuerInfo, report: VerificationReport) -> IssuerInfo:
    """The display issuer with the report's anchor (a registry's name fills a missing one)."""
    ref = report.issuer
    name = issuer.name or report.issuer.name or ref.listed_name or "Unknown issuer"
    return replace(issuer, name=name, id=ref.id or issuer.id, anchor=ref.anchor,
                   anchor_detail=ref.anchor_detail, listed_name=ref.listed_name,
                   listed_url=ref.listed_url, proven=origin_proven(report))


# -- OB 2.0 ----------------------------------------------------------------------------------

def _ob2_fields(assertion: Mapping[str, Any], related: Mapping[str, Any]) -> dict[str, Any]:
    badge = _mapping(related.get("badge")) or _mapping(assertion.get("badge"))
    issuer_doc = _mapping(related.get("issuer")) or _mapping(badge.get("issuer"))
    criteria = badge.get("criteria")
    crit_map = _mapping(criteria)
    return {
        "name": _text(badge.get("name")),
        "description": _text(badge.get("description")) or "",
        "criteria": _text(crit_map.get("narrative")) or "",
        "criteria_url": _text(crit_map.get("id")) or _text(criteria),
        "image": _image(assertion.get("image")) or _image(badge.get("image")),
        "achievement_id": _text(badge.get("id")) or _text(assertion.get("badge")),
        "achievement_type": _text(badge.get("achievementType")) or ("Badge" if badge else None),
        "issuer": _issuer(issuer_doc, _text(badge.get("issuer"))),
        "issued": _date(assertion.get("issuedOn")),
        "valid_from": None,
        "expires": _date(assertion.get("expires")),
        "alignments": _alignments(badge.get("alignment")),
        "results": (),
        "credits": None,
        "evidence": _evidence(assertion.get("evidence")),
        "endorsements": (),  # from the verified nested reports (_endorsements)
        "tags": _strings(badge.get("tags")),
        "narrative": _text(assertion.get("narrative")),
    }


# -- OB 3.0 / CLR 2.0 ------------------------------------------------------------------------

def _is_ob3(doc: Mapping[str, Any]) -> bool:
    return "credentialSubject" in doc


def _ob3_fields(vc: Mapping[str, Any]) -> dict[str, Any]:
    subject = _mapping(_first(vc.get("credentialSubject")))
    achievement = _mapping(_first(subject.get("achievement")))
    criteria = _mapping(achievement.get("criteria"))
    issuer_value = vc.get("issuer")
    return {
        "name": _text(achievement.get("name")) or _text(vc.get("name")),
        "description": _text(achievement.get("description")) or _text(vc.get("description"))
        or "",
        "criteria": _text(criteria.get("narrative")) or "",
        "criteria_url": _text(criteria.get("id")),
        "image": (_image(achievement.get("image")) or _image(vc.get("image"))
                  or _image(subject.get("image"))),
        "achievement_id": _text(achievement.get("id")),
        "achievement_type": _achievement_type(vc, achievement),
        "issuer": _issuer(_mapping(issuer_value), _text(issuer_value)),
        "issued": _date(vc.get("awardedDate")) or _date(vc.get("validFrom"))
        or _date(vc.get("issuanceDate")),
        "valid_from": _date(vc.get("validFrom")) or _date(vc.get("issuanceDate")),
        "expires": _date(vc.get("validUntil")) or _date(vc.get("expirationDate")),
        "alignments": _alignments(achievement.get("alignment")),
        "results": _results(subject.get("result"), achievement.get("resultDescription")),
        "credits": _credits(subject, achievement),
        "evidence": _evidence(vc.get("evidence")),
        "endorsements": (),  # from the verified nested reports (_endorsements)
        "tags": _strings(achievement.get("tag")),
        "narrative": _text(subject.get("narrative")),
    }


def _achievement_type(vc: Mapping[str, Any], achievement: Mapping[str, Any]) -> str | None:
    kind = _text(achievement.get("achievementType"))
    if kind:
        return kind.removeprefix("ext:")
    if "ClrCredential" in strings(vc.get("type")):  # a single type is a list of one
        return "Comprehensive Learner Record"
    return "Achievement"


# -- plain W3C Verifiable Credentials ---------------------------------------------------------

_SUBJECT_SKIP = frozenset({"id", "type", "@context", "identifier"})
_MAX_SUBJECT_FIELDS = 20


def _vc_fields(vc: Mapping[str, Any]) -> dict[str, Any]:
    """A credential that is not an Open Badge: its own name and description, and what its
    subject states (name/description first, then other plain fields), nothing invented."""
    fields = _ob3_fields(vc)
    subject = _mapping(_first(vc.get("credentialSubject")))
    kinds = [t for t in strings(vc.get("type")) if t != "VerifiableCredential"]
    fields.update(
        name=_text(vc.get("name")) or (_spaced(kinds[0]) if kinds else "Verifiable credential"),
        description=_text(vc.get("description")) or _text(subject.get("description")) or "",
        achievement_type=_spaced(kinds[0]) if kinds else "Verifiable Credential",
        subject_fields=_subject_fields(subject))
    return fields


def _subject_fields(subject: Mapping[str, Any]) -> tuple[ResultItem, ...]:
    out: list[ResultItem] = []
    for key, value in subject.items():
        if key in _SUBJECT_SKIP or len(out) >= _MAX_SUBJECT_FIELDS:
            continue
        if isinstance(value, Mapping):  # a nested object: its name, if it has one
            value = value.get("name")
        text = _text(value) if not isinstance(value, list) else ", ".join(_strings(value))
        if text:
            out.append(ResultItem(_spaced(key), text))
    return tuple(out)


def _spaced(name: str) -> str:
    """``ExampleDegreeCredential`` / ``degreeName`` → ``Example degree credential``."""
    words, current = [], ""
    for ch in name.removeprefix("ext:"):
        if ch.isupper() and current and not current[-1].isupper():
            words.append(current)
            current = ch
        else:
            current += ch
    words.append(current)
    text = " ".join(w if w.isupper() else w.lower() for w in words if w)
    return text[:1].upper() + text[1:]


def _results(results: Any, descriptions: Any) -> tuple[ResultItem, ...]:
    names = {}
    for desc in _list(descriptions):
        desc = _mapping(desc)
        if _text(desc.get("id")) and _text(desc.get("name")):
            names[_text(desc.get("id"))] = _text(desc.get("name"))
    out = []
    for item in _list(results):
        item = _mapping(item)
        value = _text(item.get("value")) or _text(item.get("status")) or _text(
            item.get("achievedLevel"))
        if not value:
            continue
        label = names.get(_text(item.get("resultDescription"))) or "Result"
        out.append(ResultItem(str(label), value))
    return tuple(out)


def _credits(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> str | None:
    earned = _text(subject.get("creditsEarned"))
    available = _text(achievement.get("creditsAvailable"))
    if earned and available:
        return f"{earned} of {available}"
    return earned or available


#: What an endorsement is about, from where it sat (the nested report's source label).
_TARGETS = (("credentialSubject.achievement.", "the achievement"), ("badge.issuer.", "the issuer"),
            ("issuer.", "the issuer"), ("badge.", "the achievement"))


def _endorsements(report: VerificationReport) -> tuple[Endorsement, ...]:
    """Endorsements as verification judged them (OB 2.0 and 3.0 nested reports), in order."""
    out = []
    for nested in report.nested:
        label = nested.source.rsplit("#", 1)[-1]
        if "endorsement" not in label.lower():
            continue  # a CLR member credential, not an endorsement
        doc = nested.document if isinstance(nested.document, Mapping) else {}
        claim = _mapping(doc.get("credentialSubject")) or _mapping(doc.get("claim"))
        issuer = doc.get("issuer")
        name = (nested.issuer.name or _text(_mapping(issuer).get("name"))
                or nested.issuer.id or _text(issuer) or "Unknown endorser")
        target = next((what for prefix, what in _TARGETS if label.startswith(prefix)),
                      "this credential")
        verified = nested.verdict == "verified"
        ref = nested.issuer   # anchored by the pipeline, like the credential's own issuer
        phrase = issuer_phrase(name, ref.anchor, ref.anchor_detail, ref.listed_name,
                               proven=origin_proven(nested))
        out.append(Endorsement(name, _text(claim.get("endorsementComment")), nested.verdict,
                               target, nested.issuer.id, None if verified else nested.reason,
                               phrase))
    return tuple(out)


# -- shared readers --------------------------------------------------------------------------

def _issuer(doc: Mapping[str, Any], fallback_id: str | None) -> IssuerInfo:
    return IssuerInfo(
        name=_text(doc.get("name")) or "",
        id=_text(doc.get("id")) or fallback_id,
        url=_text(doc.get("url")),
        image=_image(doc.get("image")),
        email=None,  # never shown: issuer contact data is not needed on a portfolio
    )


def _alignments(value: Any) -> tuple[Alignment, ...]:
    out = []
    for item in _list(value):
        item = _mapping(item)
        name = _text(item.get("targetName"))
        if not name:
            continue
        out.append(Alignment(name, _text(item.get("targetUrl")), _text(item.get("targetFramework")),
                             _text(item.get("targetCode")), _text(item.get("targetDescription"))))
    return tuple(out)


def _evidence(value: Any) -> tuple[Evidence, ...]:
    out = []
    for item in _list(value):
        if isinstance(item, str):
            out.append(Evidence(url=item))
            continue
        item = _mapping(item)
        ev = Evidence(_text(item.get("name")), _text(item.get("description")),
                      _text(item.get("narrative")), _text(item.get("id")),
                      _text(item.get("genre")))
        if any((ev.name, ev.description, ev.narrative, ev.url)):
            out.append(ev)
    return tuple(out)


def _image(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("id")
    return _text(value)


def _date(value: Any) -> datetime | None:
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _first(value: Any) -> Any:
    items = _list(value)
    return items[0] if items else None


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip()
    return text or None


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(t for t in (_text(v) for v in _list(value)) if t)
