"""OB 2.0 inputs: baked PNG/SVG, and malformed documents (``invalid``, never a traceback)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.ingest import Container, Kind, RawCredential, read_file
from portfolio_gen.ingest.jws import parse_compact_jws
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import StaticFetcher
from portfolio_gen.testing.bake import bake_png, bake_svg, make_png
from portfolio_gen.testing.ob2 import TestIssuer, sign_compact
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.ob2 import verify_ob2
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import CheckStatus, Verdict
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer

STATIC = TestIssuer("https://badges.example.org/uni")


@pytest.fixture
def srv() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


def _read(path: Path) -> RawCredential:
    [raw] = read_file(path)
    assert isinstance(raw, RawCredential), raw
    return raw


@pytest.mark.parametrize("form", ["png-hosted", "png-signed", "svg-signed", "svg-hosted",
                                  "svg-url-only"])
def test_baked_badges_verify(srv: LoopbackServer, tmp_path: Path, form: str) -> None:
    issuer = TestIssuer(srv.base + "/uni")
    doc = issuer.hosted_assertion("a1")
    jws = issuer.signed_assertion("s1")
    for path, body in issuer.documents().items():
        srv.add(path, body)
    if form == "png-hosted":
        data = bake_png(make_png(), json.dumps(doc))
    elif form == "png-signed":
        data = bake_png(make_png(), jws)
    elif form == "svg-signed":
        data = bake_svg(None, jws=jws, ob3=False).encode()
    elif form == "svg-hosted":
        data = bake_svg(None, url=str(doc["id"]), credential_json=json.dumps(doc),
                        ob3=False).encode()
    else:
        data = bake_svg(None, url=str(doc["id"]), ob3=False).encode()
    path = tmp_path / ("badge." + form[:3])
    path.write_bytes(data)
    raw = _read(path)
    assert raw.container in (Container.PNG, Container.SVG)
    ctx = VerifyContext(GuardedHttpFetcher(allow_hosts=[srv.host_port]), FIXED_NOW)
    report = verify_item(raw, ctx)
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    assert report.format == form[:3]
    proof = "proof.signature" if "signed" in form else "hosted.fetch"
    assert any(c.id == proof and c.status is CheckStatus.PASS for c in report.checks)


def _hosted_with(**changes: Any) -> dict[str, Any]:
    doc = STATIC.hosted_assertion("bad")
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"badge": 42}, "badge"),
    ({"badge": ["https://badges.example.org/uni/badge.json"]}, "badge"),
    ({"issuedOn": 1700000000}, "issuedOn"),
    ({"issuedOn": "2025-01-01T10:00:00"}, "timezone"),
    ({"issuedOn": None}, "issuedOn"),
    ({"expires": ["soon"]}, "expires"),
    ({"revoked": "no"}, "revoked"),
])
def test_malformed_hosted_assertion_is_invalid(changes: dict[str, Any], fragment: str) -> None:
    """The *hosted* copy is malformed (the local copy only gives the URL)."""
    doc = _hosted_with(**changes)
    docs = STATIC.url_map()
    docs[str(doc["id"])] = json.dumps(doc).encode()
    raw = RawCredential("bad.json", Container.JSON, Kind.OB2_ASSERTION,
                        json.dumps(doc).encode(), document=doc)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(docs), FIXED_NOW))
    assert report.verdict is Verdict.INVALID, report.to_dict()
    assert fragment in report.reason


@pytest.mark.parametrize(("changes", "check_id", "fragment"), [
    ({"recipient": "learner@example.org"}, "conformance.assertion", "recipient"),
    ({"recipient": None}, "conformance.assertion", "recipient"),
    ({"type": "OtherAssertion"}, "conformance.assertion", "type"),
    ({"@context": "https://w3id.org/openbadges/invalid"}, "conformance.context", "@context"),
    ({"image": "data:image/png;base64,iVBORw0KGgo="}, "conformance.assertion", "data: URI"),
])
def test_nonconformant_hosted_assertion_is_verified_with_a_warning(
        changes: dict[str, Any], check_id: str, fragment: str) -> None:
    """§7.16: the issuer's own hosted copy is authentic; its data-model departures are
    warnings by default and failures in strict mode."""
    doc = _hosted_with(**changes)
    docs = STATIC.url_map()
    docs[str(doc["id"])] = json.dumps(doc).encode()
    raw = RawCredential("bad.json", Container.JSON, Kind.OB2_ASSERTION,
                        json.dumps(doc).encode(), document=doc)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(docs), FIXED_NOW))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    [warning] = report.conformance_warnings
    assert warning.id == check_id and fragment in warning.message
    strict = verify_ob2(raw, VerifyContext(StaticFetcher(docs), FIXED_NOW,
                                           VerifyOptions(strict=True)))
    assert strict.verdict is Verdict.INVALID
    assert fragment in strict.reason


@pytest.mark.parametrize(("target", "changes", "fragment"), [
    ("badge", {"name": None}, "name"),
    ("badge", {"type": "Thing"}, "type"),
    ("badge", {"criteria": None}, "criteria"),
    ("badge", {"alignment": [{"targetName": "x"}]}, "alignment"),
    ("issuer", {"name": 7}, "name"),
])
def test_nonconformant_badge_or_issuer_is_a_warning(target: str, changes: dict[str, Any],
                                                    fragment: str) -> None:
    issuer = TestIssuer("https://badges.example.org/u2")
    extra = issuer.badge_extra if target == "badge" else issuer.profile_extra
    extra.update(changes)
    doc = issuer.hosted_assertion("a1")
    raw = RawCredential("b.json", Container.JSON, Kind.OB2_ASSERTION, json.dumps(doc).encode(),
                        document=doc)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(issuer.url_map()), FIXED_NOW))
    assert report.verdict is Verdict.VERIFIED, report.to_dict()
    [warning] = report.conformance_warnings
    assert warning.id == f"conformance.{target}" and fragment in warning.message
    strict = verify_ob2(raw, VerifyContext(StaticFetcher(issuer.url_map()), FIXED_NOW,
                                           VerifyOptions(strict=True)))
    assert strict.verdict is Verdict.INVALID and fragment in strict.reason


@pytest.mark.parametrize(("target", "changes", "fragment"), [
    ("badge", {"issuer": {"name": "no id"}}, "issuer"),
    ("issuer", {"publicKey": [5]}, "publicKey"),
    ("issuer", {"verification": "anywhere"}, "verification"),
])
def test_malformed_badge_or_issuer_is_invalid(target: str, changes: dict[str, Any],
                                              fragment: str) -> None:
    issuer = TestIssuer("https://badges.example.org/u2")
    extra = issuer.badge_extra if target == "badge" else issuer.profile_extra
    extra.update(changes)
    doc = issuer.hosted_assertion("a1")
    raw = RawCredential("b.json", Container.JSON, Kind.OB2_ASSERTION, json.dumps(doc).encode(),
                        document=doc)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(issuer.url_map()), FIXED_NOW))
    assert report.verdict is Verdict.INVALID, report.to_dict()
    assert fragment in report.reason


@pytest.mark.parametrize("body", [b"[1, 2]", b"not json", b"\xff\xfe", b'"just a string"'])
def test_hosted_document_that_is_not_an_object(body: bytes) -> None:
    doc = STATIC.hosted_assertion("x1")
    docs = STATIC.url_map()
    docs[str(doc["id"])] = body
    raw = RawCredential("b.json", Container.JSON, Kind.OB2_ASSERTION, json.dumps(doc).encode(),
                        document=doc)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(docs), FIXED_NOW))
    assert report.verdict is Verdict.INVALID
    assert "hosted assertion" in report.reason


@pytest.mark.parametrize("payload", [b"[]", b"{}", b'{"badge": {"issuer": 5}}',
                                     b'{"verification": "signed", "recipient": 1}'])
def test_odd_signed_payloads_are_invalid(payload: bytes) -> None:
    jws = sign_compact(payload, STATIC.key)
    parsed = parse_compact_jws(jws.encode())
    raw = RawCredential("b.jws", Container.JWS, Kind.OB2_SIGNED, jws.encode(), jws=parsed)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(STATIC.url_map()), FIXED_NOW))
    assert report.verdict is Verdict.INVALID, report.to_dict()


def test_json_claiming_signed_without_signature_is_invalid() -> None:
    doc = STATIC.assertion("urn:uuid:5d7c1d2e-8f3a-4b6c-9d0e-1f2a3b4c5d6e",
                           verification={"type": "SignedBadge", "creator": STATIC.key_url})
    raw = RawCredential("b.json", Container.JSON, Kind.OB2_ASSERTION, json.dumps(doc).encode(),
                        document=doc)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(STATIC.url_map()), FIXED_NOW))
    assert report.verdict is Verdict.INVALID
    assert report.checks[0].code == "signature_missing"


def test_hosted_assertion_without_http_id_is_invalid() -> None:
    doc = STATIC.assertion("urn:uuid:5d7c1d2e-8f3a-4b6c-9d0e-1f2a3b4c5d6e",
                           verification={"type": "HostedBadge"})
    raw = RawCredential("b.json", Container.JSON, Kind.OB2_ASSERTION, json.dumps(doc).encode(),
                        document=doc)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(STATIC.url_map()), FIXED_NOW))
    assert report.verdict is Verdict.INVALID
    assert any(c.code == "no_hosted_url" for c in report.checks)


def test_every_report_lists_the_same_rows() -> None:
    """A stopped run still lists later steps as skipped, so templates get stable rows."""
    doc = _hosted_with(badge=42)
    docs = STATIC.url_map()
    docs[str(doc["id"])] = json.dumps(doc).encode()
    raw = RawCredential("b.json", Container.JSON, Kind.OB2_ASSERTION, json.dumps(doc).encode(),
                        document=doc)
    report = verify_ob2(raw, VerifyContext(StaticFetcher(docs), FIXED_NOW))
    ids = [c.id for c in report.checks]
    assert ids[-3:] == ["validity.not_before", "validity.expiration", "recipient.identifier"]
    assert "hosted.scope" in ids
    assert report.checks[-1].code == "not_reached"
