"""Compact JWS files: kind detection and a signing input kept byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portfolio_gen.encoding import b64url_encode
from portfolio_gen.ingest import Container, IngestProblem, Kind, RawCredential, read_file
from portfolio_gen.verify.crypto import verify_raw

KEY = Ed25519PrivateKey.generate()

VC = {"@context": ["https://www.w3.org/ns/credentials/v2"],
      "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:example:1",
      "credentialSubject": {"id": "did:example:learner"}}
OB2 = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:2",
       "recipient": {"type": "email", "identity": "a@example.org", "hashed": False},
       "badge": "https://issuer.example/badge", "verification": {"type": "signed"},
       "issuedOn": "2025-01-01T00:00:00Z"}


def sign(payload: bytes, header: dict[str, object] | None = None) -> str:
    head = b64url_encode(json.dumps(header or {"alg": "EdDSA", "typ": "JWT"}).encode())
    body = b64url_encode(payload)
    signature = KEY.sign(f"{head}.{body}".encode("ascii"))
    return f"{head}.{body}.{b64url_encode(signature)}"


def _read(tmp_path: Path, text: str | bytes, name: str = "badge.jwt") -> RawCredential:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    [item] = read_file(path)
    assert isinstance(item, RawCredential), item
    return item


def _problem(tmp_path: Path, text: str, name: str = "badge.jws") -> IngestProblem:
    path = tmp_path / name
    path.write_text(text)
    [item] = read_file(path)
    assert isinstance(item, IngestProblem), item
    return item


@pytest.mark.parametrize(("claims", "kind"), [
    ({"iss": "did:example:1", "vc": VC}, Kind.OB3_JWT),  # VC-JWT (VCDM 1.1 style)
    (VC, Kind.OB3_JWT),                                   # VC-JOSE (payload is the VC)
    ({"@context": ["https://example.org/unknown"], "x": 1}, Kind.OB3_JWT),
    (OB2, Kind.OB2_SIGNED),
])
def test_jws_kinds(tmp_path: Path, claims: dict[str, object], kind: Kind) -> None:
    payload = json.dumps(claims).encode()
    text = sign(payload)
    item = _read(tmp_path, text)
    assert (item.container, item.kind) == (Container.JWS, kind)
    assert item.jws is not None and item.jws.payload == payload
    assert item.document == claims
    assert item.payload == text.encode()


def test_signing_input_is_the_bytes_as_found(tmp_path: Path) -> None:
    # Odd spacing and key order: re-serialising would change the bytes and break the signature.
    payload = b'{ "vc" :{"type":["VerifiableCredential"],   "@context":["x"]},"iss":"a" }'
    text = sign(payload, {"typ": "JWT", "alg": "EdDSA"})
    item = _read(tmp_path, "\n  " + text + "\r\n", name="badge.txt")
    assert item.jws is not None
    assert item.jws.signing_input == text.rsplit(".", 1)[0].encode("ascii")
    assert item.jws.text == text
    assert verify_raw(KEY.public_key(), item.jws.signing_input, item.jws.signature)
    assert not verify_raw(KEY.public_key(), item.jws.signing_input + b"x", item.jws.signature)


def test_jws_named_json_is_detected_by_content(tmp_path: Path) -> None:
    item = _read(tmp_path, sign(json.dumps(OB2).encode()), name="assertion.json")
    assert (item.container, item.kind) == (Container.JWS, Kind.OB2_SIGNED)


def test_header_is_parsed(tmp_path: Path) -> None:
    item = _read(tmp_path, sign(json.dumps(VC).encode(), {"alg": "ES256", "kid": "k1"}))
    assert item.jws is not None and item.jws.header == {"alg": "ES256", "kid": "k1"}


@pytest.mark.parametrize(("header", "code", "unsupported"), [
    ({"alg": "EdDSA", "crit": ["exp"], "exp": 1}, "jws_crit_unsupported", True),
    ({"alg": "EdDSA", "b64": False, "crit": ["b64"]}, "jws_crit_unsupported", True),
    ({"alg": "EdDSA", "b64": False}, "jws_unencoded_payload", True),
    ({"alg": "EdDSA", "b64": "no"}, "jws_malformed", False),
])
def test_unsupported_headers(tmp_path: Path, header: dict[str, object], code: str,
                             unsupported: bool) -> None:
    problem = _problem(tmp_path, sign(json.dumps(VC).encode(), header))
    assert (problem.code, problem.unsupported) == (code, unsupported)


def _seg(data: bytes) -> str:
    return b64url_encode(data)


@pytest.mark.parametrize(("text", "code"), [
    (_seg(b'["alg"]') + "." + _seg(b"{}") + ".AAAA", "json_not_object"),
    (_seg(b'{"alg":"a","alg":"b"}') + "." + _seg(b'{"vc":{}}') + ".AAAA", "json_duplicate_key"),
    (_seg(b"not json") + "." + _seg(b"{}") + ".AAAA", "json_malformed"),
    (_seg(b'{"alg":"EdDSA"}') + "." + _seg(b"hello") + ".AAAA", "json_malformed"),
    (_seg(b'{"alg":"EdDSA"}') + "." + _seg(b'{"sub":"x"}') + ".AAAA", "not_a_badge"),
    (_seg(b'{"alg":"EdDSA"}') + "." + _seg(b'{"vc":{}}') + ".A", "jws_malformed"),
])
def test_bad_jws(tmp_path: Path, text: str, code: str) -> None:
    problem = _problem(tmp_path, text)
    assert problem.code == code, problem
    assert problem.container == "jws"


def test_payload_that_is_not_json_names_the_payload(tmp_path: Path) -> None:
    text = _seg(b'{"alg":"EdDSA"}') + "." + _seg(b"{not json") + ".AAAA"
    problem = _problem(tmp_path, text)
    assert problem.code == "json_malformed"
    assert "JWS payload" in problem.reason


@pytest.mark.parametrize("text", ["a.b", "a.b.c.d", "a..c", "eyJ.eyJ=.AAAA", "ey J.e.A"])
def test_text_that_is_not_a_jws_is_unknown(tmp_path: Path, text: str) -> None:
    problem = _problem(tmp_path, text, name="note.txt")
    assert problem.code == "unknown_format"
    assert problem.unsupported


def test_hosted_url_text_file(tmp_path: Path) -> None:
    item = _read(tmp_path, "  https://issuer.example/assertions/7 \n", name="badge.txt")
    assert (item.container, item.kind) == (Container.URL, Kind.OB2_HOSTED_URL)
    assert item.url == "https://issuer.example/assertions/7"


def test_internet_shortcut(tmp_path: Path) -> None:
    text = "[InternetShortcut]\r\nURL=https://issuer.example/a/8\r\n"
    item = _read(tmp_path, text, name="badge.url")
    assert (item.kind, item.url) == (Kind.OB2_HOSTED_URL, "https://issuer.example/a/8")
