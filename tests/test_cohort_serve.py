"""``portfolio-gen cohort serve``: live reload after a learner change; a broken cohort.yml
keeps the last good site; Ctrl+C stops cleanly and removes the temporary site."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from portfolio_gen.cohort.config import load_cohort
from portfolio_gen.cohort.serve import parse_address, watch_paths
from portfolio_gen.errors import ConfigError
from portfolio_gen.testing.cohort import make_cohort
from tests.support.loopback import free_port, get_text


def _until(what: str, check: Callable[[], bool], limit: float = 60.0) -> None:
    """Poll ``check`` (bounded; the limit only stops a hung server)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _page_has(url: str, text: str) -> Callable[[], bool]:
    def check() -> bool:
        body = get_text(url)
        return body is not None and text in body
    return check


def test_watch_paths_cover_config_and_pattern_roots(tmp_path: Path) -> None:
    make_cohort(2, 1, tmp_path / "c")
    cohort = tmp_path / "c" / "cohort.yml"
    config = load_cohort(cohort)
    # learners/* is watched as one folder, so a new learner folder is noticed too
    assert watch_paths(config) == [cohort.resolve(), (tmp_path / "c" / "learners").resolve()]
    # a pattern rooted in the cohort folder, which also holds the staff reports: never
    # watched recursively (each build would start the next), its learners are instead
    (tmp_path / "c" / "learners").rename(tmp_path / "c" / "people")
    data = yaml.safe_load(cohort.read_text(encoding="utf-8"))
    data["learners"] = ["*/learner-*"]
    cohort.write_text(yaml.safe_dump(data), encoding="utf-8")
    config = load_cohort(cohort)
    assert [p.name for p in watch_paths(config)] == ["cohort.yml", "learner-00000",
                                                     "learner-00001"]


def test_cohort_serve_rebuilds_reloads_and_survives_a_broken_config(
        tmp_path: Path) -> None:
    specs = make_cohort(3, 2, tmp_path / "cohort")
    cohort = tmp_path / "cohort" / "cohort.yml"
    spec = specs[0]
    assert spec.consent
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg"), "TMPDIR": str(temp),
           "PYTHONUNBUFFERED": "1"}
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    learner = base + f"learners/{spec.name.lower().replace(' ', '-')}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "portfolio_gen", "cohort", "serve", str(cohort), "-a",
         f"127.0.0.1:{port}", "--offline"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    out = proc.stdout
    assert out is not None

    def read() -> None:
        for line in out:   # drained as printed, so the pipe never fills
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def printed(pattern: str) -> Callable[[], bool]:
        return lambda: any(re.search(pattern, line) for line in list(lines))

    try:
        _until("the home page", _page_has(base, "Class of 2026 showcase"), limit=90)
        home = get_text(base)
        assert home is not None and "livereload(" in home and "/livereload/" in home
        _until("the address line", printed(r"^Serving on http://127\.0\.0\.1:"))

        # a consenting learner's headline changes: rebuilt (others from the cache), reloaded
        profile = tmp_path / "cohort" / "learners" / spec.folder / "profile.yml"
        data = yaml.safe_load(profile.read_text(encoding="utf-8"))
        data["headline"] = "Headline written while serving"
        profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        _until("the new headline", _page_has(learner, "Headline written while serving"))
        _until("a one-learner rebuild", printed(r"\(1 learners planned, 2 cached\)"))
        page = get_text(learner)
        assert page is not None and "livereload(" in page

        # a broken cohort.yml: the error is printed and the last good site is still served
        cohort.write_text("title: [unclosed\nlearners: {\n", encoding="utf-8")
        _until("the error", printed(r"^error: .*cohort\.yml: not valid YAML"))
        _until("the notice", printed(r"still serving the last good site"))
        page = get_text(learner)
        assert page is not None and "Headline written while serving" in page
        assert proc.poll() is None

        # Ctrl+C: stops cleanly, the temporary site folder is gone
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        reader.join(timeout=5)
        assert printed(r"^Stopped\.")()
        assert not [p.name for p in temp.iterdir() if p.name.startswith("portfolio-gen-cohort")]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=20)


def test_parse_address() -> None:
    assert parse_address("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_address(":8001") == ("127.0.0.1", 8001)
    assert parse_address("[::1]:8002") == ("::1", 8002)


@pytest.mark.parametrize("addr", ["8000", "host:port", "127.0.0.1:99999"])
def test_parse_address_rejects_a_bad_address(addr: str) -> None:
    with pytest.raises(ConfigError, match="IP:PORT"):
        parse_address(addr)
