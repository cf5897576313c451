"""The sample portfolio: every badge verifies offline to the verdict it is meant to show, the
content is what the issue promises, and ``scripts/make_sample.py`` regenerates it exactly."""

from __future__ import annotations

import base64
import importlib.util
import json
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from portfolio_gen.config import load_pathways, load_profile, parse_front_matter
from portfolio_gen.ingest import Container, Kind, RawCredential, read_paths
from portfolio_gen.net.store import make_fetcher
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import CheckStatus, VerificationReport

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_portfolio"
SCRIPT = ROOT / "scripts" / "make_sample.py"


def _expected(folder: Path = SAMPLE) -> dict[str, Any]:
    data = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _verify_offline(folder: Path) -> dict[str, tuple[RawCredential, VerificationReport]]:
    """Badge file name → (ingested item, report), verified from ``folder/pins`` only."""
    expected = _expected(folder)
    ctx = VerifyContext(make_fetcher(offline=True, pins=folder / "pins"),
                        datetime.fromisoformat(expected["now"].replace("Z", "+00:00")),
                        VerifyOptions(identities=tuple(expected["identities"])))
    out = {}
    for item in read_paths([folder / "badges"]):
        assert isinstance(item, RawCredential), f"unreadable sample badge: {item}"
        out[Path(item.source).name] = (item, verify_item(item, ctx))
    return out


@pytest.fixture(scope="module")
def reports() -> dict[str, tuple[RawCredential, VerificationReport]]:
    return _verify_offline(SAMPLE)


def test_every_badge_verifies_offline_to_its_intended_verdict(
        reports: dict[str, tuple[RawCredential, VerificationReport]]) -> None:
    got = {name: report.verdict.value for name, (_, report) in reports.items()}
    assert got == _expected()["verdicts"], {
        name: report.reason for name, (_, report) in reports.items()
        if report.verdict.value != _expected()["verdicts"].get(name)}


def test_badges_are_issued_to_the_learner_but_one(
        reports: dict[str, tuple[RawCredential, VerificationReport]]) -> None:
    others = set(_expected()["not_recipient"])
    assert len(others) == 1   # the classmate's badge shows the "not issued to" state
    for name, (_, report) in reports.items():
        if report.verdict.value == "invalid":
            continue  # checks after a failed proof are skipped
        recipient = [c for c in report.checks if c.id == "recipient.identifier"]
        if name in others:
            assert report.verdict.value == "verified", name   # a genuine badge...
            assert [(c.status, c.code) for c in recipient] == [
                (CheckStatus.WARN, "recipient_mismatch")], (name, recipient)  # ...not hers
        else:
            assert [c.status for c in recipient] == [CheckStatus.PASS], (name, recipient)


def test_sample_covers_formats_issuers_and_failures(
        reports: dict[str, tuple[RawCredential, VerificationReport]]) -> None:
    assert 10 <= len(reports) <= 14
    issuers = {report.issuer.name for _, report in reports.values()}
    assert 3 <= len(issuers) <= 4, issuers
    kinds = {item.kind for item, _ in reports.values()}
    assert {Kind.OB2_ASSERTION, Kind.OB2_SIGNED, Kind.OB3_CREDENTIAL, Kind.OB3_JWT} <= kinds
    containers = {item.container for item, _ in reports.values()}
    assert {Container.PNG, Container.SVG, Container.JSON, Container.JWS} <= containers
    verdicts = [report.verdict.value for _, report in reports.values()]
    assert {verdicts.count(v) for v in ("expired", "revoked", "invalid")} == {1}
    passed = {c.id for _, r in reports.values() for c in r.checks if c.status is CheckStatus.PASS}
    assert "hosted.fetch" in passed  # OB 2.0 hosted
    proofs = " ".join(c.message for _, r in reports.values() for c in r.checks
                      if c.id == "proof.signature" and c.status is CheckStatus.PASS)
    for suite in ("eddsa-rdfc-2022", "Ed25519Signature2020", "RS256", "ES256"):
        assert suite in proofs


def test_profile_reflections_and_pathways_fit_the_credentials(
        reports: dict[str, tuple[RawCredential, VerificationReport]]) -> None:
    profile = load_profile(SAMPLE / "profile.yml")
    assert profile.name and profile.headline and profile.bio and profile.links
    assert profile.photo and (SAMPLE / profile.photo).is_file()
    assert set(profile.identifiers) == set(_expected()["identities"])

    names = {r.achievement_name: r.verdict.value for _, r in reports.values()}
    reflections = sorted((SAMPLE / "reflections").glob("*.md"))
    assert 4 <= len(reflections) <= 6
    for path in reflections:
        meta, _, body = parse_front_matter(path.read_text(encoding="utf-8"), str(path))
        assert meta.title and meta.date and body.strip()
        assert meta.credentials and set(meta.credentials) <= set(names), path.name

    pathways = load_pathways(SAMPLE / "pathways.yml")
    assert len(pathways) == 2

    def complete(names_needed: tuple[str, ...], choose: int = 0) -> int:
        return sum(names.get(n) == "verified" for n in names_needed) - choose

    done, in_progress = pathways
    assert complete(done.required) == len(done.required)
    assert all(complete(g.of) >= g.choose for g in done.groups)
    assert done.capstone is None
    assert complete(in_progress.required) < len(in_progress.required)
    assert in_progress.capstone is not None and in_progress.capstone not in names


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_under_test", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def _jws_content(text: bytes) -> list[Mapping[str, Any]]:
    """Header and payload of a compact JWS (its signature may be randomised)."""
    parts = text.decode("ascii").strip().split(".")
    return [json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in parts[:2]]


def test_regenerates_identically(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    _load_script().write_sample(out)
    committed = {p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.is_file()}
    fresh = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert fresh == committed
    randomised = {f"badges/{name}" for name in _expected(out)["randomised"]}
    for rel in sorted(fresh):
        new, old = (out / rel).read_bytes(), (SAMPLE / rel).read_bytes()
        if rel in randomised:
            assert _jws_content(new) == _jws_content(old), rel
        else:
            assert new == old, f"{rel} differs: rerun scripts/make_sample.py and commit"
    # A regenerated copy verifies just like the committed one.
    got = {name: r.verdict.value for name, (_, r) in _verify_offline(out).items()}
    assert got == _expected(out)["verdicts"]
