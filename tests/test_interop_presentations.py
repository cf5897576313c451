"""Verifiable Presentations from the reference JavaScript libraries get the same verdicts.

``tests/fixtures/interop/presentations`` is written by ``tools/interop/issue.mjs``:
presentations wrapping two credentials, unsigned or signed by the holder, with what
``@digitalbazaar/vc`` said about the presentation and each credential. Ours must match
per credential, and the holder check must agree with the reference's presentation
result (we go one step further: the signer must be the holder the presentation names).
When Node and tools/interop/node_modules are present the script is run again and its
presentations compared byte for byte (Ed25519 signatures are deterministic).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from portfolio_gen.ingest import RawCredential, read_file
from portfolio_gen.net.static import OfflineFetcher
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import CheckStatus

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "interop" / "presentations"
TOOL = ROOT / "tools" / "interop"
MANIFEST: dict[str, Any] = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = MANIFEST["cases"]
NOW = datetime.fromisoformat(MANIFEST["reference_time"])

#: expected_holder -> (status, code) of our presentation.holder check
HOLDER = {"unsigned": (CheckStatus.SKIP, "presentation_unsigned"),
          "proven": (CheckStatus.PASS, "holder_proven"),
          "not_proven": (CheckStatus.FAIL, "signature_invalid"),
          "mismatch": (CheckStatus.FAIL, "holder_mismatch")}


def test_manifest_is_consistent() -> None:
    assert {c["expected_holder"] for c in CASES} == set(HOLDER)
    for case in CASES:
        assert case["reference_agrees"] is True, case["id"]
        ref = case["reference"]
        assert ref["credentials_verified"] == [v == "verified"
                                               for v in case["expected_verdicts"]]
        if case["expected_holder"] in ("proven", "mismatch"):
            assert ref["presentation_verified"] is True
        elif case["expected_holder"] == "not_proven":
            assert ref["presentation_verified"] is False
        else:
            assert ref["presentation_verified"] is None and case["signed"] is False


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["id"]))
def test_our_verdicts_match_reference(case: dict[str, Any]) -> None:
    path = FIXTURES / case["file"]
    items = read_file(path)
    assert [i.source for i in items] == [f"{path}#0", f"{path}#1"]
    assert all(isinstance(i, RawCredential) for i in items)
    reports = [verify_item(i, VerifyContext(OfflineFetcher(), NOW)) for i in items]
    assert [r.verdict.value for r in reports] == case["expected_verdicts"]
    for report in reports:
        (holder,) = [c for c in report.checks if c.id == "presentation.holder"]
        assert (holder.status, holder.code) == HOLDER[case["expected_holder"]], holder
        assert holder.implies is None
        if holder.status is CheckStatus.PASS:
            assert holder.details["holder"] == case["holder"]
            assert holder.details["challenge"] == MANIFEST["challenge"]
            assert holder.details["domain"] == MANIFEST["domain"]


def test_regenerated_presentations_match(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; the committed fixtures are used as they are")
    if not (TOOL / "node_modules").is_dir():
        pytest.skip("tools/interop/node_modules is missing; run `cd tools/interop && npm ci`")
    proc = subprocess.run([node, "issue.mjs", "--out", str(tmp_path)], cwd=TOOL,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    fresh = sorted(p.name for p in (tmp_path / "presentations").iterdir())
    assert fresh == sorted(p.name for p in FIXTURES.iterdir())
    for name in fresh:
        assert (tmp_path / "presentations" / name).read_bytes() == \
            (FIXTURES / name).read_bytes(), name
