"""Strict JSON reading and classification of JSON credentials (verification.md §8.1-8.2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio_gen.errors import BadInput
from portfolio_gen.ingest import Container, IngestProblem, Kind, RawCredential, read_file
from portfolio_gen.ingest.jsontext import MAX_DEPTH, nesting_depth, parse_json_object

OB2 = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
       "id": "https://issuer.example/assertions/1", "recipient": {"type": "email",
       "identity": "learner@example.org", "hashed": False},
       "badge": "https://issuer.example/badges/1", "verification": {"type": "hosted"},
       "issuedOn": "2025-01-01T00:00:00Z"}
OB3 = {"@context": ["https://www.w3.org/ns/credentials/v2",
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
       "type": ["VerifiableCredential", "OpenBadgeCredential"], "id": "urn:uuid:1",
       "issuer": {"id": "did:example:1", "type": ["Profile"]},
       "credentialSubject": {"type": ["AchievementSubject"]}}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _one(path: Path) -> RawCredential | IngestProblem:
    items = read_file(path)
    assert len(items) == 1
    return items[0]


def _problem(path: Path) -> IngestProblem:
    item = _one(path)
    assert isinstance(item, IngestProblem), item
    assert item.source == str(path)
    assert item.reason.endswith(".") and len(item.reason) < 300
    return item


@pytest.mark.parametrize(("doc", "kind"), [
    (OB2, Kind.OB2_ASSERTION),
    ({**OB2, "@context": "https://w3id.org/openbadges/v1"}, Kind.OB2_ASSERTION),
    ({k: v for k, v in OB2.items() if k not in ("@context", "type")}, Kind.OB2_ASSERTION),
    ({"@context": "https://w3id.org/openbadges/v2", "id": "https://x.example/a"},
     Kind.OB2_ASSERTION),
    ({**OB2, "type": "OtherAssertion"}, Kind.OB2_ASSERTION),
    ({"recipient": "a@example.org", "badge": "https://x.example/b", "verify": {}},
     Kind.OB2_ASSERTION),
    ({**OB2, "@context": "https://w3id.org/openbadges/invalid"}, Kind.OB2_ASSERTION),
    (OB3, Kind.OB3_CREDENTIAL),
    ({**OB3, "@context": ["https://www.w3.org/2018/credentials/v1"]}, Kind.OB3_CREDENTIAL),
    ({**OB3, "type": ["VerifiableCredential", "ClrCredential"]}, Kind.OB3_CREDENTIAL),
    ({**OB3, "type": ["VerifiableCredential", "EndorsementCredential"]}, Kind.OB3_CREDENTIAL),
    ({**OB3, "type": ["VerifiableCredential", "AlumniCredential"]}, Kind.OB3_CREDENTIAL),
    # a wrong first context is still a VC: the OB 3.0 verifier must be the one to reject it
    ({**OB3, "@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]},
     Kind.OB3_CREDENTIAL),
])
def test_json_kinds(tmp_path: Path, doc: dict[str, object], kind: Kind) -> None:
    data = json.dumps(doc, indent=1).encode()
    item = _one(_write(tmp_path, "badge.json", data))
    assert isinstance(item, RawCredential)
    assert (item.container, item.kind) == (Container.JSON, kind)
    assert item.payload == data and item.file_bytes == data
    assert item.document == doc


def test_payload_is_exact_bytes_and_bom_is_tolerated(tmp_path: Path) -> None:
    text = b'{ "type" : ["VerifiableCredential"],\r\n  "credentialSubject":{} }\n'
    item = _one(_write(tmp_path, "b.json", b"\xef\xbb\xbf" + text))
    assert isinstance(item, RawCredential)
    assert item.payload == text
    assert item.file_bytes == b"\xef\xbb\xbf" + text


@pytest.mark.parametrize(("data", "code", "words"), [
    (b'{"a": 1,', "json_malformed", "not valid JSON"),
    (b'{"type": "Assertion", "n": NaN}', "json_malformed", "NaN"),
    (b'{"type": "Assertion", "n": -Infinity}', "json_malformed", "Infinity"),
    (b'{"type": "Assertion", "type": "Assertion"}', "json_duplicate_key", "'type'"),
    (b'{"a": {"b": 1, "b": 2}}', "json_duplicate_key", "'b'"),
    (b'[{"type": "Assertion"}]', "json_not_object", "list"),
    (b'{"a": "\xff\xfe"}', "not_utf8", "UTF-8"),
    (b'{"x": ' + b"9" * 5000 + b"}", "json_malformed", "not valid JSON"),
    (b'{"type": "Assertion", "name": "\\ud800"}', "json_bad_unicode", "surrogate"),
    (b'{"type": "Assertion", "\\udfff": 1}', "json_bad_unicode", "surrogate"),
    (b'{"name": "notes"}', "not_a_badge", "neither"),
    (b'{"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "name": "B"}',
     "not_a_badge", "neither"),
    (b'{"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey"}',
     "not_a_badge", "neither"),
])
def test_bad_json_is_a_problem(tmp_path: Path, data: bytes, code: str, words: str) -> None:
    problem = _problem(_write(tmp_path, "bad.json", data))
    assert problem.code == code
    assert words in problem.reason
    assert problem.container == "json"


@pytest.mark.parametrize("opener", [b"[", b'{"a":'])
def test_100k_deep_nesting_is_refused_before_parsing(tmp_path: Path, opener: bytes) -> None:
    problem = _problem(_write(tmp_path, "deep.json", opener * 100_000))
    assert problem.code == "json_too_deep"
    assert str(MAX_DEPTH) in problem.reason


def test_depth_limit_is_exact() -> None:
    ok = b'{"a":' * (MAX_DEPTH - 1) + b"[]" + b"}" * (MAX_DEPTH - 1)
    assert nesting_depth(ok) == MAX_DEPTH
    assert parse_json_object(ok)
    with pytest.raises(BadInput) as info:
        parse_json_object(b"[" + ok + b"]")
    assert info.value.code == "json_too_deep"


def test_brackets_inside_strings_do_not_count() -> None:
    data = b'{"a": "[[[[{{{\\"]]]", "b": ["\\\\", {"c": "}}}"}]}'
    assert nesting_depth(data) == 3
    assert parse_json_object(data)["a"] == '[[[[{{{"]]]'


def test_unterminated_string_is_malformed_not_slow() -> None:
    with pytest.raises(BadInput) as info:
        parse_json_object(b'{"a": "' + b'\\"' * 1_000_000)
    assert info.value.code == "json_malformed"


def test_huge_json_file_is_refused(tmp_path: Path) -> None:
    data = b'{"pad": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    problem = _problem(_write(tmp_path, "huge.json", data))
    assert problem.code == "too_large"


def test_whitespace_only_and_empty_files(tmp_path: Path) -> None:
    assert _problem(_write(tmp_path, "empty.json", b"")).code == "empty"
    assert _problem(_write(tmp_path, "blank.json", b" \n\t ")).code == "empty"
