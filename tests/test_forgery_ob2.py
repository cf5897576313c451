"""Hostile OB 2.0 inputs: forgeries that must never come out ``verified`` (issue #10).

Each forgery is built with the test issuers of ``portfolio_gen.testing`` and verified
with no network at all (a :class:`StaticFetcher` holding only the documents a pins folder
would hold, or nothing), so no live fetch can mask the outcome; each has a control showing
that the genuine input still verifies. The redirect cases run against real loopback HTTP
servers. verification.md §7.14 (embedded issuer copies are attacker data) and §7.1.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.errors import ConfigError, ContextError
from portfolio_gen.ingest import RawCredential, read_file
from portfolio_gen.net.fetch import Fetcher
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import OfflineFetcher, StaticFetcher
from portfolio_gen.net.store import PinStore, make_fetcher, pin_urls
from portfolio_gen.testing.ob2 import (
    TestIssuer,
    b64url,
    cached_rsa_key,
    public_pem,
    sign_compact,
)
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob2 import collect_pin_urls, verify_ob2
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer

VICTIM = "https://badges.victim-university.example"
ATTACKER = "https://attacker.example"
ATTACKER_KEY_URL = ATTACKER + "/key.json"
ASSERTION_ID = "urn:uuid:3c7e9a52-1b4d-4e8f-9a61-0d2c5b7e8f90"


@pytest.fixture
def victim() -> TestIssuer:
    return TestIssuer(VICTIM, name="Victim University")


def attacker_key() -> Any:
    return cached_rsa_key(2048, slot=1)


def ingest(tmp_path: Path, name: str, data: str | bytes) -> RawCredential:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    [raw] = read_file(path)
    assert isinstance(raw, RawCredential), raw
    return raw


def verify(raw: RawCredential, fetcher: Fetcher) -> VerificationReport:
    return verify_ob2(raw, VerifyContext(fetcher, FIXED_NOW))


def pins(*issuers: TestIssuer) -> StaticFetcher:
    """What a pins folder would hold: the issuers' published documents, nothing live."""
    return with_docs({}, *issuers)


def with_docs(extra: Mapping[str, bytes], *issuers: TestIssuer) -> StaticFetcher:
    """The issuers' published documents, plus (or replaced by) ``extra`` URL → body."""
    docs: dict[str, bytes] = {}
    for issuer in issuers:
        docs.update(issuer.url_map())
    docs.update(extra)
    return StaticFetcher(docs)


def check(report: VerificationReport, check_id: str) -> Check:
    [found] = [c for c in report.checks if c.id == check_id]
    return found


def outcome(report: VerificationReport, check_id: str) -> tuple[CheckStatus, str]:
    found = check(report, check_id)
    return found.status, found.code


def not_verified(report: VerificationReport, verdict: Verdict) -> None:
    assert report.verdict is not Verdict.VERIFIED, report.to_dict()
    assert report.verdict is verdict, (report.verdict, report.reason)


# -- forged signed badges: issuer and key embedded in the attacker-signed payload (hole 1) -----

def attacker_key_doc(owner: str | None, key_id: str = ATTACKER_KEY_URL) -> dict[str, Any]:
    key = {"type": "CryptographicKey", "id": key_id, "owner": owner,
           "publicKeyPem": public_pem(attacker_key())}
    return {k: v for k, v in key.items() if v is not None}


def forged_jws(victim: TestIssuer, key: Mapping[str, Any], *,
               issuer_extra: Mapping[str, Any] | None = None) -> str:
    """The attack of issue #10 hole 1: the payload carries its own 'Victim University'
    profile (id = the victim's URL) listing the attacker's key, and is signed with it."""
    issuer = {**victim.issuer_profile(), "publicKey": [dict(key)], **(issuer_extra or {})}
    issuer.pop("revocationList")
    badge = {**victim.badge_class(), "name": "Doctor of Philosophy", "issuer": issuer}
    doc = victim.assertion(ASSERTION_ID, verification={"type": "SignedBadge",
                                                        "creator": dict(key)}, badge=badge)
    return sign_compact(doc, attacker_key())


def genuine_jws_with_embedded_issuer(victim: TestIssuer, **kw: Any) -> str:
    """The victim's own badge, with BadgeClass and issuer embedded in the signed payload."""
    badge = {**victim.badge_class(), "issuer": victim.issuer_profile()}
    return victim.signed_assertion("emb", badge=badge, assertion_id=ASSERTION_ID, **kw)


@pytest.mark.parametrize("owner", ["victim", None], ids=["owner-victim", "no-owner"])
def test_forged_embedded_issuer_is_unverifiable_with_nothing_pinned(
        victim: TestIssuer, tmp_path: Path, owner: str | None) -> None:
    key = attacker_key_doc(victim.issuer_url if owner else None)
    raw = ingest(tmp_path, "phd.jws", forged_jws(victim, key))
    report = verify(raw, OfflineFetcher())
    not_verified(report, Verdict.UNVERIFIABLE)
    assert outcome(report, "issuer.fetch") == (CheckStatus.WARN, "fetch_offline")
    assert victim.issuer_url in report.reason
    assert outcome(report, "proof.signature") == (CheckStatus.SKIP, "not_reached")


@pytest.mark.parametrize("owner", ["victim", None], ids=["owner-victim", "no-owner"])
def test_forged_embedded_issuer_with_victim_documents_pinned(
        victim: TestIssuer, tmp_path: Path, owner: str | None) -> None:
    """Even with the attacker's key served, the victim's own profile (fetched from its id)
    does not list that key, so it is not a candidate at all."""
    key = attacker_key_doc(victim.issuer_url if owner else None)
    raw = ingest(tmp_path, "phd.jws", forged_jws(victim, key))
    served_key = {ATTACKER_KEY_URL: json.dumps(key).encode()}
    report = verify(raw, with_docs(served_key, victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.key") == (CheckStatus.FAIL, "key_not_published")
    assert outcome(report, "proof.signature") == (CheckStatus.SKIP, "not_reached")
    assert report.issuer.name == "Victim University"  # from the fetched profile...
    assert report.related["issuer"]["publicKey"] == victim.key_url  # ...not the embedded one


def test_forged_key_claiming_the_victims_key_url(victim: TestIssuer, tmp_path: Path) -> None:
    """Embedded key with the victim's key id and the attacker's PEM: the key is read from
    its own URL, so the attacker's signature does not verify."""
    key = attacker_key_doc(victim.issuer_url, key_id=victim.key_url)
    raw = ingest(tmp_path, "phd.jws", forged_jws(victim, key))
    report = verify(raw, pins(victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.signature") == (CheckStatus.FAIL, "bad_signature")
    assert check(report, "proof.key").message.startswith(f"Fetched the signing key from "
                                                         f"{victim.key_url}")


def test_forged_badge_without_creator_uses_the_fetched_public_keys(victim: TestIssuer,
                                                                   tmp_path: Path) -> None:
    issuer = {**victim.issuer_profile(), "publicKey": [attacker_key_doc(victim.issuer_url)]}
    badge = {**victim.badge_class(), "issuer": issuer}
    doc = victim.assertion(ASSERTION_ID, verification={"type": "SignedBadge"}, badge=badge)
    raw = ingest(tmp_path, "phd.jws", sign_compact(doc, attacker_key()))
    report = verify(raw, pins(victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.signature") == (CheckStatus.FAIL, "bad_signature")
    assert report.key_id == victim.key_url


def test_genuine_signed_badge_with_embedded_issuer_verifies(victim: TestIssuer,
                                                            tmp_path: Path) -> None:
    raw = ingest(tmp_path, "genuine.jws", genuine_jws_with_embedded_issuer(victim))
    report = verify(raw, pins(victim))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert "embedded in the badge was used only for this URL" in check(
        report, "issuer.fetch").message
    assert report.issuer.id == victim.issuer_url
    # ...and offline with nothing pinned it is unverifiable, never verified from its copy.
    assert verify(raw, OfflineFetcher()).verdict is Verdict.UNVERIFIABLE


@pytest.mark.parametrize("issuer_id", ["urn:uuid:0b1c2d3e-4f50-4617-8899-aabbccddeeff",
                                       "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                                       "ftp://badges.victim-university.example/issuer"])
def test_embedded_issuer_without_http_id_is_unverifiable(victim: TestIssuer, tmp_path: Path,
                                                         issuer_id: str) -> None:
    key = attacker_key_doc(issuer_id)
    raw = ingest(tmp_path, "phd.jws", forged_jws(victim, key, issuer_extra={"id": issuer_id}))
    report = verify(raw, pins(victim))
    not_verified(report, Verdict.UNVERIFIABLE)
    assert outcome(report, "issuer.fetch") == (CheckStatus.WARN, "issuer_not_http")
    assert "not an HTTP(S) URL" in report.reason


def test_revocation_list_comes_from_the_fetched_profile(victim: TestIssuer,
                                                        tmp_path: Path) -> None:
    """The victim's genuine badge embeds an issuer copy naming an (empty) list elsewhere;
    the list named by the profile at the issuer's id revokes it."""
    empty_url = ATTACKER + "/empty.json"
    empty = {"type": "RevocationList", "id": empty_url, "revokedAssertions": []}
    badge = {**victim.badge_class(),
             "issuer": {**victim.issuer_profile(), "revocationList": empty_url}}
    raw = ingest(tmp_path, "revoked.jws", victim.signed_assertion(
        "rv", badge=badge, assertion_id=ASSERTION_ID))
    victim.revoke(ASSERTION_ID, "Issued in error")
    report = verify(raw, with_docs({empty_url: json.dumps(empty).encode()}, victim))
    not_verified(report, Verdict.REVOKED)
    assert check(report, "status.revocation").details["url"] == victim.revocation_url


# -- key ownership forgeries ---------------------------------------------------------------------

def test_creator_key_document_naming_another_owner(victim: TestIssuer, tmp_path: Path) -> None:
    """``creator`` points at the attacker's key document, owned by the attacker."""
    key = attacker_key_doc(ATTACKER + "/issuer.json")
    doc = victim.assertion(ASSERTION_ID, verification={"type": "SignedBadge",
                                                       "creator": ATTACKER_KEY_URL})
    raw = ingest(tmp_path, "b.jws", sign_compact(doc, attacker_key()))
    report = verify(raw, with_docs({ATTACKER_KEY_URL: json.dumps(key).encode()}, victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.key") == (CheckStatus.FAIL, "key_not_published")


def test_published_key_whose_owner_differs(victim: TestIssuer, tmp_path: Path) -> None:
    """The victim lists a key whose own document says someone else owns it."""
    victim.key_extra["owner"] = ATTACKER + "/issuer.json"
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("o1"))
    report = verify(raw, pins(victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.key_binding") == (CheckStatus.FAIL, "owner_mismatch")


def test_published_key_without_owner(victim: TestIssuer, tmp_path: Path) -> None:
    victim.key_extra["owner"] = None
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("o2"))
    report = verify(raw, pins(victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.key_binding") == (CheckStatus.FAIL, "owner_missing")


def test_header_kid_and_jwk_are_ignored(victim: TestIssuer, tmp_path: Path) -> None:
    """OB 2.0 names its key only by ``verification.creator``; a ``kid``/``jwk`` header
    pointing at the attacker's key changes nothing."""
    doc = victim.assertion(ASSERTION_ID, verification={"type": "SignedBadge",
                                                       "creator": victim.key_url})
    numbers = attacker_key().public_key().public_numbers()
    jwk = {"kty": "RSA", "n": b64url(numbers.n.to_bytes(256, "big")),
           "e": b64url(numbers.e.to_bytes(3, "big"))}
    header = {"alg": "RS256", "kid": ATTACKER_KEY_URL, "jwk": jwk}
    raw = ingest(tmp_path, "b.jws", sign_compact(doc, attacker_key(), header))
    report = verify(raw, pins(victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.signature") == (CheckStatus.FAIL, "bad_signature")


def test_control_genuine_signed_badge(victim: TestIssuer, tmp_path: Path) -> None:
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("ok"))
    report = verify(raw, pins(victim))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert outcome(report, "proof.key_binding") == (CheckStatus.PASS, "key_bound")


# -- BadgeClass: embedded versus published -------------------------------------------------------

def test_attacker_signed_copy_of_the_victims_badge_class(victim: TestIssuer,
                                                         tmp_path: Path) -> None:
    """The victim's BadgeClass id with a forged name, issuer by URL, attacker-signed."""
    badge = {**victim.badge_class(), "name": "Doctor of Philosophy"}
    doc = victim.assertion(ASSERTION_ID, badge=badge,
                           verification={"type": "SignedBadge", "creator": victim.key_url})
    raw = ingest(tmp_path, "b.jws", sign_compact(doc, attacker_key()))
    report = verify(raw, pins(victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.signature") == (CheckStatus.FAIL, "bad_signature")


def test_issuer_signed_embedded_badge_class_is_the_issuers_statement(victim: TestIssuer,
                                                                     tmp_path: Path) -> None:
    """Recorded outcome: when the *issuer's* key signs an embedded BadgeClass that differs
    from the published one, the signed copy is what the issuer vouched for; it verifies and
    is what the report shows (the signature covers it)."""
    badge = {**victim.badge_class(), "name": "Robotics Fundamentals (2025 edition)"}
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("bc", badge=badge))
    report = verify(raw, pins(victim))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.achievement_name == "Robotics Fundamentals (2025 edition)"


def test_hosted_assertion_elsewhere_embedding_the_victims_badge_class(
        victim: TestIssuer, tmp_path: Path) -> None:
    url = ATTACKER + "/assertions/phd.json"
    doc = victim.assertion(url, verification={"type": "HostedBadge"},
                           badge={**victim.badge_class(), "name": "Doctor of Philosophy"})
    raw = ingest(tmp_path, "phd.json", json.dumps(doc))
    report = verify(raw, with_docs({url: json.dumps(doc).encode()}, victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "hosted.scope") == (CheckStatus.FAIL, "origin_not_allowed")


# -- forged hosted assertions: embedded issuer policy (hole 2) -----------------------------------

def hosted_with_embedded_policy(victim: TestIssuer, url: str) -> dict[str, Any]:
    issuer = {**victim.issuer_profile(),
              "verification": {"allowedOrigins": ["attacker.example"],
                               "startsWith": [ATTACKER + "/"]}}
    badge = {**victim.badge_class(), "name": "Doctor of Philosophy", "issuer": issuer}
    return victim.assertion(url, verification={"type": "HostedBadge"}, badge=badge)


def test_embedded_issuer_policy_does_not_decide_scope(victim: TestIssuer,
                                                      tmp_path: Path) -> None:
    url = ATTACKER + "/assertions/phd.json"
    doc = hosted_with_embedded_policy(victim, url)
    raw = ingest(tmp_path, "phd.json", json.dumps(doc))
    report = verify(raw, with_docs({url: json.dumps(doc).encode()}, victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "hosted.scope") == (CheckStatus.FAIL, "origin_not_allowed")
    assert check(report, "hosted.scope").details["allowed"] == ["badges.victim-university.example"]
    # Nothing pinned for the issuer: unverifiable, still not verified.
    offline = verify(raw, StaticFetcher({url: json.dumps(doc).encode()}))
    not_verified(offline, Verdict.UNVERIFIABLE)
    assert outcome(offline, "issuer.fetch")[1] == "fetch_offline"


def test_control_same_assertion_hosted_by_the_victim(victim: TestIssuer,
                                                     tmp_path: Path) -> None:
    url = victim.url("/assertions/phd.json")
    doc = hosted_with_embedded_policy(victim, url)
    raw = ingest(tmp_path, "phd.json", json.dumps(doc))
    report = verify(raw, with_docs({url: json.dumps(doc).encode()}, victim))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert outcome(report, "hosted.scope") == (CheckStatus.PASS, "in_scope")


def test_issuer_profile_hosted_elsewhere_claiming_the_victims_id(victim: TestIssuer,
                                                                 tmp_path: Path) -> None:
    """A BadgeClass on the attacker's host points at an issuer document on the attacker's
    host that names itself with the victim's id (and allows the attacker's origin)."""
    fake_issuer_url = ATTACKER + "/issuer.json"
    fake_issuer = {**victim.issuer_profile(), "verification": {
        "allowedOrigins": ["attacker.example"]}}
    badge = {**victim.badge_class(), "id": ATTACKER + "/badge.json", "issuer": fake_issuer_url}
    url = ATTACKER + "/assertions/phd.json"
    doc = victim.assertion(url, verification={"type": "HostedBadge"}, badge=badge["id"])
    docs = {url: json.dumps(doc).encode(), badge["id"]: json.dumps(badge).encode(),
            fake_issuer_url: json.dumps(fake_issuer).encode()}
    report = verify(ingest(tmp_path, "phd.json", json.dumps(doc)), with_docs(docs, victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "issuer.valid") == (CheckStatus.FAIL, "id_mismatch")


@pytest.mark.parametrize(("served_at", "verdict"), [
    (VICTIM + "/issuer", Verdict.VERIFIED),                 # same folder, same host
    (VICTIM + "/other-tenant/issuer.json", Verdict.INVALID),  # same host, another folder
])
def test_issuer_profile_naming_a_sibling_url(victim: TestIssuer, tmp_path: Path,
                                             served_at: str, verdict: Verdict) -> None:
    """A profile may name itself by a sibling URL in its own folder (as 1EdTech's fixtures
    do), never by a URL in another folder: on a shared host that is someone else's. Even
    then the report names the issuer by the URL that served the profile."""
    badge = {**victim.badge_class(), "issuer": served_at}
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("sib", badge=badge))
    docs = {served_at: json.dumps(victim.issuer_profile()).encode()}
    report = verify(raw, with_docs(docs, victim))
    assert report.verdict is verdict, report.to_dict()
    if verdict is Verdict.VERIFIED:
        assert report.issuer.id == served_at
        assert f"names itself {victim.issuer_url}" in check(report, "issuer.valid").message
    else:
        assert outcome(report, "issuer.valid") == (CheckStatus.FAIL, "id_mismatch")


def test_hosted_document_naming_another_assertion(victim: TestIssuer, tmp_path: Path) -> None:
    doc = victim.hosted_assertion("h1")
    other = dict(doc, id=victim.url("/assertions/other.json"))
    docs = {str(doc["id"]): json.dumps(other).encode()}
    report = verify(ingest(tmp_path, "h.json", json.dumps(doc)), with_docs(docs, victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "hosted.fetch") == (CheckStatus.FAIL, "id_mismatch")


# -- hosted assertions and the issuer's revocation list (hole 3) ---------------------------------

@pytest.mark.parametrize("hosted_says", [None, False])
def test_hosted_assertion_in_revocation_list_is_revoked(victim: TestIssuer, tmp_path: Path,
                                                        hosted_says: bool | None) -> None:
    doc = victim.hosted_assertion("r1", revoked=hosted_says)
    victim.revoke(str(doc["id"]), "Academic misconduct")
    report = verify(ingest(tmp_path, "h.json", json.dumps(doc)), pins(victim))
    not_verified(report, Verdict.REVOKED)
    assert outcome(report, "status.revocation") == (CheckStatus.FAIL, "revoked")
    assert "Academic misconduct" in report.reason
    assert outcome(report, "hosted.revoked") == (CheckStatus.PASS, "not_revoked")


def test_hosted_assertion_with_unreadable_revocation_list(victim: TestIssuer,
                                                          tmp_path: Path) -> None:
    doc = victim.hosted_assertion("r2")
    docs = dict(victim.url_map())
    del docs[victim.revocation_url]
    report = verify(ingest(tmp_path, "h.json", json.dumps(doc)), StaticFetcher(docs))
    not_verified(report, Verdict.UNVERIFIABLE)
    assert report.reason.startswith("Revocation status could not be checked")


def test_control_hosted_assertion_not_in_revocation_list(victim: TestIssuer,
                                                         tmp_path: Path) -> None:
    doc = victim.hosted_assertion("r3")
    victim.revoke(victim.url("/assertions/someone-else.json"))
    report = verify(ingest(tmp_path, "h.json", json.dumps(doc)), pins(victim))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert outcome(report, "status.revocation") == (CheckStatus.PASS, "not_revoked")


# -- strict JSON for every fetched or pinned document (hole 6) -----------------------------------

def duplicated(doc: Mapping[str, Any], key: str, first_value: Any) -> bytes:
    """``doc`` as JSON with ``key`` appearing twice: ``first_value`` first, the real one last
    (Python's json keeps the last; other readers keep the first)."""
    body = json.dumps(dict(doc))
    return ("{" + json.dumps(key) + ": " + json.dumps(first_value) + ", " + body[1:]).encode()


@pytest.mark.parametrize("target", ["issuer", "key", "badge"])
def test_duplicate_keys_in_an_issuer_document(victim: TestIssuer, tmp_path: Path,
                                              target: str) -> None:
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("d1"))
    url, body = {
        "issuer": (victim.issuer_url, duplicated(victim.issuer_profile(), "publicKey",
                                                 ATTACKER_KEY_URL)),
        "key": (victim.key_url, duplicated(victim.crypto_key(), "owner",
                                           ATTACKER + "/issuer.json")),
        "badge": (victim.badge_url, duplicated(victim.badge_class(), "name",
                                               "Doctor of Philosophy")),
    }[target]
    report = verify(raw, with_docs({url: body}, victim))
    not_verified(report, Verdict.INVALID)
    assert "more than once" in report.reason and url in report.reason


def test_duplicate_keys_in_a_revocation_list(victim: TestIssuer, tmp_path: Path) -> None:
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("d2"))
    body = duplicated(victim.revocation_list(), "revokedAssertions", [ASSERTION_ID])
    report = verify(raw, with_docs({victim.revocation_url: body}, victim))
    assert report.verdict is not Verdict.VERIFIED
    assert "more than once" in check(report, "status.revocation").message


def test_duplicate_keys_in_a_hosted_assertion(victim: TestIssuer, tmp_path: Path) -> None:
    doc = victim.hosted_assertion("d3")
    body = duplicated(doc, "badge", ATTACKER + "/badge.json")
    report = verify(ingest(tmp_path, "h.json", json.dumps(doc)),
                    with_docs({str(doc["id"]): body}, victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "hosted.fetch") == (CheckStatus.FAIL, "not_json")


def test_duplicate_key_spelled_with_an_escape(victim: TestIssuer, tmp_path: Path) -> None:
    """``"\\u0069d"`` is ``"id"`` once decoded: still a duplicate, still refused."""
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("d6"))
    body = json.dumps(victim.issuer_profile())
    forged = ('{"\\u0069d": "https://attacker.example/issuer.json", ' + body[1:]).encode()
    report = verify(raw, with_docs({victim.issuer_url: forged}, victim))
    not_verified(report, Verdict.INVALID)
    assert "'id' more than once" in report.reason


@pytest.mark.parametrize("body", [
    b'{"type": "Issuer", "name": "Victim University", "score": NaN}',
    b'{"type": "Issuer", "name": "Victim University", "score": Infinity}',
    b'{"type": "Issuer", "x": ' + b"[" * 200 + b"]" * 200 + b"}",
], ids=["nan", "infinity", "deep"])
def test_non_json_constants_and_deep_nesting_in_the_issuer(victim: TestIssuer, tmp_path: Path,
                                                           body: bytes) -> None:
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("d4"))
    report = verify(raw, with_docs({victim.issuer_url: body}, victim))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "issuer.fetch") == (CheckStatus.FAIL, "not_json")


def test_control_strict_reader_accepts_the_genuine_documents(victim: TestIssuer,
                                                             tmp_path: Path) -> None:
    raw = ingest(tmp_path, "b.jws", victim.signed_assertion("d5"))
    pretty = {url: json.dumps(json.loads(body), indent=2).encode("utf-8-sig")
              for url, body in victim.url_map().items()}
    assert verify(raw, StaticFetcher(pretty)).verdict is Verdict.VERIFIED


def _ob3_raw(doc: Mapping[str, Any]) -> RawCredential:
    from portfolio_gen.ingest.raw import Container, Kind
    return RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL,
                         json.dumps(doc).encode(), document=doc)


@pytest.mark.parametrize("method", ["did:web", "https"])
def test_duplicate_keys_in_did_and_controller_documents(method: str) -> None:
    issuer = Ob3Issuer("Ed25519", method, host_port="issuer.example")  # type: ignore[arg-type]
    raw = _ob3_raw(issuer.sign_di(issuer.credential()))
    [(path, genuine)] = issuer.documents().items()
    url = "https://issuer.example" + path
    good = verify_item(raw, VerifyContext(StaticFetcher({url: genuine}), FIXED_NOW))
    assert good.verdict is Verdict.VERIFIED, good.to_dict()
    forged = duplicated(json.loads(genuine), "assertionMethod", [])
    report = verify_item(raw, VerifyContext(StaticFetcher({url: forged}), FIXED_NOW))
    not_verified(report, Verdict.INVALID)
    assert "more than once" in report.reason


def test_duplicate_keys_in_a_did_jwk() -> None:
    issuer = Ob3Issuer("Ed25519", "did:jwk")
    jwk = issuer.public_jwk
    doubled = duplicated(jwk, "x", jwk["x"][::-1])
    issuer.id = "did:jwk:" + base64.urlsafe_b64encode(doubled).rstrip(b"=").decode()
    issuer.vm_id = issuer.id + "#0"
    report = verify_item(_ob3_raw(issuer.sign_di(issuer.credential())),
                         VerifyContext(OfflineFetcher(), FIXED_NOW))
    not_verified(report, Verdict.INVALID)
    assert "more than once" in report.reason


def test_duplicate_terms_in_a_user_pinned_context() -> None:
    """A context pinned by hash is still read strictly: ``ex`` defined twice has no one
    meaning (pyld and jsonld.js could each take a different one)."""
    from portfolio_gen.verify.ob3 import jsonld

    data = (b'{"@context": {"ex": "https://example.org/a#", '
            b'"ex": "https://attacker.example/b#"}}')
    with pytest.raises(ContextError, match="more than once"):
        jsonld.default_store().extended([("https://example.org/ctx", data,
                                          hashlib.sha256(data).hexdigest())])
    good = data.replace(b', "ex": "https://attacker.example/b#"', b"")
    store = jsonld.default_store().extended([("https://example.org/ctx", good,
                                              hashlib.sha256(good).hexdigest())])
    assert "https://example.org/ctx" in store.urls()


def test_duplicate_keys_in_the_pins_index(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text('{"https://a.example/x": {}, "https://a.example/x": {}}')
    with pytest.raises(ConfigError, match="more than once"):
        PinStore(tmp_path).get("https://a.example/x")


# -- the pin command keeps the issuer's own documents --------------------------------------------

def test_pin_then_offline_verifies_embedded_issuer_badges_from_their_urls(
        victim: TestIssuer, tmp_path: Path) -> None:
    raw = ingest(tmp_path, "genuine.jws", genuine_jws_with_embedded_issuer(victim))
    live = StaticFetcher(victim.url_map())
    urls = collect_pin_urls(raw, live)
    assert victim.issuer_url in urls and victim.revocation_url in urls
    folder = tmp_path / "pins"
    pin_urls(urls, live, PinStore(folder))
    offline = make_fetcher(offline=True, pins=folder)
    assert verify(raw, offline).verdict is Verdict.VERIFIED
    forged = ingest(tmp_path, "phd.jws", forged_jws(victim, attacker_key_doc(victim.issuer_url)))
    report = verify(forged, offline)
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.key") == (CheckStatus.FAIL, "key_not_published")


# -- through real loopback servers: the forgery, and redirects to another host -------------------

@pytest.fixture
def two_hosts() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    with LoopbackServer() as victim_srv, LoopbackServer() as attacker_srv:
        yield victim_srv, attacker_srv


def _serve(srv: LoopbackServer, issuer: TestIssuer) -> None:
    for path, body in issuer.documents().items():
        srv.add(path, body)


def _live(*servers: LoopbackServer) -> VerifyContext:
    return VerifyContext(GuardedHttpFetcher(allow_hosts=[s.host_port for s in servers]),
                         FIXED_NOW)


def test_live_forged_embedded_issuer(two_hosts: tuple[LoopbackServer, LoopbackServer],
                                     tmp_path: Path) -> None:
    victim_srv, attacker_srv = two_hosts
    victim = TestIssuer(victim_srv.base + "/uni", name="Victim University")
    _serve(victim_srv, victim)
    key = attacker_key_doc(victim.issuer_url, key_id=attacker_srv.url("/key.json"))
    attacker_srv.add("/key.json", key)
    raw = ingest(tmp_path, "phd.jws", forged_jws(victim, key))
    report = verify_ob2(raw, _live(victim_srv, attacker_srv))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "proof.key") == (CheckStatus.FAIL, "key_not_published")
    assert attacker_srv.requests == []  # the attacker's key URL was never even fetched
    issuer_requests = [p for p, _ in victim_srv.requests if p.endswith("issuer.json")]
    assert issuer_requests == ["/uni/issuer.json"]  # the profile came from its own id
    genuine = ingest(tmp_path, "genuine.jws", genuine_jws_with_embedded_issuer(victim))
    assert verify_ob2(genuine, _live(victim_srv)).verdict is Verdict.VERIFIED


def test_live_hosted_assertion_through_an_open_redirect(
        two_hosts: tuple[LoopbackServer, LoopbackServer], tmp_path: Path) -> None:
    """The victim's site redirects ``/out`` anywhere; the attacker's page names itself with
    the victim's URL, so the default scope (the victim's host) would pass."""
    victim_srv, attacker_srv = two_hosts
    victim = TestIssuer(victim_srv.base + "/uni", name="Victim University")
    _serve(victim_srv, victim)
    claimed = victim_srv.url("/out")
    doc = victim.assertion(claimed, verification={"type": "HostedBadge"})
    attacker_srv.add("/phd.json", doc)
    victim_srv.add("/out", b"", status=302, headers={"Location": attacker_srv.url("/phd.json")})
    report = verify_ob2(ingest(tmp_path, "phd.json", json.dumps(doc)),
                        _live(victim_srv, attacker_srv))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "hosted.fetch") == (CheckStatus.FAIL, "id_mismatch")
    assert "redirected to" in report.reason
    # Control: a redirect within the victim's own host is the victim's answer.
    victim_srv.add("/moved", b"", status=301, headers={"Location": victim_srv.url("/new.json")})
    moved = victim.assertion(victim_srv.url("/moved"), verification={"type": "HostedBadge"})
    victim_srv.add("/new.json", moved)
    ok = verify_ob2(ingest(tmp_path, "m.json", json.dumps(moved)), _live(victim_srv))
    assert ok.verdict is Verdict.VERIFIED, ok.to_dict()


def test_live_issuer_profile_through_an_open_redirect(
        two_hosts: tuple[LoopbackServer, LoopbackServer], tmp_path: Path) -> None:
    victim_srv, attacker_srv = two_hosts
    victim = TestIssuer(victim_srv.base + "/uni", name="Victim University")
    _serve(victim_srv, victim)
    claimed = victim_srv.url("/out")
    key = attacker_key_doc(claimed, key_id=attacker_srv.url("/key.json"))
    fake = {**victim.issuer_profile(), "id": claimed, "publicKey": key["id"]}
    fake.pop("revocationList")
    attacker_srv.add("/issuer.json", fake)
    attacker_srv.add("/key.json", key)
    victim_srv.add("/out", b"", status=302,
                   headers={"Location": attacker_srv.url("/issuer.json")})
    badge = {**victim.badge_class(), "issuer": claimed}
    doc = victim.assertion(ASSERTION_ID, badge=badge,
                           verification={"type": "SignedBadge", "creator": key["id"]})
    raw = ingest(tmp_path, "phd.jws", sign_compact(doc, attacker_key()))
    report = verify_ob2(raw, _live(victim_srv, attacker_srv))
    not_verified(report, Verdict.INVALID)
    assert outcome(report, "issuer.valid") == (CheckStatus.FAIL, "id_mismatch")
    # Recorded outcome: the attacker's profile naming itself by its *own* final URL verifies,
    # but as the attacker's issuer (its URL, its host), never as the victim's.
    own = attacker_srv.url("/issuer.json")
    attacker_srv.add("/issuer.json", {**fake, "id": own})
    attacker_srv.add("/key.json", {**key, "owner": own})
    report = verify_ob2(raw, _live(victim_srv, attacker_srv))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.issuer.id == own and report.issuer.id != victim.issuer_url

