"""The "download everything" ZIP: originals byte for byte, reports and an index.

Deterministic (sorted entries, fixed timestamps and permissions, fixed compression) so a
rebuild produces the same archive; entry names are sanitised because file names are
untrusted.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: The earliest time ZIP can store; the same for every entry and every build.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ArchiveItem:
    """One credential: ``slug`` names its folder, ``filename`` its original file."""

    slug: str
    filename: str
    original: bytes
    report: Mapping[str, Any]
    name: str = ""


def safe_name(name: str, fallback: str) -> str:
    """A single path segment: no separators, no ``..``, no hidden-file dot, no controls."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._")[:120]
    return cleaned or fallback


def _entry(zf: zipfile.ZipFile, path: str, data: bytes) -> None:
    info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o100644 << 16
    info.create_system = 3
    zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def _json(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def build_archive(items: Iterable[ArchiveItem], *, title: str = "Portfolio") -> bytes:
    """The ZIP bytes; ``index.json`` lists each credential, its verdict and its files."""
    files: dict[str, bytes] = {}
    index = []
    for item in sorted(items, key=lambda i: (i.slug, i.filename)):
        folder = safe_name(item.slug, "credential")
        original = f"credentials/{folder}/{safe_name(item.filename, 'original')}"
        report = f"credentials/{folder}/verification-report.json"
        if original in files or report in files:
            raise ValueError(f"two credentials share the archive folder {folder!r}")
        files[original] = item.original
        files[report] = _json(dict(item.report))
        index.append({"slug": folder, "name": item.name, "original": original,
                      "report": report, "verdict": item.report.get("verdict")})
    files["index.json"] = _json({"title": title, "credentials": index})
    files["README.txt"] = (
        f"{title}\n\nEach folder under credentials/ holds an original credential file exactly "
        "as it was received (baked images keep their embedded data) and the verification "
        "report made when the site was built. Any Open Badges verifier can re-check the "
        "originals.\n"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for path in sorted(files):
            _entry(zf, path, files[path])
    return out.getvalue()
