"""OB 2.0 signed (compact JWS) verification against a real loopback server (§1.3, §7.4-5)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio_gen.ingest import RawCredential, read_file
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import OfflineFetcher, StaticFetcher
from portfolio_gen.testing.ob2 import TestIssuer, b64url, cached_rsa_key, sign_compact
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.ob2 import collect_pin_urls, verify_ob2
from portfolio_gen.verify.report import CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def issuer(srv: LoopbackServer) -> TestIssuer:
    return TestIssuer(srv.base + "/uni")


def run(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path, jws: str,
        identities: tuple[str, ...] = ()) -> VerificationReport:
    for path, body in issuer.documents().items():
        srv.add(path, body)
    path = tmp_path / "badge.jws"
    path.write_text(jws)
    [raw] = read_file(path)
    assert isinstance(raw, RawCredential), raw
    ctx = VerifyContext(GuardedHttpFetcher(allow_hosts=[srv.host_port]), FIXED_NOW,
                        VerifyOptions(identities))
    return verify_ob2(raw, ctx)


def status(report: VerificationReport, check_id: str) -> tuple[CheckStatus, str]:
    [found] = [c for c in report.checks if c.id == check_id]
    return found.status, found.code


def test_valid_signed_badge(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path) -> None:
    report = run(srv, issuer, tmp_path, issuer.signed_assertion("s1"), ("learner@example.org",))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    for check_id in ("proof.key", "proof.signature", "proof.key_binding", "status.revocation",
                     "badge.valid", "issuer.valid", "validity.not_before",
                     "recipient.identifier"):
        assert status(report, check_id)[0] is CheckStatus.PASS, check_id
    assert report.key_id == issuer.key_url
    assert report.related["key"]["owner"] == issuer.issuer_url
    assert report.format == "jws" and report.credential_id is not None
    assert report.credential_id.startswith("urn:uuid:")
    fetched = {p for p, _ in srv.requests}
    assert fetched == {"/uni/badge.json", "/uni/issuer.json", "/uni/key.json",
                       "/uni/revocations.json"}


def test_tampered_payload_fails(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path) -> None:
    head, payload, sig = issuer.signed_assertion("s1").split(".")
    doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    doc["expires"] = "2099-01-01T00:00:00Z"
    forged = f"{head}.{b64url(json.dumps(doc).encode())}.{sig}"
    report = run(srv, issuer, tmp_path, forged)
    assert report.verdict is Verdict.INVALID
    assert status(report, "proof.signature") == (CheckStatus.FAIL, "bad_signature")


def test_signature_is_checked_over_the_bytes_as_found(srv: LoopbackServer, issuer: TestIssuer,
                                                      tmp_path: Path) -> None:
    # Same JSON meaning, different bytes (whitespace): must still verify, i.e. no re-encoding.
    doc = issuer.assertion("urn:uuid:0f2b4a52-9c1e-4d7e-8a63-2b9f1c2d3e4f",
                           verification={"type": "SignedBadge", "creator": issuer.key_url})
    jws = sign_compact(json.dumps(doc, indent=3).encode(), issuer.key)
    assert run(srv, issuer, tmp_path, jws).verdict is Verdict.VERIFIED


def test_wrong_key_fails(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path) -> None:
    jws = issuer.signed_assertion("s1", sign_with=cached_rsa_key(2048, slot=1))
    report = run(srv, issuer, tmp_path, jws)
    assert report.verdict is Verdict.INVALID
    assert status(report, "proof.signature")[0] is CheckStatus.FAIL


def test_key_not_published_by_issuer(srv: LoopbackServer, issuer: TestIssuer,
                                     tmp_path: Path) -> None:
    issuer.profile_extra["publicKey"] = issuer.url("/other-key.json")
    report = run(srv, issuer, tmp_path, issuer.signed_assertion("s1"))
    assert report.verdict is Verdict.INVALID
    # Spec step 4: a key the issuer does not list is not a candidate, so it is not fetched.
    assert status(report, "proof.key") == (CheckStatus.FAIL, "key_not_published")
    assert status(report, "proof.signature")[0] is CheckStatus.SKIP
    assert "/uni/key.json" not in {p for p, _ in srv.requests}


def test_key_owned_by_someone_else(srv: LoopbackServer, issuer: TestIssuer,
                                   tmp_path: Path) -> None:
    issuer.key_extra["owner"] = "https://attacker.example/issuer.json"
    report = run(srv, issuer, tmp_path, issuer.signed_assertion("s1"))
    assert report.verdict is Verdict.INVALID
    assert status(report, "proof.key_binding") == (CheckStatus.FAIL, "owner_mismatch")


def test_key_document_naming_another_id(srv: LoopbackServer, issuer: TestIssuer,
                                        tmp_path: Path) -> None:
    issuer.key_extra["id"] = issuer.url("/elsewhere.json")
    report = run(srv, issuer, tmp_path, issuer.signed_assertion("s1"))
    assert status(report, "proof.key_binding") == (CheckStatus.FAIL, "key_id_mismatch")


@pytest.mark.parametrize("entry_form", ["string", "id", "uid"])
def test_revoked_by_revocation_list(srv: LoopbackServer, issuer: TestIssuer, tmp_path: Path,
                                    entry_form: str) -> None:
    jws = issuer.signed_assertion("s1")
    assertion_id = _payload(jws)["id"]
    issuer.revoke("urn:uuid:11111111-2222-4333-8444-555555555555", "unrelated")
    if entry_form == "string":
        issuer.revoked.append(assertion_id)
    else:
        issuer.revoked.append({entry_form: assertion_id, "revocationReason": "Plagiarism"})
    report = run(srv, issuer, tmp_path, jws)
    assert report.verdict is Verdict.REVOKED
    assert status(report, "status.revocation") == (CheckStatus.FAIL, "revoked")
    if entry_form != "string":
        assert "Plagiarism" in report.reason


def test_unreachable_revocation_list_is_unverifiable(srv: LoopbackServer, issuer: TestIssuer,
                                                     tmp_path: Path) -> None:
    issuer.profile_extra["revocationList"] = issuer.url("/missing-list.json")
    report = run(srv, issuer, tmp_path, issuer.signed_assertion("s1"))
    assert report.verdict is Verdict.UNVERIFIABLE
    assert status(report, "status.revocation") == (CheckStatus.WARN, "http_404")
    assert report.reason.startswith("Revocation status could not be checked")


def test_no_revocation_list_is_fine(srv: LoopbackServer, issuer: TestIssuer,
                                    tmp_path: Path) -> None:
    issuer.profile_extra["revocationList"] = None
    report = run(srv, issuer, tmp_path, issuer.signed_assertion("s1"))
    assert report.verdict is Verdict.VERIFIED
    assert status(report, "status.revocation") == (CheckStatus.SKIP, "no_revocation_list")


def test_expired_and_future_signed(srv: LoopbackServer, issuer: TestIssuer,
                                   tmp_path: Path) -> None:
    expired = issuer.signed_assertion("e1", expires="2026-01-01T00:00:00Z")
    assert run(srv, issuer, tmp_path, expired).verdict is Verdict.EXPIRED
    future = issuer.signed_assertion("f1", issued_on="2027-01-01T00:00:00Z")
    assert run(srv, issuer, tmp_path, future).verdict is Verdict.INVALID


def test_rsa_1024_key_is_rejected(srv: LoopbackServer, tmp_path: Path) -> None:
    weak = TestIssuer(srv.base + "/weak", key_bits=1024)
    report = run(srv, weak, tmp_path, weak.signed_assertion("s1"))
    assert report.verdict is Verdict.INVALID
    assert status(report, "proof.key") == (CheckStatus.FAIL, "unusable_key")
    assert "1024" in report.reason


@pytest.mark.parametrize("alg", ["none", "HS256", "ES256", "PS256", None])
def test_header_algorithm_is_pinned_by_key_type(srv: LoopbackServer, issuer: TestIssuer,
                                                tmp_path: Path, alg: str | None) -> None:
    header = {} if alg is None else {"alg": alg}
    jws = issuer.signed_assertion("s1", header=header)
    report = run(srv, issuer, tmp_path, jws)
    assert report.verdict is Verdict.INVALID
    assert status(report, "proof.signature") == (CheckStatus.FAIL, "bad_signature")


def test_hs256_with_public_key_as_secret_is_rejected(srv: LoopbackServer, issuer: TestIssuer,
                                                     tmp_path: Path) -> None:
    """The classic confusion attack: HMAC keyed with the issuer's public PEM."""
    valid = issuer.signed_assertion("s1")
    payload = valid.split(".")[1]
    head = b64url(json.dumps({"alg": "HS256"}).encode())
    secret = issuer.crypto_key()["publicKeyPem"].encode()
    mac = hmac.new(secret, f"{head}.{payload}".encode(), hashlib.sha256).digest()
    report = run(srv, issuer, tmp_path, f"{head}.{payload}.{b64url(mac)}")
    assert report.verdict is Verdict.INVALID


def test_offline_is_unverifiable_not_invalid(issuer: TestIssuer, tmp_path: Path) -> None:
    path = tmp_path / "b.jws"
    path.write_text(issuer.signed_assertion("s1"))
    [raw] = read_file(path)
    assert isinstance(raw, RawCredential)
    report = verify_ob2(raw, VerifyContext(OfflineFetcher(), FIXED_NOW))
    assert report.verdict is Verdict.UNVERIFIABLE
    assert issuer.badge_url in report.reason


def test_blocked_address_is_unverifiable(issuer: TestIssuer, tmp_path: Path) -> None:
    path = tmp_path / "b.jws"
    path.write_text(issuer.signed_assertion("s1"))
    [raw] = read_file(path)
    assert isinstance(raw, RawCredential)
    report = verify_ob2(raw, VerifyContext(GuardedHttpFetcher(), FIXED_NOW))  # no allow list
    assert report.verdict is Verdict.UNVERIFIABLE
    assert status(report, "badge.fetch")[0] is CheckStatus.WARN


def test_embedded_key_in_issuer_profile(srv: LoopbackServer, issuer: TestIssuer,
                                        tmp_path: Path) -> None:
    key = issuer.crypto_key()
    key.pop("@context")
    issuer.profile_extra["publicKey"] = [key]
    report = run(srv, issuer, tmp_path, issuer.signed_assertion("s1"))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert "/uni/key.json" not in {p for p, _ in srv.requests}


def test_collect_pin_urls(issuer: TestIssuer, tmp_path: Path) -> None:
    path = tmp_path / "b.jws"
    path.write_text(issuer.signed_assertion("s1"))
    [raw] = read_file(path)
    assert isinstance(raw, RawCredential)
    assert collect_pin_urls(raw) == [issuer.badge_url, issuer.key_url]
    fetcher = StaticFetcher(issuer.url_map())
    assert collect_pin_urls(raw, fetcher) == [issuer.badge_url, issuer.issuer_url,
                                              issuer.key_url, issuer.revocation_url]
    hosted = tmp_path / "h.json"
    doc = issuer.hosted_assertion("h1")
    hosted.write_text(json.dumps(doc))
    [raw] = read_file(hosted)
    assert isinstance(raw, RawCredential)
    assert collect_pin_urls(raw, StaticFetcher(issuer.url_map())) == [
        doc["id"], issuer.badge_url, issuer.issuer_url, issuer.key_url, issuer.revocation_url]


def _payload(jws: str) -> dict[str, str]:
    part = jws.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # type: ignore[no-any-return]
