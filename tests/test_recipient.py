"""Recipient identity hashing and matching (verification.md §1.4)."""

from __future__ import annotations

import pytest

from portfolio_gen.verify.context import VerifyOptions
from portfolio_gen.verify.recipient import (
    IdentityClaim,
    check_recipient,
    claim_from_mapping,
    identity_hash_matches,
)
from portfolio_gen.verify.report import CheckStatus, Verdict

# Worked values from the specifications (verification.md §1.4).
MAYZE = "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"
OB3_EXAMPLE = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
MD5_PEPPER = "md5$4db814360656665a8633fb1ba8d9276f"  # md5("learner@example.org" + "pepper")


def test_spec_worked_values() -> None:
    assert identity_hash_matches(MAYZE, None, "mayze")
    assert identity_hash_matches(MAYZE, "", "mayze")
    assert identity_hash_matches(OB3_EXAMPLE, "Kosher", "a@example.com")
    assert identity_hash_matches(MD5_PEPPER, "pepper", "learner@example.org")


def test_hex_case_and_alg_case_insensitive() -> None:
    assert identity_hash_matches(MAYZE.upper().replace("SHA256$", "sha256$"), None, "mayze")
    assert identity_hash_matches("SHA256$" + MAYZE.split("$")[1], None, "mayze")


@pytest.mark.parametrize(("identity_hash", "salt", "candidate"), [
    (MAYZE, None, "mayze2"),
    (MAYZE, "salt", "mayze"),                     # salt matters
    (OB3_EXAMPLE, None, "Koshera@example.com"),   # order is identifier, then salt
    ("sha1$" + "0" * 40, None, "mayze"),          # unknown algorithm
    ("7a1a1b3f", None, "mayze"),                  # no algorithm prefix
])
def test_non_matches(identity_hash: str, salt: str | None, candidate: str) -> None:
    assert not identity_hash_matches(identity_hash, salt, candidate)


def _opts(*ids: str, strict: bool = False) -> VerifyOptions:
    return VerifyOptions(identities=ids, strict_recipient=strict)


def test_hashed_recipient_matches_and_message_hides_identity() -> None:
    claim = {"type": "email", "hashed": True, "salt": "Kosher", "identity": OB3_EXAMPLE}
    check = check_recipient([claim], _opts("someone@else.org", "A@Example.com"))
    assert check.status is CheckStatus.PASS
    assert "example.com" not in check.message.lower()
    assert "example.com" not in repr(check.details).lower()


def test_mismatch_warns_without_verdict() -> None:
    claim = {"type": "email", "hashed": True, "salt": "Kosher", "identity": OB3_EXAMPLE}
    check = check_recipient([claim], _opts("b@example.com"))
    assert (check.status, check.implies, check.code) == (CheckStatus.WARN, None,
                                                         "recipient_mismatch")
    assert "b@example.com" not in check.message


def test_mismatch_fails_when_strict() -> None:
    check = check_recipient([IdentityClaim("x@example.org")], _opts("y@example.org", strict=True))
    assert (check.status, check.implies) == (CheckStatus.FAIL, Verdict.INVALID)


def test_not_checked_without_identities() -> None:
    check = check_recipient([IdentityClaim("x@example.org")], _opts())
    assert (check.status, check.code) == (CheckStatus.SKIP, "not_checked")


def test_plain_email_case_insensitive_and_url_exact() -> None:
    assert check_recipient([IdentityClaim("Learner@Example.ORG")],
                           _opts("learner@example.org")).status is CheckStatus.PASS
    url = IdentityClaim("https://example.org/Me", type="url")
    assert check_recipient([url], _opts("https://example.org/me")).status is CheckStatus.WARN
    assert check_recipient([url], _opts("https://example.org/Me")).status is CheckStatus.PASS


def test_ob3_identity_object_shape() -> None:
    claim = claim_from_mapping({"type": "IdentityObject", "identityType": "emailAddress",
                                "hashed": True, "identityHash": OB3_EXAMPLE, "salt": "Kosher"})
    assert claim == IdentityClaim(OB3_EXAMPLE, "email", True, "Kosher")


@pytest.mark.parametrize("obj", [
    "nobody@example.org",
    {"type": "email", "hashed": True, "identity": "nobody@example.org"},
    {"type": "email", "hashed": False, "identity": MAYZE},
    {"type": "email", "hashed": "yes", "identity": MAYZE},
    {"type": "email", "hashed": True, "identity": MAYZE, "salt": 5},
    {"type": "email", "hashed": True},
])
def test_malformed_identity_is_reported_not_a_traceback(obj: object) -> None:
    """Who it was issued to cannot be read: a warning beside the verdict (it does not make
    a genuine credential a forgery); --strict-recipient or --strict make it a failure."""
    check = check_recipient([obj], _opts("a@example.com"))  # type: ignore[list-item]
    assert (check.status, check.implies, check.code) == (CheckStatus.WARN, None,
                                                         "malformed_identity")
    for strict in (VerifyOptions(("a@example.com",), strict_recipient=True),
                   VerifyOptions(("a@example.com",), strict=True)):
        check = check_recipient([obj], strict)  # type: ignore[list-item]
        assert (check.status, check.implies, check.code) == (CheckStatus.FAIL, Verdict.INVALID,
                                                             "malformed_identity")
