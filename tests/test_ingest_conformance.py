"""Every third-party conformance input is detected as the container its manifest names.

Reads ../shared/conformance in place (never copied); skips when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio_gen.ingest import Container, Kind, RawCredential, read_file

pytestmark = pytest.mark.conformance

#: manifest ``format`` → (container, kinds allowed for each ``spec``)
CONTAINERS = {"json": Container.JSON, "jws": Container.JWS, "jwt": Container.JWS,
              "png": Container.PNG, "svg": Container.SVG}
SPEC_KINDS = {
    "ob2": {Kind.OB2_ASSERTION, Kind.OB2_SIGNED, Kind.OB2_HOSTED_URL},
    "ob3": {Kind.OB3_CREDENTIAL, Kind.OB3_JWT},
    "clr2": {Kind.OB3_CREDENTIAL, Kind.OB3_JWT},
    "vector": {Kind.OB3_CREDENTIAL},
}


def test_every_case_is_detected(conformance_dir: Path) -> None:
    manifest = json.loads((conformance_dir / "manifest.json").read_text(encoding="utf-8"))
    cases = manifest["cases"]
    assert len(cases) >= 80
    wrong = []
    for case in cases:
        items = read_file(conformance_dir / case["file"], display=case["file"])
        item = items[0] if len(items) == 1 else None
        if not isinstance(item, RawCredential):
            wrong.append((case["id"], item))
            continue
        expect_kind = SPEC_KINDS[case["spec"]]
        if case["format"] in ("jws", "jwt"):
            expect_kind = {Kind.OB2_SIGNED} if case["spec"] == "ob2" else {Kind.OB3_JWT}
        if item.container is not CONTAINERS[case["format"]] or item.kind not in expect_kind:
            wrong.append((case["id"], item.container, item.kind))
        if item.source != case["file"] or not item.file_bytes:
            wrong.append((case["id"], "source/file_bytes"))
    assert not wrong


def test_baked_cases_carry_the_expected_payload(conformance_dir: Path) -> None:
    manifest = json.loads((conformance_dir / "manifest.json").read_text(encoding="utf-8"))
    baked = [c for c in manifest["cases"] if c["format"] in ("png", "svg")]
    assert len(baked) == 7
    for case in baked:
        [item] = read_file(conformance_dir / case["file"])
        assert isinstance(item, RawCredential)
        if item.kind is Kind.OB3_JWT:
            assert item.jws is not None and item.jws.signature
            assert item.payload.count(b".") == 2
        else:
            assert item.document is not None
            assert json.loads(item.payload) == item.document


def test_sources_inside_the_conformance_tree(conformance_dir: Path) -> None:
    items = [i for i in read_file(conformance_dir / "onebedtech-ob30", display="ob30")
             if isinstance(i, RawCredential)]
    sources = [i.source for i in items]
    assert sources == sorted(sources, key=lambda s: Path(s).parts)
    assert "ob30/simple-json.png" in sources or "ob30\\simple-json.png" in sources
