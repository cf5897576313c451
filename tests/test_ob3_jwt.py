"""VC-JWT verification end to end (verification.md §2.3, §7.5): real keys, real TLS server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.encoding import b64url_decode, b64url_encode
from portfolio_gen.ingest import RawCredential, read_file
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer, make_key, sign_jws
from portfolio_gen.verify import crypto
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.ob3 import verify_ob3
from portfolio_gen.verify.report import CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer

VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OFFLINE = VerifyContext(OfflineFetcher(), FIXED_NOW)


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer(tls=True) as server:
        yield server


def ctx_for(srv: LoopbackServer) -> VerifyContext:
    assert srv.ca_path is not None
    return VerifyContext(GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path),
                         FIXED_NOW)


def publish(srv: LoopbackServer, issuer: Ob3Issuer) -> None:
    for path, body in issuer.documents().items():
        srv.add(path, body)


def ingest(tmp_path: Path, token: str) -> RawCredential:
    path = tmp_path / "badge.jwt"
    path.write_text(token)
    items = read_file(path)
    assert len(items) == 1 and isinstance(items[0], RawCredential), items
    return items[0]


def run(tmp_path: Path, token: str, ctx: VerifyContext = OFFLINE) -> VerificationReport:
    return verify_ob3(ingest(tmp_path, token), ctx)


def check(report: VerificationReport, check_id: str) -> tuple[CheckStatus, str]:
    found = [c for c in report.checks if c.id == check_id]
    assert len(found) == 1, (check_id, [c.to_dict() for c in report.checks])
    return found[0].status, found[0].code


def v11_credential(issuer: Ob3Issuer, **extra: Any) -> dict[str, Any]:
    doc = issuer.credential(**extra)
    doc["@context"] = [VC_V1, OB_CONTEXT]
    doc["issuanceDate"] = doc.pop("validFrom")
    return doc


# -- happy paths ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "P-384", "RSA"])
def test_payload_is_credential_did_jwk(tmp_path: Path, key_type: str) -> None:
    issuer = Ob3Issuer(key_type, "did:jwk")  # type: ignore[arg-type]
    doc = issuer.credential()
    report = run(tmp_path, issuer.sign_jwt(doc))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.key_id == issuer.vm_id
    assert report.issuer.id == issuer.id and report.issuer.name == "Test Issuer"
    assert report.achievement_name == "Teamwork"
    assert report.spec_version == "3.0 (VCDM 2.0)"
    assert report.document == doc
    assert report.credential_id == doc["id"]


def test_vc_claim_shape_with_consistent_claims(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = v11_credential(issuer)
    doc["expirationDate"] = "2030-01-01T00:00:00Z"
    report = run(tmp_path, issuer.sign_jwt(doc, shape="vc-claim"))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.spec_version == "3.0 (VCDM 1.1)"
    assert check(report, "jwt.claims") == (CheckStatus.PASS, "jwt_claims_consistent")
    assert check(report, "validity.expiration")[0] is CheckStatus.PASS


@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "RSA"])
def test_kid_is_did_web_over_https(tmp_path: Path, srv: LoopbackServer, key_type: str) -> None:
    issuer = Ob3Issuer(key_type, "did:web", host_port=srv.host_port)  # type: ignore[arg-type]
    publish(srv, issuer)
    report = run(tmp_path, issuer.sign_jwt(issuer.credential()), ctx_for(srv))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.related["controller_document"]["id"] == issuer.id
    assert "/.well-known/did.json" in [p for p, _ in srv.requests]


def test_kid_is_https_jwks_bound_by_thumbprint(tmp_path: Path, srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("RSA", "https", host_port=srv.host_port)
    publish(srv, issuer)
    srv.add("/jwks.json", {"keys": [dict(issuer.public_jwk, kid="k1")]})
    token = issuer.sign_jwt(issuer.credential(),
                            header={"kid": f"https://{srv.host_port}/jwks.json#k1"})
    report = run(tmp_path, token, ctx_for(srv))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert check(report, "proof.key_binding") == (CheckStatus.PASS, "bound")


def test_jwk_header_bound_through_did_web_issuer(tmp_path: Path, srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("P-256", "did:web", host_port=srv.host_port)
    publish(srv, issuer)
    report = run(tmp_path, issuer.sign_jwt(issuer.credential(), key_in="jwk"), ctx_for(srv))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()


# -- binding failures ----------------------------------------------------------------------------

def test_unbound_jwk_header_is_signature_only(tmp_path: Path, srv: LoopbackServer) -> None:
    issuer = Ob3Issuer("RSA", "https", host_port=srv.host_port)
    publish(srv, issuer)  # the issuer publishes its own key, not the signer's
    signer = Ob3Issuer("RSA", "https", host_port=srv.host_port, slot=3)
    token = signer.sign_jwt(issuer.credential(), key_in="jwk")
    report = run(tmp_path, token, ctx_for(srv))
    assert check(report, "proof.signature")[0] is CheckStatus.PASS
    assert check(report, "proof.key_binding") == (CheckStatus.FAIL, "jwk_not_issuer_key")
    assert report.verdict is Verdict.INVALID


def test_jwk_header_with_unreachable_issuer_is_unverifiable(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential()
    doc["issuer"] = {"id": "https://issuer.example/profile", "type": ["Profile"]}
    report = run(tmp_path, issuer.sign_jwt(doc, key_in="jwk"))
    assert check(report, "proof.signature")[0] is CheckStatus.PASS
    assert check(report, "proof.key_binding")[0] is CheckStatus.WARN
    assert report.verdict is Verdict.UNVERIFIABLE


def test_did_key_kid_not_the_issuer(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    doc = issuer.credential()
    doc["issuer"] = "urn:uuid:0b7a9f2e-2222-4a4a-8888-123456789abc"
    report = run(tmp_path, issuer.sign_jwt(doc))
    assert check(report, "proof.signature")[0] is CheckStatus.PASS
    assert check(report, "proof.key_binding") == (CheckStatus.FAIL, "controller_not_issuer")
    assert report.verdict is Verdict.INVALID


# -- hostile headers -----------------------------------------------------------------------------

def _unsigned(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    head = b64url_encode(json.dumps(header).encode())
    body = b64url_encode(json.dumps(payload).encode())
    return f"{head}.{body}.{b64url_encode(signature)}"


def test_alg_none_is_invalid(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    token = _unsigned({"alg": "none", "kid": issuer.vm_id}, issuer.credential())
    report = run(tmp_path, token)
    assert check(report, "proof.signature") == (CheckStatus.FAIL, "alg_not_accepted")
    assert report.verdict is Verdict.INVALID


def test_hs256_with_public_key_as_secret_is_invalid(tmp_path: Path) -> None:
    import hashlib
    import hmac

    issuer = Ob3Issuer("RSA", "did:jwk")
    header = {"alg": "HS256", "kid": issuer.vm_id}
    head = b64url_encode(json.dumps(header).encode())
    body = b64url_encode(json.dumps(issuer.credential()).encode())
    secret = json.dumps(issuer.public_jwk).encode()
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    report = run(tmp_path, f"{head}.{body}.{b64url_encode(mac)}")
    assert check(report, "proof.signature") == (CheckStatus.FAIL, "alg_not_accepted")
    assert report.verdict is Verdict.INVALID


def test_alg_that_does_not_fit_the_key_is_invalid(tmp_path: Path) -> None:
    issuer = Ob3Issuer("P-256", "did:key")
    token = issuer.sign_jwt(issuer.credential(), header={"alg": "EdDSA"})
    report = run(tmp_path, token)
    assert check(report, "proof.signature") == (CheckStatus.FAIL, "signature_invalid")
    assert report.verdict is Verdict.INVALID


def test_kid_and_jwk_disagree(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    other = crypto.public_jwk(make_key("Ed25519", 5).public_key())
    token = issuer.sign_jwt(issuer.credential(), header={"jwk": other})
    report = run(tmp_path, token)
    assert check(report, "proof.signature") == (CheckStatus.FAIL, "kid_jwk_mismatch")


def test_no_key_in_header(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    report = run(tmp_path, issuer.sign_jwt(issuer.credential(), key_in="none"))
    assert check(report, "proof.signature") == (CheckStatus.FAIL, "no_key")
    assert report.verdict is Verdict.INVALID


def test_payload_swapped_after_signing(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    token = issuer.sign_jwt(issuer.credential())
    head, _, sig = token.split(".")
    forged = b64url_encode(json.dumps(issuer.credential(achievement_name="Leadership")).encode())
    report = run(tmp_path, f"{head}.{forged}.{sig}")
    assert check(report, "proof.signature") == (CheckStatus.FAIL, "signature_invalid")
    assert report.verdict is Verdict.INVALID
    assert check(report, "after_proof")[1] == "after_fatal"


# -- claims --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("claims", "check_id", "verdict"), [
    ({"iss": "did:example:someone-else"}, "jwt.claims", Verdict.INVALID),
    ({"jti": "urn:uuid:other"}, "jwt.claims", Verdict.INVALID),
    ({"sub": "did:example:other-learner"}, "jwt.claims", Verdict.INVALID),
    ({"nbf": 1262304000}, "jwt.claims", Verdict.INVALID),          # ≠ issuanceDate
    ({"exp": int(FIXED_NOW.timestamp()) - 3600}, "jwt.time", Verdict.EXPIRED),
])
def test_vc_claim_inconsistencies(tmp_path: Path, claims: dict[str, Any], check_id: str,
                                  verdict: Verdict) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    token = issuer.sign_jwt(v11_credential(issuer), shape="vc-claim", claims=claims)
    report = run(tmp_path, token)
    assert check(report, check_id)[0] is CheckStatus.FAIL, report.to_dict()
    assert report.verdict is verdict


def test_nbf_in_the_future_is_not_yet_valid(tmp_path: Path) -> None:
    issuer = Ob3Issuer("Ed25519", "did:key")
    token = issuer.sign_jwt(issuer.credential(),
                            claims={"nbf": int(FIXED_NOW.timestamp()) + 86400})
    report = run(tmp_path, token)
    assert check(report, "jwt.time") == (CheckStatus.FAIL, "jwt_not_yet_valid")
    assert report.verdict is Verdict.NOT_YET_VALID


def test_sign_jws_helper_signs_exact_bytes() -> None:
    key = make_key("P-384")
    token = sign_jws(key, b'{"a":1}', {"alg": "ES384"})
    head, body, sig = token.split(".")
    assert crypto.verify_jws_signature(key.public_key(), "ES384", f"{head}.{body}".encode(),
                                       b64url_decode(sig)) == "ES384"
