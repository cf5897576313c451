"""Keep learner identifiers (emails, phone numbers, DIDs from the profile) out of outputs.

Identifiers exist only for recipient matching; a cohort page, index or staff file that
repeats one would leak contact data of someone who consented to be shown, not to be
contacted. Every free text the cohort writes passes through :func:`scrub`, and a
credential whose downloads name the learner by plain email or phone
(:func:`plain_identifiers`) is published without them unless the learner opted in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[redacted]"
EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
#: International numbers (+44 7700 900123, +1 (555) 010-9999); dates are not matched.
PHONE = re.compile(r"(?:tel:)?\+\d[\d ().-]{6,}\d")


def scrub(text: str, identifiers: Iterable[str] = ()) -> str:
    """``text`` with the given identifiers and anything shaped like an email or phone removed."""
    for ident in sorted({i.strip() for i in identifiers if i and i.strip()}, key=len,
                        reverse=True):
        text = re.sub(re.escape(ident), REDACTED, text, flags=re.IGNORECASE)
    return PHONE.sub(REDACTED, EMAIL.sub(REDACTED, text))


#: Where a credential names its holder: OB 2.0 ``recipient``, OB 3.0 ``credentialSubject``
#: (its ``identifier`` list), a JWT's ``sub`` claim.
_HOLDER_KEYS = frozenset({"recipient", "credentialSubject", "sub"})


def plain_identifiers(document: Any, original: bytes, identifiers: Iterable[str] = ()
                      ) -> list[str]:
    """What makes a credential's downloads carry contact data: ``["email", "phone"]`` found
    in plain text where the credential names its holder (a hashed identity is not plain),
    or one of the learner's own identifiers anywhere in the JSON or the original file."""
    found: set[str] = set(_plain_identity_objects(document))
    holder = " ".join(json.dumps(v, ensure_ascii=False) for v in _holder_parts(document))
    if EMAIL.search(holder):
        found.add("email")
    if PHONE.search(holder):
        found.add("phone")
    text = json.dumps(document, ensure_ascii=False).casefold() + "\n" + original.decode(
        "utf-8", errors="replace").casefold()
    for ident in identifiers:
        ident = ident.strip()
        if ident and ident.casefold() in text:
            if EMAIL.fullmatch(ident):
                found.add("email")
            elif PHONE.fullmatch(ident):
                found.add("phone")
    return sorted(found)


def _holder_parts(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _HOLDER_KEYS:
                yield item
            else:
                yield from _holder_parts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _holder_parts(item)


#: Identity types that are contact data: OB 2.0 ``recipient.type``, OB 3.0 ``identityType``.
_CONTACT_TYPES = {"email": "email", "emailaddress": "email", "telephone": "phone",
                  "phone": "phone"}


def _plain_identity_objects(value: Any) -> Iterable[str]:
    """Kinds of unhashed identity objects (OB 2.0 recipient, OB 3.0 IdentityObject) anywhere
    in the document, whatever the value looks like (a national phone number has no ``+``)."""
    if isinstance(value, dict):
        kind = _CONTACT_TYPES.get(str(value.get("identityType") or value.get("type") or ""
                                      ).casefold())
        plain = value.get("hashed") is not True and isinstance(
            value.get("identity", value.get("identityHash")), str)
        if kind and plain:
            yield kind
        for item in value.values():
            yield from _plain_identity_objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _plain_identity_objects(item)
