"""Third-party OB 2.0 fixtures (../shared/conformance) with their expected verdicts.

Each ``spec == "ob2"`` case is ingested from its file and verified offline with
a StaticFetcher serving the manifest's ``url_map`` (plus the case's hosted
document) at the manifest's ``reference_time``. Cases we cannot pass are listed
in ``KNOWN_GAPS`` with the reason and run as strict xfails, so a fix shows up.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.ingest import read_file
from portfolio_gen.net.static import StaticFetcher
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.dates import parse_datetime
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import CheckStatus, Verdict, VerificationReport
from tests.conformance import modes
from tests.conftest import SHARED_CONFORMANCE

pytestmark = pytest.mark.conformance

MANIFEST = SHARED_CONFORMANCE / "manifest.json"

#: case id -> why we do not reach the expected verdict.
KNOWN_GAPS: dict[str, str] = {
    "ob20-hosted-extension-invalid": "OB 2.0 extension nodes are not validated against their "
                                     "JSON schema: that means fetching the extension context "
                                     "and its validationSchema URL, and verification.md §7.1 "
                                     "forbids fetching schema URLs during verification.",
}

_VERDICT_NAMES = {"valid": "verified"}
_CTYPES = {".json": "application/ld+json", ".png": "image/png", ".html": "text/html"}


def _case_ids() -> list[str]:
    if not MANIFEST.is_file():
        return []
    cases = json.loads(MANIFEST.read_text())["cases"]
    return [c["id"] for c in cases if c["spec"] == "ob2"]


@cache
def _manifest(root: Path) -> dict[str, Any]:
    return json.loads((root / "manifest.json").read_text())  # type: ignore[no-any-return]


def _fetcher(root: Path, case: dict[str, Any]) -> StaticFetcher:
    manifest = _manifest(root)
    url_map = dict(manifest["url_map"])
    if "hosted_url" in case:
        url_map[case["hosted_url"]] = case["hosted_file"]
    docs: dict[str, tuple[bytes, str]] = {}
    for url, name in url_map.items():
        path = root / name
        docs[url] = (path.read_bytes(), _CTYPES.get(path.suffix, "application/octet-stream"))
    return StaticFetcher(docs, fetched_at=parse_datetime(manifest["reference_time"]))


def _verify(root: Path, case: dict[str, Any], strict: bool) -> VerificationReport:
    manifest = _manifest(root)
    items = read_file(root / case["file"])
    assert len(items) == 1, items
    ctx = VerifyContext(_fetcher(root, case), parse_datetime(manifest["reference_time"]),
                        VerifyOptions(strict=strict))
    return verify_item(items[0], ctx)


def _manifest_verdict(case: dict[str, Any], report: VerificationReport) -> None:
    accepted = {_VERDICT_NAMES.get(v, v) for v in [case["expected"],
                                                   *case.get("also_acceptable", [])]}
    assert report.verdict.value in accepted, (report.reason, report.to_dict()["checks"])
    if case["expected"] == "valid":
        proof = "proof.signature" if case["format"] == "jws" else "hosted.fetch"
        assert any(c.id == proof and c.status is CheckStatus.PASS for c in report.checks)


@pytest.mark.parametrize(("case_id", "mode"), [
    pytest.param(cid, mode, marks=pytest.mark.xfail(reason=KNOWN_GAPS[cid], strict=True))
    if cid in KNOWN_GAPS else pytest.param(cid, mode)
    for cid in _case_ids() for mode in ("default", "strict")] or [
    pytest.param("none", "none",
                 marks=pytest.mark.skip(reason="../shared/conformance is absent"))])
def test_ob2_case(conformance_dir: Path, case_id: str, mode: str) -> None:
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
    return {c["id"]: (_verify(root, c, False).verdict, _verify(root, c, True).verdict)
            for c in _manifest(root)["cases"] if c["spec"] == "ob2"}
