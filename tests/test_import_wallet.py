"""Splitting wallet exports: each credential cut out at its exact bytes (import.md §6, §8 E)."""

from __future__ import annotations

import json

from portfolio_gen.importer.wallet import split_wallet
from portfolio_gen.testing.ob3 import Ob3Issuer

ISSUER = Ob3Issuer()


def _vc(name: str, uid: str) -> dict[str, object]:
    return ISSUER.sign_di(ISSUER.credential(achievement_name=name,
                                            credential_id=f"urn:uuid:{uid}"))


def test_lcw_presentation_keeps_each_credential_byte_for_byte() -> None:
    one = json.dumps(_vc("Teamwork", "00000000-0000-4000-8000-000000000001"), indent=3)
    two = json.dumps(_vc("Écoute", "00000000-0000-4000-8000-000000000002"), ensure_ascii=False,
                     separators=(",", ":"))
    jwt = ISSUER.sign_jwt(ISSUER.credential(credential_id="urn:uuid:jwt-1"))
    text = ('{\n  "@context": ["https://www.w3.org/ns/credentials/v2"],\n'
            '  "type": ["VerifiablePresentation"],\n  "verifiableCredential": [\n'
            f'    {one},\n    {two},\n    "{jwt}"\n  ]\n}}\n')
    split = split_wallet(text.encode("utf-8"))
    assert split is not None and split.kind == "presentation" and not split.backup
    assert [p.data for p in split.parts] == [one.encode(), two.encode(), jwt.encode()]
    assert [p.suffix for p in split.parts] == [".json", ".json", ".jwt"]


def test_single_credential_presentation_and_enveloped_jwt() -> None:
    vc = json.dumps(_vc("Teamwork", "00000000-0000-4000-8000-000000000003"))
    text = f'{{"type": "VerifiablePresentation", "verifiableCredential": {vc}}}'
    split = split_wallet(text.encode())
    assert split is not None and [p.data for p in split.parts] == [vc.encode()]
    jwt = ISSUER.sign_jwt(ISSUER.credential())
    env = {"type": ["VerifiablePresentation"], "verifiableCredential": [
        {"type": "EnvelopedVerifiableCredential", "id": f"data:application/vc+jwt,{jwt}"}]}
    split = split_wallet(json.dumps(env).encode())
    assert split is not None and [p.data for p in split.parts] == [jwt.encode()]


def test_verifierplus_envelope_uses_the_presentations_credentials() -> None:
    vc = json.dumps(_vc("Teamwork", "00000000-0000-4000-8000-000000000004"), indent=1)
    text = (f'{{"credential": [{vc}], "vp": {{"type": "VerifiablePresentation", "holder": '
            f'"did:example:me", "verifiableCredential": [{vc}]}}, "id": "x", "shared": true}}')
    split = split_wallet(text.encode())
    assert split is not None and split.kind == "verifierplus"
    assert [p.data for p in split.parts] == [vc.encode()]


def test_wallet_backup_yields_credentials_only_and_is_flagged() -> None:
    vc = json.dumps(_vc("Teamwork", "00000000-0000-4000-8000-000000000005"))
    backup = (f'{{"@context": ["https://w3id.org/wallet/v1"], "type": "UniversalWallet2020", '
              f'"status": "UNLOCKED", "contents": [{vc}, {{"type": "Ed25519VerificationKey2020",'
              f' "privateKeyMultibase": "zSECRET"}}, {{"type": "ProfileMetadata"}}]}}')
    split = split_wallet(backup.encode())
    assert split is not None and split.backup
    assert [p.data for p in split.parts] == [vc.encode()]
    assert all(b"SECRET" not in p.data for p in split.parts)


def test_a_list_of_credentials_and_things_that_are_not_wallets() -> None:
    a = json.dumps(_vc("A", "00000000-0000-4000-8000-000000000006"))
    b = json.dumps(_vc("B", "00000000-0000-4000-8000-000000000007"))
    split = split_wallet(f"\ufeff[ {a} ,\n{b} ]".encode())
    assert split is not None and [p.data for p in split.parts] == [a.encode(), b.encode()]
    assert split_wallet(a.encode()) is None                    # one credential: not a set
    assert split_wallet(b'{"type": "BadgeClass"}') is None
    assert split_wallet(b'[1, 2, 3]') is None
    assert split_wallet(b'{"a": 1} trailing') is None          # not JSON: left to ingestion
    assert split_wallet(b'{"type": "VerifiablePresentation", "a": 1, "a": 2}') is None
    assert split_wallet(b"[" * 5000) is None                   # hostile nesting: no crash
