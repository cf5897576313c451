"""Third-party OB 3.0 and CLR 2.0 fixtures (../shared/conformance) with their expected verdicts.

Each ``spec in ("ob3", "clr2", "vector")`` case is ingested from its file and verified
offline at the manifest's ``reference_time``, with a StaticFetcher serving the
manifest's ``url_map`` and the bundled JSON-LD contexts extended by the
manifest's hash-checked ``contexts`` (the CLR contexts are not bundled).

Our verdict names map onto the manifest's: ``verified`` is ``valid``;
``not_yet_valid`` counts as ``invalid`` and ``unsupported`` as
``unverifiable`` (the manifest has no separate names for them). A
``signature-only`` case passes when the verdict is not ``verified`` and the
``proof.signature`` check passed (or the verdict is explicitly also acceptable).
Cases we cannot pass go in ``KNOWN_GAPS`` and run as strict xfails.

Every case runs in default and in ``--strict`` mode (see ``modes.py``): strict gives the
manifest's verdict; default differs only for validation-scope cases, which carry their
conformance warning and take the verdict authenticity gives.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.ingest import read_file
from portfolio_gen.net.static import StaticFetcher
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.dates import parse_datetime
from portfolio_gen.verify.ob3 import jsonld
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import CheckStatus, Verdict, VerificationReport
from tests.conformance import modes
from tests.conftest import SHARED_CONFORMANCE

pytestmark = pytest.mark.conformance

MANIFEST = SHARED_CONFORMANCE / "manifest.json"

#: case id -> why we do not reach the expected verdict.
KNOWN_GAPS: dict[str, str] = {}

_MANIFEST_NAME = {Verdict.VERIFIED: "valid", Verdict.NOT_YET_VALID: "invalid",
                  Verdict.UNSUPPORTED: "unverifiable"}
_CTYPES = {".json": "application/ld+json", ".png": "image/png", ".html": "text/html"}


def _case_ids() -> list[str]:
    if not MANIFEST.is_file():
        return []
    cases = json.loads(MANIFEST.read_text())["cases"]
    return [c["id"] for c in cases if c["spec"] in ("ob3", "clr2", "vector")]


@cache
def _manifest(root: Path) -> dict[str, Any]:
    return json.loads((root / "manifest.json").read_text())  # type: ignore[no-any-return]


@cache
def _context(root: Path) -> VerifyContext:
    manifest = _manifest(root)
    docs = {url: ((root / name).read_bytes(), _CTYPES.get(Path(name).suffix, "application/json"))
            for url, name in manifest["url_map"].items()}
    store = jsonld.default_store()
    pinned = {c.url for c in store.contexts()}
    extra = [(url, (root / entry["file"]).read_bytes(), entry["sha256"])
             for url, entry in manifest["contexts"].items() if url not in pinned]
    return VerifyContext(StaticFetcher(docs), parse_datetime(manifest["reference_time"]),
                         contexts=store.extended(extra, source="conformance"))


def _params() -> list[Any]:
    return [pytest.param(cid, mode, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[cid]))
            if cid in KNOWN_GAPS else pytest.param(cid, mode)
            for cid in _case_ids() for mode in ("default", "strict")]


def _verify(root: Path, case: dict[str, Any], strict: bool) -> VerificationReport:
    items = read_file(root / case["file"])
    assert len(items) == 1, items
    ctx = _context(root)
    return verify_item(items[0], replace(ctx, options=VerifyOptions(strict=strict)))


def _manifest_verdict(case: dict[str, Any], report: VerificationReport) -> None:
    got = _MANIFEST_NAME.get(report.verdict, report.verdict.value)
    acceptable = {case["expected"], *case.get("also_acceptable", [])}
    detail = json.dumps(report.to_dict(), indent=1)[:4000]
    if case["expected"] == "signature-only" and got not in acceptable:
        assert report.verdict is not Verdict.VERIFIED, detail
        signature = [c for c in report.checks if c.id == "proof.signature"]
        assert signature and signature[0].status is CheckStatus.PASS, detail
        binding = [c for c in report.checks if c.id == "proof.key_binding"]
        assert binding and binding[0].status is not CheckStatus.PASS, detail
    else:
        assert got in acceptable, detail


@pytest.mark.parametrize(("case_id", "mode"), _params())
def test_ob3_case(case_id: str, mode: str, conformance_dir: Path) -> None:
    """Strict: the manifest's verdict. Default: the same, except that validation-scope
    cases carry their conformance warning and take authenticity's verdict."""
    manifest = _manifest(conformance_dir)
    case = next(c for c in manifest["cases"] if c["id"] == case_id)
    report = _verify(conformance_dir, case, mode == "strict")
    if mode == "strict":
        _manifest_verdict(case, report)
    else:
        modes.check_default_mode(case, report, lambda r: _manifest_verdict(case, r))


def verdicts_by_mode(root: Path) -> dict[str, tuple[Verdict, Verdict]]:
    manifest = _manifest(root)
    return {c["id"]: (_verify(root, c, False).verdict, _verify(root, c, True).verdict)
            for c in manifest["cases"] if c["spec"] in ("ob3", "clr2", "vector")}
