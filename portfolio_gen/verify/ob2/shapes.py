"""Structural rules for OB 2.0 (and 1.x) documents (the Open Badges verification rules: Open
Badges 2.0 data model).

Each ``*_problems`` function returns human sentences for the required fields
that are missing or of the wrong type, so bad input becomes an ``invalid``
check instead of a traceback. Rules are deliberately those of the spec's
required fields; optional fields are only type-checked where verification or
rendering reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from portfolio_gen.verify.dates import parse_datetime

OB2_CONTEXTS = frozenset({"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json",
                          "https://w3id.org/openbadges/v2/"})
OB1_CONTEXTS = frozenset({"https://w3id.org/openbadges/v1", "https://w3id.org/openbadges/v1/"})
_OBI = "https://w3id.org/openbadges#"


def as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def node_id(value: object) -> str | None:
    """The IRI of a node given as an IRI string or as an object with ``id``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def is_http_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def has_type(doc: Mapping[str, Any], *names: str) -> bool:
    types = as_list(doc.get("type"))
    return any(t in names or (isinstance(t, str) and t.removeprefix(_OBI) in names)
               for t in types)


def spec_version(doc: Mapping[str, Any]) -> str | None:
    """``"2.0"``, ``"1.x"``, or ``None`` when the ``@context`` names neither."""
    context = doc.get("@context")
    if context is None:
        return "1.x"
    entries = as_list(context)
    if any(isinstance(c, str) and c in OB2_CONTEXTS for c in entries):
        return "2.0"
    if any(isinstance(c, str) and c in OB1_CONTEXTS for c in entries):
        return "1.x"
    return None


def verification_object(doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """``verification`` (2.0) or its 1.x alias ``verify``."""
    value = doc.get("verification", doc.get("verify"))
    return value if isinstance(value, Mapping) else None


def verification_type(doc: Mapping[str, Any]) -> str | None:
    """``"hosted"`` or ``"signed"`` (aliases and IRIs folded), else ``None``."""
    obj = verification_object(doc)
    kind = obj.get("type") if obj is not None else None
    if not isinstance(kind, str):
        return None
    kind = kind.removeprefix(_OBI).lower()
    return {"hostedbadge": "hosted", "hosted": "hosted", "signedbadge": "signed",
            "signed": "signed"}.get(kind)


def assertion_id(doc: Mapping[str, Any]) -> str | None:
    """``id``, or the legacy ``uid`` of pre-1.1 assertions."""
    for key in ("id", "uid"):
        if isinstance(doc.get(key), str) and doc[key]:
            return str(doc[key])
    return None


def parse_issued_on(value: object, version: str) -> datetime:
    """``issuedOn``; 1.x badges may give a Unix timestamp."""
    if version == "1.x" and isinstance(value, int | str) and str(value).isdigit():
        return datetime.fromtimestamp(int(value), tz=UTC)
    return parse_datetime(value)


# ``*_problems`` are what verification cannot do without (a forgery or an unreadable file
# fails on them); ``*_departures`` are data-model rules whose breach leaves authenticity
# intact: conformance warnings (the Open Badges verification rules: security item 16), failures
# only in strict mode.

def assertion_problems(doc: Mapping[str, Any], version: str) -> list[str]:
    problems: list[str] = []
    if assertion_id(doc) is None:
        problems.append("it has no id")
    badge = doc.get("badge")
    if not (isinstance(badge, Mapping) or (isinstance(badge, str) and badge)):
        problems.append("its badge is neither a URL nor an embedded BadgeClass")
    if verification_type(doc) is None:
        problems.append("its verification type is missing or not hosted/signed")
    _date(doc, "issuedOn", version, problems, required=True)
    _date(doc, "expires", version, problems, required=False)
    if "revoked" in doc and not isinstance(doc["revoked"], bool):
        problems.append("its revoked flag is not true or false")
    return problems


def assertion_departures(doc: Mapping[str, Any], version: str) -> list[str]:
    problems: list[str] = []
    if version == "2.0" and not has_type(doc, "Assertion"):
        problems.append(f"its type is {doc.get('type')!r}, not 'Assertion'")
    if not isinstance(doc.get("recipient"), Mapping):
        problems.append("its recipient is missing or not an object")
    image = node_id(doc.get("image")) if "image" in doc else ""
    if image is None:
        problems.append("its image is neither a URL nor an object with an id")
    elif image.startswith("data:"):
        problems.append("its image is a data: URI, but an assertion image must be a URL")
    _optional_str(doc, ("narrative", "revocationReason"), problems)
    return problems


def badge_problems(doc: Mapping[str, Any], version: str) -> list[str]:
    problems: list[str] = []
    if node_id(doc.get("issuer")) is None:
        problems.append("its issuer is neither a URL nor an embedded Profile")
    return problems


def badge_departures(doc: Mapping[str, Any], version: str) -> list[str]:
    problems: list[str] = []
    if version == "2.0" and not has_type(doc, "BadgeClass"):
        problems.append(f"its type is {doc.get('type')!r}, not 'BadgeClass'")
    if version == "2.0" and not isinstance(doc.get("id"), str):
        problems.append("it has no id")
    _required_str(doc, ("name", "description"), problems)
    if node_id(doc.get("image")) is None:
        problems.append("its image is missing")
    criteria = doc.get("criteria")
    if not isinstance(criteria, str | Mapping):
        problems.append("its criteria are missing")
    if "tags" in doc and not all(isinstance(t, str) for t in as_list(doc["tags"])):
        problems.append("its tags are not all strings")
    for item in as_list(doc.get("alignment")):
        if not (isinstance(item, Mapping) and isinstance(item.get("targetName"), str)
                and isinstance(item.get("targetUrl"), str)):
            problems.append("an alignment lacks targetName or targetUrl")
            break
    return problems


def issuer_problems(doc: Mapping[str, Any], version: str) -> list[str]:
    problems: list[str] = []
    if version == "2.0" and not isinstance(doc.get("id"), str):
        problems.append("it has no id")
    _optional_str(doc, ("revocationList",), problems)
    if "verification" in doc and not isinstance(doc["verification"], Mapping):
        problems.append("its verification policy is not an object")
    if any(node_id(k) is None for k in as_list(doc.get("publicKey"))):
        problems.append("a publicKey entry is neither a URL nor an object with an id")
    return problems


def issuer_departures(doc: Mapping[str, Any], version: str) -> list[str]:
    problems: list[str] = []
    if version == "2.0" and not has_type(doc, "Issuer", "Profile"):
        problems.append(f"its type is {doc.get('type')!r}, not 'Issuer' or 'Profile'")
    _required_str(doc, ("name",), problems)
    _optional_str(doc, ("url", "email", "description"), problems)
    return problems


def key_problems(doc: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    if "type" in doc and not has_type(doc, "CryptographicKey"):
        problems.append(f"its type is {doc.get('type')!r}, not 'CryptographicKey'")
    _required_str(doc, ("publicKeyPem",), problems)
    _optional_str(doc, ("id", "owner"), problems)
    return problems


def _date(doc: Mapping[str, Any], name: str, version: str, problems: list[str], *,
          required: bool) -> None:
    if name not in doc:
        if required:
            problems.append(f"it has no {name} date")
        return
    try:
        parse_issued_on(doc[name], version)
    except ValueError as exc:
        problems.append(f"its {name} is unusable: {exc}")


def _required_str(doc: Mapping[str, Any], names: tuple[str, ...], problems: list[str]) -> None:
    for name in names:
        if not isinstance(doc.get(name), str) or not doc[name].strip():
            problems.append(f"its {name} is missing or not text")


def _optional_str(doc: Mapping[str, Any], names: tuple[str, ...], problems: list[str]) -> None:
    for name in names:
        if name in doc and not isinstance(doc[name], str):
            problems.append(f"its {name} is not text")
