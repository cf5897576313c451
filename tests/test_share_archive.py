"""The download-everything ZIP: byte-for-byte originals, deterministic, safe names."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from portfolio_gen.share.archive import FIXED_TIME, ArchiveItem, build_archive
from portfolio_gen.share.samples import badge_png

BAKED = badge_png(seed=3) + b"\x00trailing bytes kept as they are"


def _items() -> list[ArchiveItem]:
    return [
        ArchiveItem("zeta", "z.json", b'{"id": "z"}\n', {"verdict": "revoked"}, "Zeta"),
        ArchiveItem("alpha", "../../etc/passwd", BAKED, {"verdict": "verified"}, "Alpha"),
    ]


def test_archive_is_deterministic_and_keeps_originals() -> None:
    data = build_archive(_items(), title="Ada's portfolio")
    assert data == build_archive(list(reversed(_items())), title="Ada's portfolio")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert names == sorted(names)
        assert all(i.date_time == FIXED_TIME for i in zf.infolist())
        assert all(".." not in n and not n.startswith("/") for n in names)
        assert zf.read("credentials/alpha/passwd") == BAKED
        assert zf.read("credentials/zeta/z.json") == b'{"id": "z"}\n'
        report = json.loads(zf.read("credentials/zeta/verification-report.json"))
        assert report == {"verdict": "revoked"}
        index = json.loads(zf.read("index.json"))
    assert index["title"] == "Ada's portfolio"
    assert [(c["slug"], c["verdict"]) for c in index["credentials"]] == [
        ("alpha", "verified"), ("zeta", "revoked")]


def test_colliding_folders_are_refused() -> None:
    items = [ArchiveItem("a/b", "x.json", b"1", {}), ArchiveItem("b", "x.json", b"2", {})]
    with pytest.raises(ValueError, match="share the archive folder"):
        build_archive(items)
