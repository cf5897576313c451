"""Is this credential awarded to the learner? (the Open Badges verification rules: Open Badges 2.0
§IdentityHash)

A credential names its recipient by identity objects, plain or hashed as
``alg$hex(H(identifier ‖ salt))``. The learner's identifiers come from
configuration (``VerifyOptions.identities``). Messages never repeat the
learner's identifier, only its type, because reports are published.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from portfolio_gen.errors import MalformedIdentity
from portfolio_gen.verify.checks import RECIPIENT_IDENTIFIER
from portfolio_gen.verify.context import VerifyOptions
from portfolio_gen.verify.report import Check, Verdict, failed, passed, skipped, undecided

_HASH_FORMAT = re.compile(r"(md5\$[0-9a-fA-F]{32}|sha256\$[0-9a-fA-F]{64})")
_HASHERS = {"sha256": hashlib.sha256, "md5": hashlib.md5}


@dataclass(frozen=True)
class IdentityClaim:
    """One way a credential names its recipient (OB 2.0 IdentityObject, OB 3.0 identifier/id)."""

    identity: str
    type: str = "email"
    hashed: bool = False
    salt: str | None = None




def identity_hash_matches(identity_hash: str, salt: str | None, candidate: str) -> bool:
    """Whether ``candidate`` hashes (identifier first, then salt) to ``identity_hash``."""
    alg, sep, digest = identity_hash.partition("$")
    hasher = _HASHERS.get(alg.lower())
    if not sep or hasher is None:
        return False
    computed = hasher((candidate + (salt or "")).encode("utf-8")).hexdigest()
    return hmac.compare_digest(computed, digest.strip().lower())


def claim_from_mapping(obj: object) -> IdentityClaim:
    """An :class:`IdentityClaim` from an OB 2.0 ``recipient`` or OB 3.0 ``IdentityObject``."""
    if not isinstance(obj, Mapping):
        raise MalformedIdentity("the recipient identity is not a JSON object")
    identity = obj.get("identity", obj.get("identityHash"))
    kind = obj.get("identityType", obj.get("type", "email"))
    hashed = obj.get("hashed", False)
    salt = obj.get("salt")
    if not isinstance(identity, str) or not identity:
        raise MalformedIdentity("the recipient identity is missing or not a string")
    if not isinstance(kind, str):
        raise MalformedIdentity("the recipient identity type is not a string")
    if not isinstance(hashed, bool):
        raise MalformedIdentity("the recipient 'hashed' flag is not true or false")
    if salt is not None and not isinstance(salt, str):
        raise MalformedIdentity("the recipient salt is not a string")
    looks_hashed = _HASH_FORMAT.fullmatch(identity) is not None
    if hashed and not looks_hashed:
        raise MalformedIdentity("the recipient identity is marked hashed but is not "
                                "'sha256$<64 hex>' or 'md5$<32 hex>'")
    if not hashed and looks_hashed:
        raise MalformedIdentity("the recipient identity looks hashed but 'hashed' is false")
    return IdentityClaim(identity, _short_type(kind), hashed, salt)


def claim_matches(claim: IdentityClaim, candidate: str) -> bool:
    """Compare one configured identifier with one claim (emails case-insensitively)."""
    variants = {candidate, candidate.strip()}
    if claim.type == "email" or "@" in candidate:
        variants |= {v.lower() for v in variants}
    if claim.hashed:
        return any(identity_hash_matches(claim.identity, claim.salt, v) for v in variants)
    if claim.type == "email":
        return claim.identity.strip().lower() in {v.lower() for v in variants}
    return claim.identity.strip() in variants


def check_recipient(claims: Iterable[IdentityClaim | Mapping[str, Any]],
                    options: VerifyOptions) -> Check:
    """``recipient.identifier``: pass on a match, warn on mismatch (fail when strict)."""
    try:
        parsed = [c if isinstance(c, IdentityClaim) else claim_from_mapping(c) for c in claims]
    except MalformedIdentity as exc:
        # who it was issued to cannot be read: a holder-binding problem, not a forgery
        message = f"Recipient identity is malformed: {exc}."
        if options.strict or options.strict_recipient:
            return failed(RECIPIENT_IDENTIFIER, "malformed_identity", message)
        return undecided(RECIPIENT_IDENTIFIER, "malformed_identity", message, None)
    if not options.identities:
        return skipped(RECIPIENT_IDENTIFIER, "not_checked",
                       "Recipient not checked: no learner identities are configured.")
    if not parsed:
        return _mismatch(options, "no_recipient", "The credential names no recipient to compare.")
    for claim in parsed:
        if any(claim_matches(claim, candidate) for candidate in options.identities):
            how = "hashed " if claim.hashed else ""
            return passed(RECIPIENT_IDENTIFIER, "recipient_matches",
                          f"Awarded to you: the {how}{claim.type} identity matches a configured "
                          "learner identity.", type=claim.type, hashed=claim.hashed)
    kinds = sorted({c.type for c in parsed})
    return _mismatch(options, "recipient_mismatch",
                     f"The recipient ({', '.join(kinds)}) matches none of the configured "
                     "learner identities.", types=kinds)


def _mismatch(options: VerifyOptions, code: str, message: str, **details: Any) -> Check:
    if options.strict_recipient:
        return failed(RECIPIENT_IDENTIFIER, code, message, Verdict.INVALID, **details)
    return undecided(RECIPIENT_IDENTIFIER, code, message, None, **details)


def _short_type(kind: str) -> str:
    """``emailAddress``/``email`` → ``email``; other OB 3.0 identity types keep their name."""
    return {"emailaddress": "email", "email": "email", "url": "url", "telephone": "telephone",
            "phone": "telephone", "id": "id"}.get(kind.lower(), kind)
