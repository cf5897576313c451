"""``credentialSchema`` (issue #12): JSON Schema conformance of OB 3.0 credentials.

Real signed credentials from the test issuers, real ``jsonschema`` validation against
schemas written here (the 1EdTech schemas are in no registry package, so the bundle is
empty): a conforming credential passes, a violating one stays verified with a
``conformance.schema`` warning (invalid under ``--strict``), and a schema that is not in
the store is reported as not checked and never fetched, not even over a live loopback.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from portfolio_gen.cli import main
from portfolio_gen.ingest.raw import Container, Kind, RawCredential
from portfolio_gen.net.http import GuardedHttpFetcher
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.ob3 import verify_ob3
from portfolio_gen.verify.ob3.schema import BUNDLED, SchemaStore
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW
from tests.support.httpserver import LoopbackServer

OFFICIAL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
VALIDATOR = "1EdTechJsonSchemaValidator2019"
EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CREDENTIAL_SCHEMA = "https://schemas.example.test/achievementcredential.json"
ACHIEVEMENT_SCHEMA = "https://schemas.example.test/achievement.json"

#: A small schema in the style of the 1EdTech ones (draft 2019-09, $defs, a $ref to a
#: second document): written for these tests, not a copy of the published schema.
SCHEMAS: dict[str, dict[str, Any]] = {
    CREDENTIAL_SCHEMA: {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": CREDENTIAL_SCHEMA,
        "type": "object",
        "required": ["@context", "type", "issuer", "validFrom", "credentialSubject", "name"],
        "properties": {"name": {"type": "string"},
                       "credentialSubject": {"$ref": "#/$defs/Subject"}},
        "$defs": {"Subject": {"type": "object", "required": ["achievement"],
                              "properties": {"achievement": {"$ref": ACHIEVEMENT_SCHEMA}}}},
    },
    ACHIEVEMENT_SCHEMA: {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ACHIEVEMENT_SCHEMA,
        "type": "object",
        "required": ["id", "type", "criteria", "name"],
        "properties": {"criteria": {"type": "object", "required": ["narrative"]}},
    },
}


def _store(schemas: dict[str, dict[str, Any]] = SCHEMAS) -> SchemaStore:
    extra = []
    for url, schema in schemas.items():
        data = json.dumps(schema).encode()
        extra.append((url, data, hashlib.sha256(data).hexdigest()))
    return BUNDLED.extended(extra)


def _ctx(strict: bool = False, store: SchemaStore | None = None) -> VerifyContext:
    return VerifyContext(OfflineFetcher(), FIXED_NOW, VerifyOptions(strict=strict),
                         schemas=store if store is not None else _store())


def _run(doc: dict[str, Any] | str, ctx: VerifyContext) -> VerificationReport:
    if isinstance(doc, str):
        raw = RawCredential("badge.jwt", Container.JWS, Kind.OB3_JWT, doc.encode())
    else:
        raw = RawCredential("badge.json", Container.JSON, Kind.OB3_CREDENTIAL,
                            json.dumps(doc).encode(), document=doc)
    return verify_ob3(raw, ctx)


def _schema_check(report: VerificationReport) -> Check:
    found = [c for c in report.checks if c.id == "conformance.schema"]
    assert len(found) == 1, report.to_dict()
    return found[0]


def _with_schema(issuer: Ob3Issuer, value: Any) -> dict[str, Any]:
    """A credential naming ``value`` as credentialSchema; the OB extensions context defines
    the 1EdTech validator type (without it the proof would not cover the type)."""
    doc = issuer.credential(credentialSchema=value)
    doc["@context"] = [*doc["@context"], EXTENSIONS]
    return doc


def _credential(issuer: Ob3Issuer, *urls: str) -> dict[str, Any]:
    return _with_schema(issuer, [{"id": u, "type": VALIDATOR} for u in urls])


@pytest.fixture
def issuer() -> Ob3Issuer:
    return Ob3Issuer("Ed25519", "did:key")


def test_conforming_credential_passes_its_schema(issuer: Ob3Issuer) -> None:
    report = _run(issuer.sign_di(_credential(issuer, CREDENTIAL_SCHEMA)), _ctx())
    check = _schema_check(report)
    assert check.status is CheckStatus.PASS and check.code == "schema_ok", check
    assert CREDENTIAL_SCHEMA in check.message
    assert report.verdict is Verdict.VERIFIED and not report.conformance_warnings


def _violating(issuer: Ob3Issuer) -> dict[str, Any]:
    doc = _credential(issuer, CREDENTIAL_SCHEMA)
    doc["credentialSubject"]["achievement"]["criteria"] = {"id": "https://example.org/rules"}
    return doc


@pytest.mark.parametrize("signed_as", ["data-integrity", "vc-jwt"])
def test_violating_credential_is_verified_with_a_warning_and_invalid_when_strict(
        issuer: Ob3Issuer, signed_as: str) -> None:
    doc = _violating(issuer)
    signed: dict[str, Any] | str = (issuer.sign_di(doc) if signed_as == "data-integrity"
                                    else issuer.sign_jwt(doc))
    report = _run(signed, _ctx())
    check = _schema_check(report)
    assert check.status is CheckStatus.WARN and check.code == "schema_invalid", check
    assert check.message == (
        f"The credential does not match the JSON Schema {CREDENTIAL_SCHEMA} it names: "
        "credentialSubject/achievement/criteria: 'narrative' is a required property.")
    assert report.verdict is Verdict.VERIFIED, report.to_dict()  # authenticity decides
    assert [c.code for c in report.conformance_warnings] == ["schema_invalid"]

    strict = _run(signed, _ctx(strict=True))
    assert strict.verdict is Verdict.INVALID
    assert strict.reason == check.message


def test_several_errors_are_counted(issuer: Ob3Issuer) -> None:
    doc = _violating(issuer)
    doc["name"] = 42
    check = _schema_check(_run(issuer.sign_di(doc), _ctx()))
    assert check.code == "schema_invalid" and check.message.endswith("(and 1 more).")
    assert len(check.details["errors"]) == 2


def test_schema_not_bundled_is_a_warning_not_a_verdict(issuer: Ob3Issuer) -> None:
    """The published OB 3.0 schema is named by most real credentials; we hold no copy."""
    signed = issuer.sign_di(_credential(issuer, OFFICIAL))
    report = _run(signed, VerifyContext(OfflineFetcher(), FIXED_NOW))  # the real bundle
    check = _schema_check(report)
    assert check.status is CheckStatus.WARN and check.code == "schema_not_bundled", check
    assert OFFICIAL in check.message and "not bundled" in check.message
    assert check.details["not_checked"] == [OFFICIAL]
    assert report.verdict is Verdict.VERIFIED
    strict = _run(signed, VerifyContext(OfflineFetcher(), FIXED_NOW, VerifyOptions(strict=True)))
    assert strict.verdict is Verdict.INVALID and strict.reason == check.message


def test_a_failure_is_reported_before_an_unchecked_schema(issuer: Ob3Issuer) -> None:
    doc = _violating(issuer)
    doc["credentialSchema"].append({"id": OFFICIAL, "type": VALIDATOR})
    check = _schema_check(_run(issuer.sign_di(doc), _ctx()))
    assert check.code == "schema_invalid" and check.details["not_checked"] == [OFFICIAL]


def test_no_credential_schema_no_check(issuer: Ob3Issuer) -> None:
    report = _run(issuer.sign_di(issuer.credential()), _ctx())
    assert not [c for c in report.checks if c.id.startswith("conformance.schema")]


@pytest.mark.parametrize("value", ["https://schemas.example.test/x.json",
                                   [{"id": CREDENTIAL_SCHEMA}], [], [{"type": VALIDATOR}]])
def test_malformed_credential_schema_is_a_warning(issuer: Ob3Issuer, value: Any) -> None:
    report = _run(issuer.sign_di(_with_schema(issuer, value)), _ctx())
    check = _schema_check(report)
    assert check.status is CheckStatus.WARN and check.code == "schema_malformed"
    assert report.verdict is Verdict.VERIFIED


def test_other_schema_types_are_not_applied(issuer: Ob3Issuer) -> None:
    """A store hit is only used for JSON Schema validator types (not e.g. a credential)."""
    doc = _with_schema(issuer, {"id": CREDENTIAL_SCHEMA, "type": "JsonSchemaCredential"})
    check = _schema_check(_run(issuer.sign_di(doc), _ctx()))
    assert check.code == "schema_not_bundled"


def test_schemas_and_their_refs_are_never_fetched() -> None:
    """Attacker: a credential naming a schema URL (or a stored schema $ref-ing one) must
    not make the verifier fetch it, even when the network is live and the host allowed."""
    with LoopbackServer(tls=True) as srv:
        issuer = Ob3Issuer("P-256", "did:web", host_port=srv.host_port)
        for path, body in issuer.documents().items():
            srv.add(path, body)
        remote = srv.add("/schema.json", SCHEMAS[ACHIEVEMENT_SCHEMA])
        assert srv.ca_path is not None
        fetcher = GuardedHttpFetcher(allow_hosts=[srv.host_port], ca_bundle=srv.ca_path)
        referring = copy.deepcopy(SCHEMAS[CREDENTIAL_SCHEMA])
        referring["$defs"]["Subject"]["properties"]["achievement"] = {"$ref": remote}
        store = _store({CREDENTIAL_SCHEMA: referring})
        ctx = VerifyContext(fetcher, FIXED_NOW, schemas=store)

        report = _run(issuer.sign_di(_credential(issuer, remote)), ctx)
        assert _schema_check(report).code == "schema_not_bundled"
        assert report.verdict is Verdict.VERIFIED, report.to_dict()  # did:web was fetched
        report = _run(issuer.sign_di(_credential(issuer, CREDENTIAL_SCHEMA)), ctx)
        assert _schema_check(report).code == "schema_not_bundled"  # unresolvable $ref
        assert [p for p, _ in srv.requests] == ["/.well-known/did.json"] * len(srv.requests)
        assert srv.requests


def test_store_refuses_a_copy_whose_hash_differs() -> None:
    data = json.dumps(SCHEMAS[CREDENTIAL_SCHEMA]).encode()
    with pytest.raises(ValueError, match="SHA-256"):
        BUNDLED.extended([(CREDENTIAL_SCHEMA, data, hashlib.sha256(b"other").hexdigest())])


def test_swapping_the_named_schema_breaks_the_proof(issuer: Ob3Issuer) -> None:
    """credentialSchema is signed: pointing a violating credential at a lenient schema
    after signing is tampering, not a way round the warning."""
    signed = issuer.sign_di(_violating(issuer))
    signed["credentialSchema"] = [{"id": OFFICIAL, "type": VALIDATOR}]
    assert _run(signed, _ctx()).verdict is Verdict.INVALID


def test_cli_prints_the_warning_and_strict_fails(issuer: Ob3Issuer, tmp_path: Path) -> None:
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(issuer.sign_di(_credential(issuer, OFFICIAL))))
    now = "2026-06-01T12:00:00Z"
    result = CliRunner().invoke(main, ["verify", "--offline", "--now", now, str(path)])
    assert result.exit_code == 0 and result.stdout.startswith("verified"), result.stdout
    assert "departs from the standard" in result.stdout and "schema_not_bundled" in result.stdout
    result = CliRunner().invoke(main, ["verify", "-v", "--offline", "--now", now, str(path)])
    assert f"conformance.schema: credentialSchema names {OFFICIAL}" in result.stdout
    result = CliRunner().invoke(main, ["verify", "--offline", "--strict", "--now", now,
                                       "--json", str(path)])
    [report] = json.loads(result.stdout)
    assert result.exit_code == 1 and report["verdict"] == "invalid"
    assert "not bundled with portfolio_gen" in report["reason"]


def test_credential_page_note_is_worded_for_people(issuer: Ob3Issuer) -> None:
    from portfolio_gen.render.verification import conformance_notes

    report = _run(issuer.sign_di(_violating(issuer)), _ctx())
    [note] = conformance_notes(report.checks)
    assert note.code == "schema_invalid"
    assert "authenticity is not affected" in note.text and "{" not in note.text


def test_a_long_credential_schema_list_is_capped(issuer: Ob3Issuer) -> None:
    """Attacker: thousands of schema entries cost nothing and bloat no report."""
    urls = [f"https://schemas.example.test/{i}/{'x' * 300}.json" for i in range(200)]
    check = _schema_check(_run(issuer.sign_di(_credential(issuer, CREDENTIAL_SCHEMA, *urls)),
                               _ctx()))
    assert check.code == "schema_not_bundled"
    assert check.message.count("https://") == 3 and "and 197 more" in check.message
    assert len(check.message) < 1000 and len(check.details["not_checked"]) == 7
    assert check.details["checked"] == [CREDENTIAL_SCHEMA]
