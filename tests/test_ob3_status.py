"""credentialStatus (verification.md §2.7, §7.9, §7.10) against a real TLS loopback server.

The issuer is a did:web on the server; its status lists are real signed
credentials with chosen bits set. "Could not check" must never read as "not revoked".
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import pytest

from portfolio_gen.encoding import b64url_encode
from portfolio_gen.ingest.raw import Container, Kind, RawCredential
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer, encode_status_list
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.ob3 import collect_pin_urls, verify_ob3
from portfolio_gen.verify.ob3.status import MAX_DECOMPRESSED, _Undecided, gunzip_capped
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer(tls=True) as server:
        yield server


@pytest.fixture
def issuer(srv: LoopbackServer) -> Ob3Issuer:
    return Ob3Issuer("Ed25519", "did:web", host_port=srv.host_port)


def verify(srv: LoopbackServer, issuer: Ob3Issuer, doc: dict[str, Any], *,
           strict: bool = False) -> VerificationReport:
    for path, body in issuer.documents().items():
        srv.add(path, body)
    assert srv.ca_path is not None
    fetcher = GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path)
    raw = RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL,
                        json.dumps(doc).encode(), document=doc)
    return verify_ob3(raw, VerifyContext(fetcher, FIXED_NOW, VerifyOptions(strict=strict)))


def status_check(report: VerificationReport, check_id: str = "status.revocation") -> Check:
    found = [c for c in report.checks if c.id == check_id]
    assert len(found) == 1, [c.to_dict() for c in report.checks]
    return found[0]


def credential_with_list(issuer: Ob3Issuer, index: int, list_doc: dict[str, Any] | None,
                         *, purpose: str = "revocation", sign_list: bool = True,
                         path: str = "/status/1") -> dict[str, Any]:
    url = f"https://{issuer.host_port}{path}"
    if list_doc is not None:
        listed = issuer.sign_di(list_doc) if sign_list else list_doc
        issuer.publish(path, listed)
    doc = issuer.credential(credentialStatus=issuer.status_entry(url, index, purpose))
    return issuer.sign_di(doc)


def list_url(issuer: Ob3Issuer, path: str = "/status/1") -> str:
    return f"https://{issuer.host_port}{path}"


# -- Bitstring Status List -------------------------------------------------------------------------

def test_not_revoked(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    doc = credential_with_list(issuer, 42, issuer.status_list_credential(list_url(issuer), {7}))
    report = verify(srv, issuer, doc)
    check = status_check(report)
    assert (check.status, check.code) == (CheckStatus.PASS, "not_revoked")
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.related["status_list_url"] == list_url(issuer)
    assert "/status/1" in [p for p, _ in srv.requests]
    raw = RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL, b"", document=doc)
    assert collect_pin_urls(raw) == [f"https://{srv.host_port}/.well-known/did.json",
                                     list_url(issuer)]


def test_revoked(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    doc = credential_with_list(issuer, 42, issuer.status_list_credential(list_url(issuer), {42}))
    report = verify(srv, issuer, doc)
    check = status_check(report)
    assert (check.status, check.code, check.implies) == \
        (CheckStatus.FAIL, "revoked", Verdict.REVOKED)
    assert report.verdict is Verdict.REVOKED


@pytest.mark.parametrize(("index", "revoked"), [(5, True), (2, False), (13, False)])
def test_bits_are_read_most_significant_first(srv: LoopbackServer, issuer: Ob3Issuer,
                                              index: int, revoked: bool) -> None:
    raw = bytearray(16_384)
    raw[0] = 0b0000_0100  # index 5 in MSB-first order (index 2 in LSB-first order)
    encoded = "u" + b64url_encode(gzip.compress(bytes(raw)))
    listed = issuer.status_list_credential(list_url(issuer), encoded_list=encoded)
    report = verify(srv, issuer, credential_with_list(issuer, index, listed))
    assert (status_check(report).code == "revoked") is revoked


def test_suspended_is_distinct_and_not_verified(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    listed = issuer.status_list_credential(list_url(issuer), {3}, purpose="suspension")
    report = verify(srv, issuer, credential_with_list(issuer, 3, listed, purpose="suspension"))
    check = status_check(report, "status.suspension")
    assert (check.status, check.code, check.implies) == \
        (CheckStatus.FAIL, "suspended", Verdict.REVOKED)
    assert "suspended" in check.message
    assert report.verdict is not Verdict.VERIFIED


def test_purpose_mismatch_is_undecided(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    listed = issuer.status_list_credential(list_url(issuer), {3}, purpose="suspension")
    report = verify(srv, issuer, credential_with_list(issuer, 3, listed))
    check = status_check(report)
    assert (check.status, check.code) == (CheckStatus.WARN, "status_purpose_mismatch")
    assert report.verdict is Verdict.UNVERIFIABLE


def test_short_list_warns_without_changing_the_verdict(srv: LoopbackServer,
                                                       issuer: Ob3Issuer) -> None:
    listed = issuer.status_list_credential(list_url(issuer), (), entries=100_000)
    doc = credential_with_list(issuer, 1, listed)
    report = verify(srv, issuer, doc)
    length = status_check(report, "conformance.status_list_length")
    assert (length.status, length.implies) == (CheckStatus.WARN, None)
    assert "131072" in length.message
    assert status_check(report).status is CheckStatus.PASS
    assert report.verdict is Verdict.VERIFIED
    assert report.conformance_warnings == (length,)
    strict = verify(srv, issuer, doc, strict=True)  # the 1EdTech reading: a failure
    length = status_check(strict, "conformance.status_list_length")
    assert (length.status, length.implies) == (CheckStatus.FAIL, Verdict.INVALID)
    assert strict.verdict is Verdict.INVALID


def test_index_out_of_range(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    listed = issuer.status_list_credential(list_url(issuer), ())
    report = verify(srv, issuer, credential_with_list(issuer, 131_072, listed))
    assert status_check(report).code == "status_index_out_of_range"
    assert report.verdict is Verdict.UNVERIFIABLE


def test_unreachable_list_is_never_not_revoked(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    report = verify(srv, issuer, credential_with_list(issuer, 1, None))  # 404
    check = status_check(report)
    assert (check.status, check.code) == (CheckStatus.WARN, "status_unreachable")
    assert check.message.startswith("The revocation status could not be checked:")
    assert report.verdict is Verdict.UNVERIFIABLE


def test_tampered_list_is_not_trusted(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    signed = issuer.sign_di(issuer.status_list_credential(list_url(issuer), {9}))
    signed["credentialSubject"]["encodedList"] = encode_status_list(())  # un-revoke
    issuer.publish("/status/1", signed)
    report = verify(srv, issuer, credential_with_list(issuer, 9, None))
    check = status_check(report)
    assert (check.status, check.code) == (CheckStatus.WARN, "status_list_unverified")
    assert report.verdict is Verdict.UNVERIFIABLE


def test_unsigned_list_is_not_trusted(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    listed = issuer.status_list_credential(list_url(issuer), ())
    report = verify(srv, issuer, credential_with_list(issuer, 1, listed, sign_list=False))
    assert status_check(report).code == "status_list_unverified"


@pytest.mark.parametrize(("bits", "code", "verdict"), [
    ({1}, "revoked", Verdict.REVOKED), ((), "not_revoked", Verdict.VERIFIED)])
def test_list_signed_by_a_separate_issuer_is_accepted_and_named(
        srv: LoopbackServer, issuer: Ob3Issuer, bits: Any, code: str, verdict: Verdict) -> None:
    """§7.10: the credential's issuer-signed credentialStatus chose this list; its signer
    (another DID, as DCC does) is named. --strict requires the same issuer."""
    other = Ob3Issuer("Ed25519", "did:key", slot=4)
    signed = other.sign_di(other.status_list_credential(list_url(issuer), bits))
    issuer.publish("/status/1", signed)
    doc = credential_with_list(issuer, 1, None)
    report = verify(srv, issuer, doc)
    check = status_check(report)
    assert check.code == code, report.to_dict()
    assert check.details["list_issuer"] == other.id
    assert report.verdict is verdict
    if code == "not_revoked":
        assert f"signed by {other.id}" in check.message
    strict = verify(srv, issuer, doc, strict=True)
    assert status_check(strict).code == "status_list_issuer_mismatch"
    assert strict.verdict is Verdict.UNVERIFIABLE


def test_separate_issuer_list_must_be_signed_by_a_key_bound_to_it(
        srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    """A list naming issuer X but signed by Y's key is not X's list: undecided, never
    "not revoked"."""
    other = Ob3Issuer("Ed25519", "did:key", slot=4)
    forger = Ob3Issuer("Ed25519", "did:key", slot=5)
    listed = other.status_list_credential(list_url(issuer), ())
    issuer.publish("/status/1", forger.sign_di(listed))
    report = verify(srv, issuer, credential_with_list(issuer, 1, None))
    assert status_check(report).code == "status_list_key_unbound", report.to_dict()
    assert report.verdict is Verdict.UNVERIFIABLE


def test_separate_issuer_list_that_does_not_verify_is_undecided(
        srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    other = Ob3Issuer("Ed25519", "did:key", slot=4)
    signed = other.sign_di(other.status_list_credential(list_url(issuer), {1}))
    signed["credentialSubject"]["encodedList"] = encode_status_list(())  # un-revoke
    issuer.publish("/status/1", signed)
    report = verify(srv, issuer, credential_with_list(issuer, 1, None))
    assert status_check(report).code == "status_list_unverified"
    assert report.verdict is Verdict.UNVERIFIABLE


def test_list_signed_as_vc_jwt(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    token = issuer.sign_jwt(issuer.status_list_credential(list_url(issuer), {11}))
    issuer.publish("/status/1", token)
    report = verify(srv, issuer, credential_with_list(issuer, 11, None))
    assert status_check(report).code == "revoked"


@pytest.mark.parametrize(("encoded", "code"), [
    (encode_status_list(()).removeprefix("u"), "status_list_malformed"),   # no multibase 'u'
    ("u!!!not-base64!!!", "status_list_malformed"),
    ("u" + b64url_encode(b"not gzip at all" * 100), "status_list_malformed"),
    ("u" + b64url_encode(gzip.compress(bytes(16_384))[:-12]), "status_list_malformed"),
])
def test_malformed_encoded_list(srv: LoopbackServer, issuer: Ob3Issuer, encoded: str,
                                code: str) -> None:
    listed = issuer.status_list_credential(list_url(issuer), encoded_list=encoded)
    report = verify(srv, issuer, credential_with_list(issuer, 1, listed))
    assert (status_check(report).status, status_check(report).code) == (CheckStatus.WARN, code)


def test_gzip_bomb_is_capped(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    bomb = gzip.compress(bytes(MAX_DECOMPRESSED + 1024), compresslevel=9)
    assert len(bomb) < 64 * 1024
    listed = issuer.status_list_credential(list_url(issuer),
                                           encoded_list="u" + b64url_encode(bomb))
    report = verify(srv, issuer, credential_with_list(issuer, 1, listed))
    assert status_check(report).code == "status_list_too_large"
    assert report.verdict is Verdict.UNVERIFIABLE


def test_gunzip_cap_is_exact() -> None:
    data = gzip.compress(bytes(1000))
    assert gunzip_capped(data, 1000) == bytes(1000)
    with pytest.raises(_Undecided):
        gunzip_capped(data, 999)


def test_huge_status_list_response_is_refused(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    srv.add("/status/1", b" " * ((16 << 20) + 1))
    report = verify(srv, issuer, credential_with_list(issuer, 1, None))
    check = status_check(report)
    assert (check.status, check.code) == (CheckStatus.WARN, "status_unreachable")


# -- StatusList2021 and 1EdTech revocation lists ---------------------------------------------------

def test_status_list_2021_without_multibase_prefix(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    url = list_url(issuer, "/sl2021")
    listed = {"@context": ["https://www.w3.org/2018/credentials/v1",
                           "https://w3id.org/vc/status-list/2021/v1"],
              "id": url, "type": ["VerifiableCredential", "StatusList2021Credential"],
              "issuer": issuer.id, "issuanceDate": "2025-01-01T00:00:00Z",
              "credentialSubject": {"id": url + "#list", "type": "StatusList2021",
                                    "statusPurpose": "revocation",
                                    "encodedList": encode_status_list({4}, multibase=False)}}
    issuer.publish("/sl2021", issuer.sign_jwt(listed))
    for index, code in ((4, "revoked"), (5, "not_revoked")):
        entry = {"id": f"{url}#{index}", "type": "StatusList2021Entry",
                 "statusPurpose": "revocation", "statusListIndex": str(index),
                 "statusListCredential": url}
        doc = issuer.sign_di(issuer.credential(credentialStatus=entry))
        assert status_check(verify(srv, issuer, doc)).code == code


def test_1edtech_revocation_list(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    url = list_url(issuer, "/revocations")
    entry = {"id": url, "type": "1EdTechRevocationList"}
    revoked = issuer.credential(credential_id="urn:uuid:revoked-1", credentialStatus=entry)
    fine = issuer.credential(credential_id="urn:uuid:fine-1", credentialStatus=entry)
    for doc in (revoked, fine):  # the type is defined only in the OB extensions context
        doc["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    issuer.publish("/revocations", Ob3Issuer.revocation_list(["urn:uuid:revoked-1"], url))
    report = verify(srv, issuer, issuer.sign_di(revoked))
    assert status_check(report).implies is Verdict.REVOKED
    assert report.verdict is Verdict.REVOKED
    assert status_check(verify(srv, issuer, issuer.sign_di(fine))).code == "not_revoked"


def test_unsupported_status_type_is_undecided(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    entry = {"id": "https://issuer.example/s/1", "type": "RevocationList2020Status"}
    report = verify(srv, issuer, issuer.sign_di(issuer.credential(credentialStatus=entry)))
    check = status_check(report)
    assert (check.status, check.code) == (CheckStatus.WARN, "status_type_unsupported")
    assert report.verdict is not Verdict.VERIFIED  # (the undefined type also fails data loss)


def test_single_values_are_lists_of_one(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    """JSON-LD: a one-element list and a single value are the same (issue #12), in the DID
    document (verificationMethod, assertionMethod), the status entry's type and the list's
    credentialSubject. Each used to be ignored (a list-typed entry even raised)."""
    did_doc = issuer.controller_document()
    did_doc["verificationMethod"] = did_doc["verificationMethod"][0]
    did_doc["assertionMethod"] = did_doc["assertionMethod"][0]
    issuer.publish("/.well-known/did.json", did_doc)
    listed = issuer.status_list_credential(list_url(issuer), {6})
    listed["credentialSubject"] = [listed["credentialSubject"]]
    issuer.publish("/status/1", issuer.sign_di(listed))
    entry = issuer.status_entry(list_url(issuer), 6)
    entry["type"] = [entry["type"]]
    doc = issuer.sign_di(issuer.credential(credentialStatus=entry))
    report = verify(srv, issuer, doc)
    assert status_check(report).code == "revoked", report.to_dict()
    assert report.verdict is Verdict.REVOKED
    raw = RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL, b"", document=doc)
    assert list_url(issuer) in collect_pin_urls(raw)


def test_separate_signer_list_is_pinned_with_its_key_document(srv: LoopbackServer) -> None:
    """`portfolio-gen pin` follows the list to its signer's DID document, so a credential
    whose list another issuer signs verifies offline from the pins alone."""
    from portfolio_gen.net.static import StaticFetcher
    from portfolio_gen.verify.pinning import urls_to_pin

    issuer = Ob3Issuer("Ed25519", "https", host_port=srv.host_port)
    signer = Ob3Issuer("Ed25519", "did:web", host_port=srv.host_port, slot=7)
    url = list_url(issuer, "/status/2")
    issuer.publish("/status/2", signer.sign_di(signer.status_list_credential(url, ())))
    doc = issuer.sign_di(issuer.credential(credentialStatus=issuer.status_entry(url, 2)))
    for path, body in signer.documents().items():
        srv.add(path, body)
    report = verify(srv, issuer, doc)
    assert status_check(report).details["list_issuer"] == signer.id, report.to_dict()
    assert report.verdict is Verdict.VERIFIED
    assert srv.ca_path is not None
    live = GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path)
    raw = RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL, b"", document=doc)
    urls = urls_to_pin(raw, live)
    did_doc = f"https://{srv.host_port}/.well-known/did.json"
    assert urls == [f"https://{srv.host_port}/issuer", url, did_doc]
    assert collect_pin_urls(raw) == urls[:2]  # without a fetcher the list is not read
    pinned = StaticFetcher({u: (live.fetch(u, max_bytes=16 << 20).body, "application/json")
                            for u in urls})
    offline = verify_ob3(raw, VerifyContext(pinned, FIXED_NOW))
    assert offline.verdict is Verdict.VERIFIED, offline.to_dict()
