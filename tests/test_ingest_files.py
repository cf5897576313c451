"""Paths and directory walks: order, sources, quiet skipping and isolation of bad files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from portfolio_gen.ingest import (
    Container,
    IngestProblem,
    Kind,
    RawCredential,
    read_file,
    read_paths,
)
from portfolio_gen.testing.bake import bake_png, bake_svg, make_png, make_svg

OB2 = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                  "recipient": {"identity": "x"}, "badge": "https://issuer.example/b"})
OB3 = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential", "OpenBadgeCredential"]})


def _tree(root: Path, files: dict[str, bytes | str]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)


def _summary(items: list[RawCredential | IngestProblem]) -> list[tuple[str, str]]:
    return [(i.source, i.kind.value if isinstance(i, RawCredential) else "!" + i.code)
            for i in items]


def test_directory_walk_order_sources_and_quiet_skips(tmp_path: Path) -> None:
    _tree(tmp_path / "badges", {
        "b.json": OB3,
        "a.png": bake_png(make_png(), OB2),
        "sub/z.svg": bake_svg(None, credential_json=OB3, ob3=True),
        "sub/deeper/c.json": OB2,
        "A.json": OB2,
        "readme.md": "# My badges\n\nSome notes.\n",
        "settings.json": '{"theme": "dark"}',
        "issuer.json": '{"@context": "https://w3id.org/openbadges/v2", "type": "Issuer"}',
        "notes.txt": "remember to add the robotics badge\n",
        "photo.png": make_png(),
        "drawing.svg": make_svg(),
        "clip.bin": bytes(range(256)) * 8,
        "page.html": "<!DOCTYPE html><html><body>hi</body></html>",
        ".hidden.json": "{ not even json",
        ".git/config.json": "{ not even json",
        "sub/.cache/x.json": "{ not even json",
    })
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    items = list(read_paths([str(tmp_path / "badges")]))
    base = str(tmp_path / "badges")
    assert _summary(items) == [
        (os.path.join(base, "A.json"), "ob2"),
        (os.path.join(base, "a.png"), "ob2"),
        (os.path.join(base, "b.json"), "ob3"),
        (os.path.join(base, "sub", "deeper", "c.json"), "ob2"),
        (os.path.join(base, "sub", "z.svg"), "ob3"),
    ]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_source_keeps_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, {"portfolio/badges/x.json": OB3})
    monkeypatch.chdir(tmp_path / "portfolio")
    assert [i.source for i in read_paths(["badges/"])] == [os.path.join("badges/", "x.json")]
    assert [i.source for i in read_paths(["./badges/x.json"])] == ["./badges/x.json"]
    assert [i.source for i in read_paths([Path("badges")])] == [os.path.join("badges", "x.json")]
    [item] = read_file(Path("badges/x.json"), display="my badge")
    assert item.source == "my badge"


def test_explicitly_named_non_badges_are_reported(tmp_path: Path) -> None:
    _tree(tmp_path, {"readme.md": "# hi\n", "photo.png": make_png(), "drawing.svg": make_svg(),
                     "clip.bin": bytes(range(256)), "empty.txt": "", "s.json": '{"a": 1}'})
    names = ["readme.md", "photo.png", "drawing.svg", "clip.bin", "empty.txt", "s.json"]
    items = list(read_paths([tmp_path / n for n in names]))
    assert [(i.code, i.unsupported) for i in items if isinstance(i, IngestProblem)] == [
        ("unknown_format", True), ("no_badge", True), ("no_badge", True),
        ("unknown_format", True), ("empty", False), ("not_a_badge", True)]
    assert all(i.reason for i in items if isinstance(i, IngestProblem))


def test_missing_path(tmp_path: Path) -> None:
    [problem] = list(read_paths([tmp_path / "nope.json"]))
    assert isinstance(problem, IngestProblem)
    assert problem.code == "not_found"
    assert problem.source == str(tmp_path / "nope.json")


def test_hostile_files_do_not_stop_the_walk(tmp_path: Path) -> None:
    png = bake_png(make_png(), OB2)
    crc_broken = bytearray(png)
    crc_broken[crc_broken.index(b"IDAT") + 5] ^= 0xFF
    _tree(tmp_path, {
        "01-malformed.json": '{"type": ',
        "02-deep.json": "[" * 100_000,
        "03-nan.json": '{"n": NaN}',
        "04-dup.json": '{"a": 1, "a": 2}',
        "05-array.json": "[1, 2, 3]",
        "06-huge.json": '{"x": "' + "y" * (6 * 1024 * 1024) + '"}',
        "07-truncated.png": png[: len(png) // 2],
        "08-crc.png": bytes(crc_broken),
        "09-laughs.svg": '<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
                         "<svg xmlns='http://www.w3.org/2000/svg'>&b;</svg>",
        "10-garbage.json": bytes(range(256)) * 4,
        "11-empty.json": b"",
        "12-good.json": OB3,
        "13-good.png": png,
    })
    items = list(read_paths([tmp_path]))
    assert [code for _, code in _summary(items)] == [
        "!json_malformed", "!json_too_deep", "!json_malformed", "!json_duplicate_key",
        "!json_not_object", "!too_large", "!png_truncated", "!png_bad_crc",
        "!xml_entities_forbidden", "!unknown_format", "!empty", "ob3", "ob2"]


def test_wrong_extensions(tmp_path: Path) -> None:
    _tree(tmp_path, {"json-named.png": OB3, "png-named.json": bake_png(make_png(), OB2),
                     "svg-named.txt": bake_svg(None, credential_json=OB3, ob3=True)})
    items = {Path(i.source).name: i for i in read_paths([tmp_path])}
    assert {n: (i.container, i.kind) for n, i in items.items()
            if isinstance(i, RawCredential)} == {
        "json-named.png": (Container.JSON, Kind.OB3_CREDENTIAL),
        "png-named.json": (Container.PNG, Kind.OB2_ASSERTION),
        "svg-named.txt": (Container.SVG, Kind.OB3_CREDENTIAL)}


def test_read_file_on_a_directory_walks_it(tmp_path: Path) -> None:
    _tree(tmp_path, {"d/x.json": OB3, "d/y.md": "# note"})
    assert _summary(read_file(tmp_path / "d", display="d")) == [(os.path.join("d", "x.json"),
                                                                 "ob3")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    _tree(tmp_path, {"real/x.json": OB3})
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    assert [Path(i.source).name for i in read_paths([tmp_path / "real"])] == ["x.json"]


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "locked.json"
    path.write_text(OB3)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        [problem] = read_file(path)
        assert isinstance(problem, IngestProblem) and problem.code == "unreadable"
    finally:
        path.chmod(0o600)
