"""Ingestion speed on normal and hostile inputs; prints figures, asserts nothing.

Run: ``python benchmarks/bench_ingest.py``. Writes only to a temporary directory.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portfolio_gen.ingest import read_file, read_paths
from portfolio_gen.testing.bake import (
    bake_png,
    bake_svg,
    insert_after_ihdr,
    make_png,
    png_chunk,
)

OB3 = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential", "OpenBadgeCredential"],
                  "credentialSubject": {"achievement": {"name": "Robotics",
                                                        "description": "x" * 500}}})


def _time(label: str, fn: Callable[[], object], repeat: int = 5) -> None:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    print(f"{label:<48} median {statistics.median(runs) * 1000:9.2f} ms   -> {result}")


def _codes(path: Path) -> str:
    return ",".join(getattr(i, "code", getattr(i, "kind", "?")) for i in read_file(path))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        many = root / "many"
        many.mkdir()
        image = make_png(64, 64)
        for n in range(300):
            (many / f"{n:04}.json").write_text(OB3)
            (many / f"{n:04}.png").write_bytes(bake_png(image, OB3, "openbadgecredential"))
            (many / f"{n:04}.svg").write_text(bake_svg(None, credential_json=OB3, ob3=True))
        _time("900 files (300 json + 300 png + 300 svg)", lambda: len(list(read_paths([many]))))

        cases = {
            "deep.json (100k '[')": b"[" * 100_000,
            "big.json (4.9 MiB string)": b'{"a": "' + b"x" * (4_900_000) + b'"}',
            "brackets.json (2.4M '[]' pairs)": b'{"a": [' + b"[]," * 800_000 + b"[]]}",
            "unterminated.json (2M escaped quotes)": b'{"a": "' + b'\\"' * 2_000_000,
            "nested64.json (4.9 MiB of 64-deep lists)":
                b'{"a": [' + b",".join([b"[" * 62 + b"]" * 62] * 38_600) + b"]}",
            "huge.json (6 MiB, refused)": b" " * (6 * 1024 * 1024),
        }
        bomb = zlib.compress(b"\0" * (50 * 1024 * 1024), 9)
        cases["bomb.png (50 MiB compressed iTXt)"] = insert_after_ihdr(
            image, png_chunk(b"iTXt", b"openbadges\0\1\0\0\0" + bomb))
        cases["big.png (19 MiB chunk + badge)"] = insert_after_ihdr(
            bake_png(image, OB3), png_chunk(b"abCd", b"\0" * (19 * 1024 * 1024)))
        laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
        cases["laughs.svg (billion laughs)"] = (
            f'<!DOCTYPE svg [<!ENTITY l0 "lol">{laughs}]><svg xmlns="http://www.w3.org/2000/svg">'
            "&l9;</svg>").encode()
        for name, data in cases.items():
            path = root / name.split(" ")[0]
            path.write_bytes(data)
            _time(name, lambda p=path: _codes(p))  # type: ignore[misc]

        conformance = Path(__file__).resolve().parent.parent.parent / "shared" / "conformance"
        if conformance.is_dir():
            _time("../shared/conformance (whole tree)",
                  lambda: len(list(read_paths([conformance]))))


if __name__ == "__main__":
    main()
