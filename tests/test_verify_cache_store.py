"""The verification cache's store and keys: one SQLite database shared by real processes,
and a code digest that follows every source file without a hand-kept list."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import portfolio_gen
from portfolio_gen.verify.cache import DB_NAME, ReportCache

WRITERS, ENTRIES = 3, 120


def _entry(writer: int, n: int) -> dict[str, object]:
    return {"deps": {f"https://x.example/{n}\napplication/json": f"d{writer}-{n}"},
            "report": {"writer": writer, "n": n, "text": "é" * (n % 7)}}


def _write_and_read(root: str, writer: int, start: float) -> int:
    """One pool worker: write its entries while the others write theirs, reading as it goes."""
    while time.time() < start:
        time.sleep(0.005)
    cache = ReportCache(Path(root))
    seen = 0
    for n in range(ENTRIES):
        cache.put("item", f"w{writer}-{n}", _entry(writer, n))
        other = (writer + 1) % WRITERS
        seen += cache.get("item", f"w{other}-{n // 2}") is not None
        assert cache.get("item", f"w{writer}-{n}") == _entry(writer, n)
    return seen


_BLOCKER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT OR REPLACE INTO entries VALUES ('item', 'held', x'6f7b7d')")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
"""


def test_processes_share_one_database_and_no_write_is_lost(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    ReportCache(root).put("item", "first", {"x": 1})  # this process has a connection now
    # another build holds the write lock for a while: every worker's first write waits
    blocker = subprocess.Popen([sys.executable, "-c", _BLOCKER, str(root / DB_NAME)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert blocker.stdout is not None and blocker.stdin is not None
    assert blocker.stdout.readline().strip() == "locked"
    context = multiprocessing.get_context("fork")  # the parent's connection must not be reused
    with ProcessPoolExecutor(WRITERS, mp_context=context) as pool:
        start = time.time() + 0.5
        futures = [pool.submit(_write_and_read, str(root), w, start) for w in range(WRITERS)]
        time.sleep(1.5)
        assert not any(f.done() for f in futures)   # waiting on the lock, not failing
        blocker.stdin.write("commit\n")
        blocker.stdin.flush()
        assert blocker.wait(timeout=60) == 0
        assert all(f.result(timeout=120) >= 0 for f in futures)
    cache = ReportCache(root)
    for w in range(WRITERS):
        for n in range(ENTRIES):
            assert cache.get("item", f"w{w}-{n}") == _entry(w, n)
    assert cache.get("item", "held") == {} and cache.get("item", "first") == {"x": 1}
    with sqlite3.connect(root / DB_NAME) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _digests(package_root: Path) -> tuple[str, str]:
    out = subprocess.run(
        [sys.executable, "-c", "from portfolio_gen.verify.cache import code_digest, "
         "package_digest; print(code_digest(), package_digest())"],
        cwd=package_root, env={**os.environ, "PYTHONPATH": str(package_root)},
        capture_output=True, text=True, check=True, timeout=120)
    code, package = out.stdout.split()
    return code, package


def test_the_code_digest_follows_every_module_and_context_file(tmp_path: Path) -> None:
    """Editing any module (not only verification's), or a bundled context, changes the key
    of every cached report; a template changes only what rendered pages are keyed on."""
    pkg = Path(portfolio_gen.__file__).parent
    copy = tmp_path / "portfolio_gen"
    shutil.copytree(pkg, copy, ignore=shutil.ignore_patterns("__pycache__"))
    # the theme lives beside the package (themes/portfolio/), as in the source checkout
    shutil.copytree(pkg.parent / "themes", tmp_path / "themes")
    code, package = _digests(tmp_path)

    def edit(rel: str) -> None:
        path = copy / rel
        path.write_bytes(path.read_bytes() + b"\n")

    edit("model/slugs.py")           # a module no old hand-kept list of files named
    code2, package2 = _digests(tmp_path)
    assert code2 != code and package2 != package
    context = next(p for p in (copy / "verify" / "ob3" / "contexts").iterdir()
                   if p.name != "manifest.json")
    edit(context.relative_to(copy).as_posix())
    code3, package3 = _digests(tmp_path)
    assert code3 != code2 and package3 != package2
    template = next((tmp_path / "themes").rglob("*.html"))
    template.write_bytes(template.read_bytes() + b"\n")
    code4, package4 = _digests(tmp_path)
    assert code4 == code3 and package4 != package3
    font = next((tmp_path / "themes").rglob("*.ttf"))
    font.write_bytes(font.read_bytes() + b"\0")
    code5, package5 = _digests(tmp_path)
    assert code5 == code4 and package5 != package4


def test_the_contexts_the_digest_covers_are_the_ones_verification_loads() -> None:
    from portfolio_gen.verify.cache import CONTEXTS_DIR
    from portfolio_gen.verify.ob3.jsonld import BUNDLE_DIR

    assert CONTEXTS_DIR.resolve() == BUNDLE_DIR.resolve() and any(CONTEXTS_DIR.iterdir())


def test_a_thread_keeps_a_few_databases_open_and_reopens_the_others(tmp_path: Path) -> None:
    from portfolio_gen.verify import cache as store

    caches = [ReportCache(tmp_path / f"c{n}") for n in range(store._PER_THREAD + 3)]
    for n, cache in enumerate(caches):
        cache.put("item", "k", {"n": n})
    mine = [s for s in store._CONNECTIONS if s[1:] == (os.getpid(), threading.get_ident())]
    assert len(mine) == store._PER_THREAD
    assert [c.get("item", "k") for c in caches] == [{"n": n} for n in range(len(caches))]
    pickle.loads(pickle.dumps(caches[0])).put("item", "k2", {"x": 1})  # crosses processes
    assert caches[0].get("item", "k2") == {"x": 1}
