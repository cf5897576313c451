"""Verifiable Presentations (wallet exports): one report per credential, the holder's proof.

Real keys and proofs (portfolio_gen.testing), files on disk read through ingest, no
network (did:key holders, StaticFetcher for a did:web holder's document).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.ingest import IngestProblem, RawCredential, read_file, read_paths
from portfolio_gen.ingest.presentation import MAX_CREDENTIALS
from portfolio_gen.net.static import OfflineFetcher, StaticFetcher
from portfolio_gen.testing.ob3 import Ob3Issuer, did_web
from portfolio_gen.verify.cache import CachedVerifier, ReportCache
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport
from tests.conftest import FIXED_NOW

OFFLINE = VerifyContext(OfflineFetcher(), FIXED_NOW)


@pytest.fixture
def issuer() -> Ob3Issuer:
    return Ob3Issuer("Ed25519", "did:key", name="College")


@pytest.fixture
def holder() -> Ob3Issuer:
    return Ob3Issuer("Ed25519", "did:key", slot=3, name="Learner")


def _two(issuer: Ob3Issuer, subject: str = "did:example:learner") -> list[Any]:
    """An embedded-proof credential and a VC-JWT, as a wallet holds them."""
    return [issuer.sign_di(issuer.credential(subject_id=subject)),
            issuer.sign_jwt(issuer.credential(achievement_name="Maths",
                                              credential_id="urn:uuid:maths"))]


def _write(tmp_path: Path, doc: Any, name: str = "wallet.json", indent: int | None = 2) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=indent), encoding="utf-8")
    return path


def _reports(path: Path, ctx: VerifyContext = OFFLINE) -> list[VerificationReport]:
    return [verify_item(item, ctx) for item in read_file(path)]


def _holder(report: VerificationReport) -> Check:
    found = [c for c in report.checks if c.id == "presentation.holder"]
    assert len(found) == 1, report.to_dict()
    return found[0]


def test_unsigned_wallet_export_gives_one_report_per_credential(
        tmp_path: Path, issuer: Ob3Issuer) -> None:
    # The LCW "Send a credential" shape: VC 2.0 context, no holder, no proof, a .txt file.
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"],
          "type": ["VerifiablePresentation"], "verifiableCredential": _two(issuer)}
    path = _write(tmp_path, vp, "SharedCredentials.txt")
    reports = _reports(path)
    assert [r.source for r in reports] == [f"{path}#0", f"{path}#1"]
    assert [r.verdict for r in reports] == [Verdict.VERIFIED, Verdict.VERIFIED]
    assert [r.achievement_name for r in reports] == ["Teamwork", "Maths"]
    assert [r.format for r in reports] == ["json", "json"]
    for report in reports:
        check = _holder(report)
        assert (check.status, check.code, check.implies) == (
            CheckStatus.SKIP, "presentation_unsigned", None)
        assert "proves no holder" in check.message


def test_items_keep_their_exact_bytes(tmp_path: Path, issuer: Ob3Issuer) -> None:
    credentials = _two(issuer)
    # Odd but valid JSON around and inside the credential: escapes, spacing, non-ASCII.
    first = json.dumps(credentials[0], indent=3, ensure_ascii=True).replace(
        '"type"', '"\\u0074ype"', 1)
    text = ('\ufeff {"type" :["VerifiablePresentation"] , "@context": '
            '["https://www.w3.org/ns/credentials/v2"], "note": "caf\u00e9",\n'
            f' "verifiableCredential" : [ {first} ,\n "{credentials[1]}" ] }}')
    path = tmp_path / "wallet.json"
    path.write_bytes(text.encode("utf-8"))
    items = read_file(path)
    assert all(isinstance(i, RawCredential) for i in items)
    first_item, second_item = items
    assert isinstance(first_item, RawCredential) and isinstance(second_item, RawCredential)
    assert first_item.payload == first.encode("utf-8") == first_item.file_bytes
    assert first_item.payload in path.read_bytes()
    assert first_item.document == credentials[0]
    assert second_item.payload == credentials[1].encode("ascii") == second_item.file_bytes
    assert second_item.jws is not None
    assert [verify_item(i, OFFLINE).verdict for i in items] == [Verdict.VERIFIED] * 2


def test_signed_presentation_proves_its_holder(tmp_path: Path, issuer: Ob3Issuer,
                                               holder: Ob3Issuer) -> None:
    vp = holder.sign_presentation(holder.presentation(_two(issuer, subject=holder.id)))
    reports = _reports(_write(tmp_path, vp))
    assert [r.verdict for r in reports] == [Verdict.VERIFIED, Verdict.VERIFIED]
    first, second = (_holder(r) for r in reports)
    assert (first.status, first.code) == (CheckStatus.PASS, "holder_proven")
    assert first.details["holder"] == holder.id
    assert first.details["challenge"] == "c0ffee-1234"
    assert first.details["holder_is_subject"] is True
    assert "the holder is the credential's subject" in first.message
    assert second.status is CheckStatus.PASS and "holder_is_subject" not in second.details
    assert (first.details["index"], first.details["count"]) == (0, 2)


def test_presentation_without_holder_names_its_signer(tmp_path: Path, issuer: Ob3Issuer,
                                                      holder: Ob3Issuer) -> None:
    vp = holder.sign_presentation(holder.presentation(_two(issuer), holder=False))
    check = _holder(_reports(_write(tmp_path, vp))[0])
    assert check.status is CheckStatus.PASS and check.details["holder"] == holder.id
    assert "names no holder" in check.message


def test_altered_presentation_proves_no_holder_but_credentials_stand(
        tmp_path: Path, issuer: Ob3Issuer, holder: Ob3Issuer) -> None:
    vp = holder.sign_presentation(holder.presentation(_two(issuer)))
    vp["holder"] = "did:example:someone-else"  # after signing
    reports = _reports(_write(tmp_path, vp))
    assert [r.verdict for r in reports] == [Verdict.VERIFIED, Verdict.VERIFIED]
    check = _holder(reports[0])
    assert (check.status, check.implies) == (CheckStatus.FAIL, None)
    assert check.code == "signature_invalid" and "holder" not in check.details


def test_presentation_signed_by_someone_else_than_its_holder(
        tmp_path: Path, issuer: Ob3Issuer, holder: Ob3Issuer) -> None:
    thief = Ob3Issuer("Ed25519", "did:key", slot=4)
    vp = thief.sign_presentation(holder.presentation(_two(issuer)))  # names holder, thief signs
    check = _holder(_reports(_write(tmp_path, vp))[0])
    assert (check.status, check.code) == (CheckStatus.FAIL, "holder_mismatch")
    assert holder.id in check.message and thief.id in check.message


@pytest.mark.parametrize("purpose", ["assertionMethod", "capabilityInvocation"])
def test_presentation_proof_must_be_for_authentication(
        tmp_path: Path, issuer: Ob3Issuer, holder: Ob3Issuer, purpose: str) -> None:
    vp = holder.sign_presentation(holder.presentation(_two(issuer)), purpose=purpose)
    check = _holder(_reports(_write(tmp_path, vp))[0])
    assert (check.status, check.code) == (CheckStatus.FAIL, "bad_proof_purpose")


def test_tampered_credential_inside_a_signed_presentation(
        tmp_path: Path, issuer: Ob3Issuer, holder: Ob3Issuer) -> None:
    credentials = _two(issuer)
    credentials[0]["credentialSubject"]["achievement"]["name"] = "Rocket science"
    vp = holder.sign_presentation(holder.presentation(credentials))  # holder signs the forgery
    reports = _reports(_write(tmp_path, vp))
    assert [r.verdict for r in reports] == [Verdict.INVALID, Verdict.VERIFIED]
    assert _holder(reports[0]).status is CheckStatus.PASS  # the holder did sign it
    assert "holder_is_subject" not in _holder(reports[0]).details


def test_did_web_holder_key_must_be_listed_for_authentication(
        tmp_path: Path, issuer: Ob3Issuer) -> None:
    wallet = Ob3Issuer("P-256", "did:web", host_port="wallet.example", slot=5)
    assert wallet.id == did_web("wallet.example")
    url = "https://wallet.example/.well-known/did.json"
    vp = wallet.sign_presentation(wallet.presentation(_two(issuer)))
    path = _write(tmp_path, vp)
    good = wallet.controller_document()
    ctx = VerifyContext(StaticFetcher({url: json.dumps(good).encode()}), FIXED_NOW)
    assert _holder(_reports(path, ctx)[0]).code == "holder_proven"
    only_assertion = {**good, "authentication": []}
    ctx = VerifyContext(StaticFetcher({url: json.dumps(only_assertion).encode()}), FIXED_NOW)
    check = _holder(_reports(path, ctx)[0])
    assert (check.status, check.code) == (CheckStatus.FAIL, "holder_key_not_authentication")
    offline = _holder(_reports(path)[0])  # the holder's document cannot be had
    assert (offline.status, offline.implies) == (CheckStatus.WARN, None)
    assert _reports(path)[0].verdict is Verdict.VERIFIED


def test_verifierplus_envelope_and_enveloped_jwt(tmp_path: Path, issuer: Ob3Issuer,
                                                 holder: Ob3Issuer) -> None:
    di, token = _two(issuer)
    enveloped = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                 "id": "data:application/vc+jwt," + token,
                 "type": ["EnvelopedVerifiableCredential"]}
    vp = holder.sign_presentation(holder.presentation([di, enveloped]))
    envelope = {"credential": [di], "vp": vp, "id": "abc", "controller": holder.id,
                "shared": True, "createdAt": "2026-01-01T00:00:00Z"}
    reports = _reports(_write(tmp_path, envelope, "shared.json"))
    assert [r.verdict for r in reports] == [Verdict.VERIFIED, Verdict.VERIFIED]
    assert reports[1].achievement_name == "Maths"
    assert _holder(reports[1]).code == "holder_proven"


def test_bad_presentations_are_reported_not_raised(tmp_path: Path, issuer: Ob3Issuer) -> None:
    def vp(items: Any) -> dict[str, Any]:
        return {"@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "VerifiablePresentation", "verifiableCredential": items}

    cases = {
        "empty.json": vp([]),
        "nested.json": vp([vp([issuer.sign_di(issuer.credential())])]),
        "junk.json": vp(["not a jws", 42, {"some": "thing"}]),
        "other-envelope.json": vp([{"type": "EnvelopedVerifiableCredential",
                                    "id": "data:application/vc+sd-jwt,abc.def.ghi"}]),
    }
    for name, doc in cases.items():
        _write(tmp_path, doc, name)
    found = {(i.source.rsplit("/", 1)[-1], i.code) for i in read_paths([tmp_path])
             if isinstance(i, IngestProblem)}
    assert found == {("empty.json", "presentation_empty"),
                     ("nested.json#0", "presentation_nested"),
                     ("junk.json#0", "presentation_item_malformed"),
                     ("junk.json#1", "presentation_item_malformed"),
                     ("junk.json#2", "not_a_badge"),
                     ("other-envelope.json#0", "presentation_envelope_unsupported")}


def test_credential_count_is_bounded(tmp_path: Path, issuer: Ob3Issuer) -> None:
    token = issuer.sign_jwt(issuer.credential())
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"],
          "type": ["VerifiablePresentation"], "verifiableCredential": [token] * 70}
    items = read_file(_write(tmp_path, vp, indent=None))
    assert len(items) == MAX_CREDENTIALS + 1
    last = items[-1]
    assert isinstance(last, IngestProblem) and last.code == "presentation_too_many"


def test_cache_key_covers_the_holder_proof(tmp_path: Path, issuer: Ob3Issuer,
                                          holder: Ob3Issuer) -> None:
    credentials = _two(issuer)
    signed = holder.sign_presentation(holder.presentation(credentials))
    forged = copy.deepcopy(signed)
    forged["holder"] = "did:example:mallory"
    verifier = CachedVerifier(ReportCache(None))
    path = _write(tmp_path, signed)
    first = [verifier.verify(i, OFFLINE) for i in read_file(path)]
    _write(tmp_path, forged)  # same file name, same credential bytes, other presentation
    second = [verifier.verify(i, OFFLINE) for i in read_file(path)]
    assert _holder(first[0]).status is CheckStatus.PASS
    assert _holder(second[0]).status is CheckStatus.FAIL


def test_verify_command_prints_one_row_per_credential_and_the_holder(
        tmp_path: Path, issuer: Ob3Issuer, holder: Ob3Issuer) -> None:
    from click.testing import CliRunner

    from portfolio_gen.cli import main

    _write(tmp_path, {"@context": ["https://www.w3.org/ns/credentials/v2"],
                      "type": ["VerifiablePresentation"], "verifiableCredential": _two(issuer)},
           "SharedCredentials.txt")
    _write(tmp_path, holder.sign_presentation(holder.presentation(_two(issuer))), "wallet.json")
    result = CliRunner().invoke(main, ["verify", "--offline", "--no-cache", "--now",
                                       "2026-06-01T12:00:00Z", str(tmp_path)])
    lines = result.output.splitlines()
    rows = [line for line in lines if line.startswith("verified ")]
    assert [row.split()[1].rsplit("/", 1)[1] for row in rows] == [
        "SharedCredentials.txt#0", "SharedCredentials.txt#1", "wallet.json#0", "wallet.json#1"]
    assert sum("which carries no proof: it proves no holder." in line for line in lines) == 2
    assert sum(f"✓ The presentation is signed by its holder {holder.id}" in line
               for line in lines) == 2
    assert lines[-1] == "4 credential(s): 4 verified" and result.exit_code == 0


def test_pin_lists_the_holders_did_web_document(tmp_path: Path, issuer: Ob3Issuer) -> None:
    from portfolio_gen.verify.pinning import urls_to_pin

    wallet = Ob3Issuer("P-256", "did:web", host_port="wallet.example", slot=5)
    path = _write(tmp_path, wallet.sign_presentation(wallet.presentation(_two(issuer))))
    unsigned = _write(tmp_path, wallet.presentation(_two(issuer)), "unsigned.json")
    assert [urls_to_pin(i) for i in read_file(path)] == \
        [["https://wallet.example/.well-known/did.json"]] * 2
    assert [urls_to_pin(i) for i in read_file(unsigned)] == [[], []]


def test_lcw_public_link_shape_vcdm11_ed25519_2020(tmp_path: Path, issuer: Ob3Issuer,
                                                   holder: Ob3Issuer) -> None:
    # LCW "Create a public link": VC DM 1.1 presentation, Ed25519Signature2020, did:key holder.
    vp = holder.presentation(_two(issuer)[1:], **{"@context": [  # VC-JWT: no context clash
        "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/suites/ed25519-2020/v1"]})
    signed = holder.sign_presentation(vp, cryptosuite="Ed25519Signature2020",
                                      challenge="2f4c5b0e-uuid")
    assert signed["proof"]["type"] == "Ed25519Signature2020"
    (report,) = _reports(_write(tmp_path, signed))
    assert report.verdict is Verdict.VERIFIED
    check = _holder(report)
    assert (check.status, check.details["suite"]) == (CheckStatus.PASS, "Ed25519Signature2020")
    tampered = copy.deepcopy(signed)
    tampered["proof"]["challenge"] = "replayed-elsewhere"  # proof options are signed too
    (report,) = _reports(_write(tmp_path, tampered))
    assert _holder(report).code == "signature_invalid"


def test_holder_of_an_oversized_presentation_is_not_checkable(tmp_path: Path, issuer: Ob3Issuer,
                                                             holder: Ob3Issuer) -> None:
    # 40 credentials of 2 contexts each exceed the JSON-LD context limit of one document: the
    # holder's proof cannot be canonicalized, which is "not checked", never "proven".
    small = holder.sign_presentation(holder.presentation(_two(issuer)[:1]))
    creds = [issuer.sign_jwt(issuer.credential(credential_id=f"urn:uuid:j{i}")) for i in range(2)]
    creds += [issuer.sign_di(issuer.credential(credential_id=f"urn:uuid:{i}")) for i in range(38)]
    vp = {**holder.presentation(creds), "proof": small["proof"]}
    reports = _reports(_write(tmp_path, vp, indent=None))
    assert len(reports) == 40 and {r.verdict for r in reports} == {Verdict.VERIFIED}
    check = _holder(reports[-1])
    assert (check.status, check.implies, check.code) == (CheckStatus.WARN, None, "invalid_jsonld")
    assert "too many contexts" in check.message
