"""Proof of holding (issue #14 item 3): ``portfolio-gen holder init`` and ``presentation.json``.

Real keys, real signatures, real MkDocs builds of the sample portfolio, and the Node reference
libraries (``tools/interop/verify-presentation.mjs``) when Node and its modules are present.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from portfolio_gen.cli import main
from portfolio_gen.config import load_profile
from portfolio_gen.errors import ConfigError
from portfolio_gen.holder.key import (
    ENV_VAR,
    find_key,
    key_text,
    load_key,
    new_key,
    parse_key,
    save_key,
)
from portfolio_gen.holder.presentation import verify_presentation
from portfolio_gen.holder.profile_edit import add_identifier
from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.testing.ob3 import Ob3Issuer
from portfolio_gen.verify.report import CheckStatus

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "interop"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CHALLENGE = "2026-06-01T12:00:00Z"
SITE_URL = "https://maya-okafor.github.io/portfolio/"


# -- the key ------------------------------------------------------------------------------------

def test_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    key = new_key()
    path = tmp_path / "conf" / "holder-key.json"
    save_key(key, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path) == key and key.did.startswith("did:key:z6Mk")
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="not overwritten"):
        save_key(new_key(), path)
    assert path.read_bytes() == before
    assert "privateKeySeed" not in repr(key) and key.did in repr(key)


def test_a_key_whose_did_is_not_its_own_is_refused() -> None:
    a, b = new_key(), new_key()
    forged = json.loads(key_text(a))
    forged["did"] = b.did          # claims b's identity with a's private key
    with pytest.raises(ConfigError, match="does not belong"):
        parse_key(json.dumps(forged), "x")
    with pytest.raises(ConfigError, match="not a holder key"):
        parse_key('{"type": "something else"}', "x")


def test_a_key_is_used_only_for_a_portfolio_that_declares_its_did(tmp_path: Path) -> None:
    key = new_key()
    env = {ENV_VAR: key_text(key), "XDG_CONFIG_HOME": str(tmp_path)}
    assert find_key(None, (key.did,), env) == (key, None)
    found, note = find_key(None, ("ada@example.org",), env)
    assert found is None and note and "not among profile.yml identifiers" in note
    # CI without the secret: the variable is passed but empty -> said once, nothing else
    found, note = find_key(None, (key.did,), {ENV_VAR: "", "XDG_CONFIG_HOME": str(tmp_path)})
    assert found is None and note and "secret is not set" in note
    # ... but a learner who never set up a holder key (no did:key declared) is not told, so
    # an opted-in `build --strict` in the scaffolded workflow does not fail on it
    assert find_key(None, ("ada@example.org",),
                    {ENV_VAR: "", "XDG_CONFIG_HOME": str(tmp_path)}) == (None, None)
    # nobody asked for a presentation: silence
    assert find_key(None, (key.did,), {"XDG_CONFIG_HOME": str(tmp_path)}) == (None, None)
    # a key file inside the portfolio folder (committed, maybe published) is refused
    inside = tmp_path / "portfolio" / "keys" / "holder.json"
    save_key(key, inside)
    found, note = find_key(inside, (key.did,), {"XDG_CONFIG_HOME": str(tmp_path)},
                           tmp_path / "portfolio")
    assert found is None and note and "inside the portfolio folder" in note
    assert find_key(inside, (key.did,), {"XDG_CONFIG_HOME": str(tmp_path)},
                    tmp_path / "elsewhere") == (key, None)
    # the default key file is used when its DID is declared
    save_key(key, tmp_path / "portfolio-gen" / "holder-key.json")
    assert find_key(None, (key.did,), {"XDG_CONFIG_HOME": str(tmp_path)}) == (key, None)


# -- profile.yml edit -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "name: A\n# mine\nidentifiers:   # keep me\n  - a@x.org\n  # and me\n  - b@x.org\nbio: hi\n",
    "name: A\nidentifiers:\n- a@x.org\nbio: hi\n",
    "name: A\nidentifiers: [a@x.org]  # flow\n",
    "name: A\nidentifiers: a@x.org\n",
    "name: A\nidentifiers:\nbio: x\n",
    "name: A",
    "\ufeffname: A\nidentifiers:\n  - a@x.org\n",
])
def test_profile_gains_the_did_and_keeps_the_learners_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "profile.yml"
    path.write_text(text, encoding="utf-8")
    before = load_profile(path)
    assert add_identifier(path, "did:key:z6MkTest")
    after = load_profile(path)
    assert after.identifiers == (*before.identifiers, "did:key:z6MkTest")
    assert after.name == before.name and after.bio == before.bio
    new = path.read_text(encoding="utf-8")
    for line in text.lstrip("\ufeff").splitlines():
        if line.strip().startswith("#") or "# " in line:
            assert line.split("#", 1)[1] in new   # comments survive
    assert not add_identifier(path, "did:key:z6MkTest")   # idempotent
    assert path.read_text(encoding="utf-8") == new


def test_holder_init_cli(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "profile.yml").write_text("name: Ada\n# my ids\nidentifiers:\n  - ada@x.org\n",
                                         encoding="utf-8")
    key_path = tmp_path / "secret" / "holder.json"
    runner = CliRunner()
    result = runner.invoke(main, ["holder", "init", str(project), "--key", str(key_path)])
    assert result.exit_code == 0, result.output
    key = load_key(key_path)
    assert str(key_path) in result.output and key.did in result.output
    assert ENV_VAR in result.output
    assert "# my ids" in (project / "profile.yml").read_text(encoding="utf-8")
    assert load_profile(project / "profile.yml").identifiers == ("ada@x.org", key.did)
    # refuses to overwrite, and never puts the key inside the portfolio folder
    again = runner.invoke(main, ["holder", "init", str(project), "--key", str(key_path)])
    assert again.exit_code != 0 and load_key(key_path) == key
    inside = runner.invoke(main, ["holder", "init", str(project),
                                  "--key", str(project / "k.json")])
    assert inside.exit_code != 0 and not (project / "k.json").exists()


# -- presentation.json round trip ------------------------------------------------------------

@pytest.fixture(scope="module")
def holder_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The sample, plus two credentials issued to the holder's DID, built with the key."""
    root = tmp_path_factory.mktemp("holder")
    project = root / "project"
    project.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "sample_portfolio", project / "sample_portfolio")
    key = new_key()
    add_identifier(project / "sample_portfolio" / "profile.yml", key.did)
    issuer = Ob3Issuer("Ed25519", "did:key", name="Holder Test Academy")
    doc = issuer.credential(subject_id=key.did, achievement_name="Presenting",
                            credential_id="urn:uuid:0f0f0f0f-1111-4c8e-9d7a-0d7a1b2c3d01")
    badges = project / "sample_portfolio" / "badges"
    # odd spacing and key order on purpose: the presentation must carry the parsed original
    (badges / "held.json").write_text(json.dumps(issuer.sign_di(doc), indent=3),
                                      encoding="utf-8")
    doc2 = issuer.credential(subject_id=key.did, achievement_name="Listening",
                             credential_id="urn:uuid:0f0f0f0f-1111-4c8e-9d7a-0d7a1b2c3d02")
    (badges / "held.jwt").write_text(issuer.sign_jwt(doc2), encoding="ascii")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_VAR, key_text(key))
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        summary = build_site(project, site_dir=root / "site", now=NOW)
    yield {"root": root, "project": project, "site": root / "site", "key": key,
           "summary": summary, "badges": badges}


def test_build_publishes_a_presentation_our_verifier_accepts(holder_site: dict[str, Any]) -> None:
    site, key = holder_site["site"], holder_site["key"]
    data = (site / "presentation.json").read_bytes()
    check = verify_presentation(data, holder=key.did, domain=SITE_URL, challenge=CHALLENGE)
    assert check.status is CheckStatus.PASS, check
    vp = json.loads(data)
    assert vp["holder"] == key.did and vp["type"] == ["VerifiablePresentation"]
    proof = vp["proof"]
    assert (proof["cryptosuite"], proof["proofPurpose"], proof["domain"], proof["challenge"]) == (
        "eddsa-jcs-2022", "authentication", SITE_URL, CHALLENGE)
    # another domain or challenge (a replay elsewhere, or an old build) is refused
    assert verify_presentation(data, holder=key.did, domain="https://evil.example/",
                               challenge=CHALLENGE).status is CheckStatus.FAIL
    assert verify_presentation(data, holder=key.did, domain=SITE_URL,
                               challenge="2020-01-01T00:00:00Z").status is CheckStatus.FAIL


def test_the_wallet_export_verifier_reads_it_back(holder_site: dict[str, Any]) -> None:
    """The presentation ingest + holder check (issue #12) on our own presentation.json: every
    credential inside verifies on its own, and the holder's proof is proven for each."""
    from portfolio_gen.ingest import RawCredential, read_paths
    from portfolio_gen.net.store import make_fetcher
    from portfolio_gen.verify.context import VerifyContext, VerifyOptions
    from portfolio_gen.verify.pipeline import verify_item

    key = holder_site["key"]
    pins = holder_site["project"] / "sample_portfolio" / "pins"
    ctx = VerifyContext(make_fetcher(offline=True, pins=pins), NOW,
                        VerifyOptions(identities=(key.did,)))
    items = list(read_paths([holder_site["site"] / "presentation.json"]))
    assert len(items) == len(json.loads((holder_site["site"] / "presentation.json")
                                        .read_bytes())["verifiableCredential"])
    held = 0
    for item in items:
        assert isinstance(item, RawCredential), item
        report = verify_item(item, ctx)
        assert report.verdict.value == "verified", (item.source, report.reason)
        holder = next(c for c in report.checks if c.id == "presentation.holder")
        assert holder.status is CheckStatus.PASS and holder.details["holder"] == key.did
        held += bool(holder.details.get("holder_is_subject"))
    assert held == 2   # the two credentials issued to the holder's DID


def test_presentation_carries_the_counted_credentials_exactly_as_found(
        holder_site: dict[str, Any]) -> None:
    vp = json.loads((holder_site["site"] / "presentation.json").read_bytes())
    badges: Path = holder_site["badges"]
    embedded = vp["verifiableCredential"]
    jsons = [c for c in embedded if c.get("type") != "EnvelopedVerifiableCredential"]
    jwts = [c["id"].removeprefix("data:application/vc+jwt,") for c in embedded
            if c.get("type") == "EnvelopedVerifiableCredential"]
    assert json.loads((badges / "held.json").read_text()) in jsons
    assert (badges / "held.jwt").read_text().strip() in jwts
    assert (badges / "harbour-tech-community-speaker.jwt").read_text().strip() in jwts
    ids = {c.get("id") for c in jsons}
    # verified OB 3.0 credentials of this learner only: never the tampered one, never the
    # classmate's
    assert "urn:uuid:5b0f3c1e-8d2a-4f61-9a77-2c4e1d6b9a01" in ids
    assert "urn:uuid:5b0f3c1e-8d2a-4f61-9a77-2c4e1d6b9a04" not in ids   # tampered
    assert "urn:uuid:5b0f3c1e-8d2a-4f61-9a77-2c4e1d6b9a05" not in ids   # not hers


def test_held_credentials_say_so_and_others_do_not(holder_site: dict[str, Any]) -> None:
    site = holder_site["site"]
    held = [p for p in (site / "credentials").glob("*/index.html")
            if "data-pg-held" in p.read_text(encoding="utf-8")]
    assert sorted(p.parent.name for p in held) == ["listening", "presenting"]
    text = held[0].read_text(encoding="utf-8")
    assert "Held by Maya Okafor — proven by the learner&#39;s signature" in text


def test_the_private_key_is_never_published(holder_site: dict[str, Any]) -> None:
    seed_text = json.loads(key_text(holder_site["key"]))["privateKeySeed"]
    raw = holder_site["key"].seed
    for path in holder_site["site"].rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert seed_text.encode() not in data and raw not in data, path
            assert base64.b64encode(raw) not in data, path


def test_tampering_with_one_embedded_credential_breaks_the_proof(
        holder_site: dict[str, Any], tmp_path: Path) -> None:
    key = holder_site["key"]
    vp = json.loads((holder_site["site"] / "presentation.json").read_bytes())
    first = next(c for c in vp["verifiableCredential"] if "credentialSubject" in c)
    first["credentialSubject"]["id"] = "did:example:someone-else"
    bad = json.dumps(vp).encode()
    check = verify_presentation(bad, holder=key.did, domain=SITE_URL, challenge=CHALLENGE)
    assert check.status is CheckStatus.FAIL and check.code == "signature_invalid"
    (tmp_path / "bad.json").write_bytes(bad)
    ok, out = _node_verify(holder_site["site"] / "presentation.json")
    assert ok, out
    bad_ok, bad_out = _node_verify(tmp_path / "bad.json")
    assert not bad_ok and "Invalid signature" in bad_out


def test_node_reference_rejects_another_domain(holder_site: dict[str, Any]) -> None:
    ok, out = _node_verify(holder_site["site"] / "presentation.json",
                           domain="https://evil.example/")
    assert not ok and "domain" in out


def test_without_the_key_nothing_is_published_and_it_is_said_once(
        holder_site: dict[str, Any], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_VAR, "")      # what GitHub Actions passes when the secret is not set
        mp.setenv("XDG_CACHE_HOME", str(holder_site["root"] / "cache"))
        with caplog.at_level("WARNING"):
            build_site(holder_site["project"], site_dir=tmp_path / "site", now=NOW)
    assert not (tmp_path / "site" / "presentation.json").exists()
    said = [r for r in caplog.records if "presentation.json was not published" in r.message]
    assert len(said) == 1
    assert "data-pg-held" not in (tmp_path / "site" / "credentials" / "presenting" /
                                  "index.html").read_text(encoding="utf-8")


def test_scaffolded_workflow_passes_the_secret() -> None:
    workflow = (ROOT / "portfolio_gen" / "scaffold_template" / "dot-github" / "workflows" /
                "pages.yml").read_text(encoding="utf-8")
    assert f"{ENV_VAR}: ${{{{ secrets.{ENV_VAR} }}}}" in workflow


def _node_verify(path: Path, domain: str = SITE_URL) -> tuple[bool, str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed")
    if not (TOOL / "node_modules").is_dir():
        pytest.skip("tools/interop/node_modules is missing; run `cd tools/interop && npm ci`")
    proc = subprocess.run(
        [node, "verify-presentation.mjs", str(path), "--domain", domain,
         "--challenge", CHALLENGE], cwd=TOOL, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NODE_OPTIONS": ""}, check=False)
    return proc.returncode == 0, proc.stdout + proc.stderr


def test_a_credential_jcs_cannot_carry_is_left_out_not_a_crash() -> None:
    """An integer beyond 2^53 has no JCS form: that one credential is left out of the
    presentation instead of failing the build."""
    from dataclasses import replace

    from portfolio_gen.model.normalize import credential_from_report
    from portfolio_gen.render.holding import embedded
    from portfolio_gen.verify.report import VerificationReport

    report = VerificationReport(source="x.json", format="ob3", spec_version="3.0",
                                checked_at=NOW, checks=())
    base = credential_from_report(report, slug="x", source="x.json", source_path=None,
                                  file_bytes=b"")
    fine = replace(base, raw_kind="ob3", raw_json=b'{"a": 9007199254740991}')
    huge = replace(base, raw_kind="ob3", raw_json=b'{"a": 9007199254740993}')
    dup = replace(base, raw_kind="ob3", raw_json=b'{"a": 1, "a": 2}')
    jwt = replace(base, raw_kind="ob3-jwt", raw_json=b"eyJ.eyJ.sig\n")
    assert embedded(fine) is not None and embedded(fine).json == {"a": 9007199254740991}  # type: ignore[union-attr]
    assert embedded(huge) is None and embedded(dup) is None
    assert embedded(jwt).jwt == "eyJ.eyJ.sig"  # type: ignore[union-attr]
    assert embedded(replace(base, raw_kind="ob2", raw_json=b"{}")) is None
