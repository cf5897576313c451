"""``portfolio-gen serve``: the live server rebuilds when a reflection or a badge changes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio_gen.scaffold import create_portfolio
from tests.support.loopback import free_port, get_text


def _wait_for(url: str, text: str, limit: float = 90.0) -> str:
    """Poll until the page contains ``text`` (bounded; the limit only stops a hung server)."""
    end = time.monotonic() + limit
    body = None
    while time.monotonic() < end:
        body = get_text(url)
        if body is not None and text in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} never contained {text!r}; last body: {(body or '')[:300]}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = tmp_path / "portfolio"
    create_portfolio(project, name="Serve Tester")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "portfolio_gen", "serve", str(project), "--dev-addr",
         f"127.0.0.1:{port}", "--offline"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield project, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_serve_rebuilds_when_a_reflection_changes(served: tuple[Path, str]) -> None:
    project, base = served
    _wait_for(base, "Serve Tester")
    reflections = sorted((project / "reflections").glob("*.md"))
    assert reflections, "the scaffold ships an example reflection"
    (project / "reflections" / "live-reload-check.md").write_text(
        "---\ntitle: Written while serving\n---\n\nA new reflection.\n", encoding="utf-8")
    _wait_for(base + "reflections/", "Written while serving")


def test_serve_rebuilds_when_a_badge_is_added(served: tuple[Path, str], tmp_path: Path) -> None:
    project, base = served
    _wait_for(base, "Serve Tester")
    sample = Path(__file__).resolve().parent.parent / "sample_portfolio" / "badges"
    badge = sorted(p for p in sample.iterdir() if p.suffix == ".json")[0]
    shutil.copy(badge, project / "badges" / badge.name)
    # The new file is read and reported (unverifiable offline here, or verified): either way
    # the credentials index now lists one more card than the empty scaffold.
    _wait_for(base + "credentials/", "pg-card")
