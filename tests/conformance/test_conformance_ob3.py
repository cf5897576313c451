"""Third-party OB 3.0 and CLR 2.0 fixtures (../shared/conformance) with their expected verdicts.

Each ``spec in ("ob3", "clr2")`` case is ingested from its file and verified
offline at the manifest's ``reference_time``, with a StaticFetcher serving the
manifest's ``url_map`` and the bundled JSON-LD contexts extended by the
manifest's hash-checked ``contexts`` (the CLR contexts are not bundled).

Our verdict names map onto the manifest's: ``verified`` is ``valid``;
``not_yet_valid`` counts as ``invalid`` and ``unsupported`` as
``unverifiable`` (the manifest has no separate names for them). A
``signature-only`` case passes when the verdict is not ``verified`` and the
``proof.signature`` check passed (or the verdict is explicitly also acceptable).
Cases we cannot pass go in ``KNOWN_GAPS`` and run as strict xfails.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.ingest import read_file
from portfolio_gen.net.static import StaticFetcher
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.dates import parse_datetime
from portfolio_gen.verify.ob3 import jsonld
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import CheckStatus, Verdict

pytestmark = pytest.mark.conformance

MANIFEST = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "manifest.json"

#: case id -> why we do not reach the expected verdict.
KNOWN_GAPS: dict[str, str] = {}

_MANIFEST_NAME = {Verdict.VERIFIED: "valid", Verdict.NOT_YET_VALID: "invalid",
                  Verdict.UNSUPPORTED: "unverifiable"}
_CTYPES = {".json": "application/ld+json", ".png": "image/png", ".html": "text/html"}


def _case_ids() -> list[str]:
    if not MANIFEST.is_file():
        return []
    cases = json.loads(MANIFEST.read_text())["cases"]
    return [c["id"] for c in cases if c["spec"] in ("ob3", "clr2")]


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
    return [pytest.param(cid, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[cid]))
            if cid in KNOWN_GAPS else cid for cid in _case_ids()]


@pytest.mark.parametrize("case_id", _params())
def test_ob3_case(case_id: str, conformance_dir: Path) -> None:
    manifest = _manifest(conformance_dir)
    case = next(c for c in manifest["cases"] if c["id"] == case_id)
    items = read_file(conformance_dir / case["file"])
    assert len(items) == 1, items
    report = verify_item(items[0], _context(conformance_dir))
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
