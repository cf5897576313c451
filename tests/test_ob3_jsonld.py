"""Pinned contexts, URDNA2015 canonicalization, context safety and the data-loss check."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.errors import ContextError
from portfolio_gen.verify.ob3 import jsonld
from tests.support.httpserver import LoopbackServer

VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

REQUIRED_URLS = {
    VC1, VC2,
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    OB303,
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://w3id.org/security/multikey/v1",
    "https://www.w3.org/ns/credentials/status/v1",
    "https://w3id.org/vc/status-list/2021/v1",
    "https://www.w3.org/ns/did/v1",
}


def ob_credential() -> dict[str, Any]:
    """A small OB 3.0 credential (VC DM 2.0 + OB 3.0.3 context)."""
    return {
        "@context": [VC2, OB303],
        "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Teamwork Badge",
        "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"],
                   "name": "Example University"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Works well with others.",
                "criteria": {"narrative": "Team project."},
            },
        },
    }


# -- the bundle -----------------------------------------------------------------------------
def test_manifest_lists_every_required_url_with_matching_hashes() -> None:
    manifest = json.loads((jsonld.BUNDLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    urls = {e["url"] for e in manifest["contexts"]}
    assert urls >= REQUIRED_URLS
    for entry in manifest["contexts"]:
        data = (jsonld.BUNDLE_DIR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert entry["package"] and entry["version"] and entry["derivation"]
    assert jsonld.default_store().urls() == frozenset(urls)


def test_superset_variant_adds_only_the_documented_terms() -> None:
    store = jsonld.default_store()
    assert store.variants_of(OB303) == ["published", "validator-superset"]
    base = store.pinned(OB303).document["@context"]
    sup = store.pinned(OB303, "validator-superset").document["@context"]
    assert set(sup) - set(base) == {"endorsementJwt", "jti"}
    assert {k: v for k, v in sup.items() if k in base} == base


def _copy_bundle(tmp_path: Path) -> Path:
    target = tmp_path / "contexts"
    shutil.copytree(jsonld.BUNDLE_DIR, target)
    return target


def test_tampered_bundled_context_is_refused(tmp_path: Path) -> None:
    folder = _copy_bundle(tmp_path)
    assert jsonld.ContextStore.from_directory(folder).urls()  # the untouched copy loads
    path = folder / "credentials-v2.jsonld"
    path.write_bytes(path.read_bytes().replace(b"credentials#issuer", b"credentials#issuex", 1))
    with pytest.raises(ContextError) as info:
        jsonld.ContextStore.from_directory(folder)
    assert info.value.url == VC2
    assert "SHA-256" in info.value.reason


def test_missing_bundled_context_file_is_refused(tmp_path: Path) -> None:
    folder = _copy_bundle(tmp_path)
    (folder / "did-v1.jsonld").unlink()
    with pytest.raises(ContextError) as info:
        jsonld.ContextStore.from_directory(folder)
    assert info.value.url == "https://www.w3.org/ns/did/v1"


def test_extended_store_checks_hashes_and_refuses_redefinition() -> None:
    store = jsonld.default_store()
    data = b'{"@context": {"ex": "https://example.org/ns#"}}'
    with pytest.raises(ContextError, match="SHA-256"):
        store.extended([("https://example.org/ctx", data, "00" * 32)])
    bigger = store.extended([("https://example.org/ctx", data, hashlib.sha256(data).hexdigest())])
    assert "https://example.org/ctx" in bigger.urls()
    assert "https://example.org/ctx" not in store.urls()
    with pytest.raises(ContextError, match="already pinned"):
        store.extended([(VC2, data, hashlib.sha256(data).hexdigest())])


# -- canonicalization ----------------------------------------------------------------------
def test_canonical_form_is_urdna2015_nquads() -> None:
    canon = jsonld.canonicalize(ob_credential())
    lines = canon.splitlines()
    assert lines == sorted(lines) and canon.endswith("\n")
    assert (f"<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> {RDF_TYPE} "
            "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .") in lines
    assert any(line.startswith("_:c14n0 ") for line in lines)  # URDNA2015 labels, not _:b0
    assert not any("_:b" in line for line in lines)


def test_canonical_form_ignores_member_order_and_detects_value_changes() -> None:
    doc = ob_credential()
    reordered = dict(reversed(list(doc.items())))
    reordered["credentialSubject"] = dict(reversed(list(doc["credentialSubject"].items())))
    assert jsonld.canonicalize(reordered) == jsonld.canonicalize(doc)
    changed = copy.deepcopy(doc)
    changed["credentialSubject"]["achievement"]["name"] = "Teamwork!"
    assert jsonld.canonicalize(changed) != jsonld.canonicalize(doc)


def test_canonicalization_is_thread_safe() -> None:
    docs = []
    for i in range(16):
        doc = ob_credential()
        doc["name"] = f"Badge {i}"
        docs.append(doc)
    expected = [jsonld.canonicalize(d) for d in docs]
    store = jsonld.ContextStore.from_directory(jsonld.BUNDLE_DIR)  # cold caches
    results: dict[int, str] = {}

    def work(i: int) -> None:
        results[i] = store.canonicalize(docs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(docs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[i] for i in range(len(docs))] == expected


# -- refusing contexts ---------------------------------------------------------------------
def test_unknown_context_url_is_refused_and_never_fetched() -> None:
    with LoopbackServer() as srv:
        url = srv.add("/ctx.jsonld", {"@context": {"name": "https://schema.org/name"}})
        doc = ob_credential()
        doc["@context"] = [VC2, OB303, url]
        with pytest.raises(ContextError) as info:
            jsonld.canonicalize(doc)
        assert info.value.url == url
        nested = ob_credential()
        nested["credentialSubject"]["@context"] = {"@import": url}
        with pytest.raises(ContextError) as info2:
            jsonld.find_dropped_terms(nested)
        assert info2.value.url == url
        assert srv.requests == []


def test_unknown_context_inside_scoped_definition_is_refused() -> None:
    doc = ob_credential()
    doc["@context"] = [VC2, OB303, {"Thing": {"@id": "urn:thing",
                                              "@context": "https://evil.example/ctx"}}]
    with pytest.raises(ContextError) as info:
        jsonld.canonicalize(doc)
    assert info.value.url == "https://evil.example/ctx"


def test_protected_term_redefinition_is_a_context_error() -> None:
    doc = ob_credential()
    doc["@context"] = [VC2, OB303, {"name": "https://evil.example/name"}]
    with pytest.raises(ContextError) as info:
        jsonld.canonicalize(doc)
    assert info.value.url is None
    assert "protected term redefinition" in info.value.reason


def _deep_context(depth: int) -> dict[str, Any]:
    ctx: dict[str, Any] = {"leaf": "urn:leaf"}
    for i in range(depth):
        ctx = {f"t{i}": {"@id": f"urn:t{i}", "@context": ctx}}
    return ctx


def test_context_bombs_are_refused() -> None:
    deep = ob_credential()
    deep["@context"] = [VC2, OB303, _deep_context(40)]
    with pytest.raises(ContextError, match="nests deeper"):
        jsonld.canonicalize(deep)
    huge = ob_credential()
    huge["@context"] = [VC2, OB303, {f"term{i}": f"urn:x:{i}" for i in range(5000)}]
    with pytest.raises(ContextError, match="too large"):
        jsonld.canonicalize(huge)
    many = ob_credential()
    many["@context"] = [VC2, OB303, *([{"ex": "urn:ex:"}] * 100)]
    with pytest.raises(ContextError, match="too many contexts"):
        jsonld.canonicalize(many)
    small = ob_credential()
    small["@context"] = [VC2, OB303, _deep_context(2)]
    assert jsonld.canonicalize(small)  # small inline contexts are fine


def test_deep_document_is_refused_without_recursion_error() -> None:
    doc = ob_credential()
    node: dict[str, Any] = doc["credentialSubject"]
    for _ in range(5000):
        node["achievement"] = {"type": ["Achievement"]}
        node = node["achievement"]
    with pytest.raises(ContextError, match="nests deeper"):
        jsonld.canonicalize(doc)


def test_poison_graph_hits_the_work_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clique of blank nodes makes N-degree hashing explode; the bound stops it."""
    def clique(n: int) -> dict[str, Any]:
        nodes = [{"@id": f"_:n{i}", "urn:p": [{"@id": f"_:n{j}"} for j in range(n) if j != i]}
                 for i in range(n)]
        return {"@context": {"@vocab": "urn:v:"}, "@graph": nodes}

    assert jsonld.canonicalize(clique(3)).count("\n") == 6
    monkeypatch.setattr(jsonld, "MAX_NDEGREE_CALLS", 200)
    with pytest.raises(ContextError, match="work bound"):
        jsonld.canonicalize(clique(8))


# -- data-loss check -----------------------------------------------------------------------
def test_clean_credential_has_no_dropped_terms() -> None:
    assert jsonld.find_dropped_terms(ob_credential()) == []


def test_added_undefined_fields_are_found_at_top_level_and_nested() -> None:
    doc = ob_credential()
    doc["evilTopLevel"] = "unsigned"
    doc["credentialSubject"]["achievement"]["criteria"]["evilNested"] = "unsigned"
    assert sorted(jsonld.find_dropped_terms(doc)) == [
        "$.credentialSubject.achievement.criteria.evilNested", "$.evilTopLevel"]


def test_relative_type_and_id_are_found() -> None:
    doc = ob_credential()
    doc["credentialStatus"] = {"id": "https://example.edu/status/1",
                               "type": "StatusList2021Entry"}  # undefined under VC v2 alone
    doc["credentialSubject"]["achievement"]["id"] = "teamwork"
    dropped = jsonld.find_dropped_terms(doc)
    assert "$.credentialStatus@type=StatusList2021Entry" in dropped
    assert "$.credentialSubject.achievement@id=teamwork" in dropped


def test_null_vocab_and_null_terms_cannot_hide_fields() -> None:
    doc = ob_credential()
    doc["credentialSubject"]["@context"] = {"@vocab": None, "hidden": None}
    doc["credentialSubject"]["hidden"] = "unsigned"
    doc["credentialSubject"]["other"] = "unsigned"
    dropped = jsonld.find_dropped_terms(doc)
    assert "$.credentialSubject.hidden" in dropped
    assert "$.credentialSubject.other" in dropped


def test_documents_own_vocab_counts_as_definition() -> None:
    doc = ob_credential()
    doc["@context"] = [VC2, OB303, {"@vocab": "https://example.org/terms#"}]
    doc["extraTerm"] = "signed through @vocab"
    assert jsonld.find_dropped_terms(doc) == []


def test_variant_changes_what_is_defined() -> None:
    doc = ob_credential()
    doc["endorsementJwt"] = ["eyJhbGciOiJFUzI1NiJ9.e30.c2ln"]
    assert jsonld.context_variant_for(doc) == "published"
    assert jsonld.find_dropped_terms(doc) == ["$.endorsementJwt"]
    assert jsonld.find_dropped_terms(doc, variant="validator-superset") == []
    plain = ob_credential()
    plain["@context"] = [VC2]
    assert jsonld.context_variant_for(plain) is None


# -- against the published vectors and fixtures (skip without ../shared/conformance) --------
def conformance_store(conformance_dir: Path) -> jsonld.ContextStore:
    """The bundle plus the fixture contexts no npm package ships (read, never copied)."""
    manifest = json.loads((conformance_dir / "manifest.json").read_text(encoding="utf-8"))
    base = jsonld.default_store()
    extra = [(url, (conformance_dir / e["file"]).read_bytes(), e["sha256"])
             for url, e in manifest["contexts"].items() if url not in base.urls()]
    return base.extended(extra, source="conformance")


@pytest.mark.conformance
@pytest.mark.parametrize("folder", ["ob", "clr"])
def test_spec_vector_canonical_forms(conformance_dir: Path, folder: str) -> None:
    store = conformance_store(conformance_dir)
    base = conformance_dir / "ob30-spec-vector" / folder
    unsigned = json.loads((base / "credential-unsigned.json").read_text(encoding="utf-8"))
    assert store.canonicalize(unsigned) == (base / "document-canon.txt").read_text("utf-8")
    options = json.loads((base / "proof-options.json").read_text(encoding="utf-8"))
    config = {**options, "@context": unsigned["@context"]}
    assert store.canonicalize(config) == (base / "proof-canon.txt").read_text("utf-8")


def _fixture_cases(conformance_dir: Path) -> list[dict[str, Any]]:
    manifest = json.loads((conformance_dir / "manifest.json").read_text(encoding="utf-8"))
    return [c for c in manifest["cases"] if c["format"] == "json"
            and c["spec"] in ("ob3", "clr2", "vector")]


def _unsecured(conformance_dir: Path, case: dict[str, Any]) -> dict[str, Any]:
    doc = json.loads((conformance_dir / case["file"]).read_text(encoding="utf-8"))
    return {k: v for k, v in doc.items() if k != "proof"}


@pytest.mark.conformance
def test_data_loss_check_has_no_false_positives_on_fixtures(conformance_dir: Path) -> None:
    store = conformance_store(conformance_dir)
    checked = 0
    for case in _fixture_cases(conformance_dir):
        context_related = (case.get("failing_check") in ("type", "context")
                           or "safe mode" in case.get("notes", ""))
        doc = _unsecured(conformance_dir, case)
        if context_related or not all(u in store.urls() for u in jsonld._context_urls(doc)):
            continue
        assert store.find_dropped_terms(doc) == [], case["id"]
        checked += 1
    assert checked >= 30


@pytest.mark.conformance
def test_data_loss_check_flags_fixtures_with_undefined_types(conformance_dir: Path) -> None:
    store = conformance_store(conformance_dir)
    flagged = [c["id"] for c in _fixture_cases(conformance_dir)
               if c.get("failing_check") == "type"
               and store.find_dropped_terms(_unsecured(conformance_dir, c))]
    assert len(flagged) == len([c for c in _fixture_cases(conformance_dir)
                                if c.get("failing_check") == "type"]) >= 10


@pytest.mark.conformance
def test_fixture_with_retired_context_is_refused(conformance_dir: Path) -> None:
    store = conformance_store(conformance_dir)
    case = next(c for c in _fixture_cases(conformance_dir) if c["id"] == "clr20-no-outer-proof")
    with pytest.raises(ContextError) as info:
        store.canonicalize(_unsecured(conformance_dir, case))
    assert info.value.url == "https://dc.imsglobal.org/draft/clr/v2p0/context"
