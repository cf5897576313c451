"""``serve`` says what it is doing; ``deploy`` and an empty folder refuse cleanly (real
subprocesses, as a learner runs them)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from portfolio_gen.scaffold import create_portfolio
from portfolio_gen.testing.bake import make_png
from portfolio_gen.testing.ob3 import Ob3Issuer
from tests.support.loopback import free_port, get_text


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "portfolio_gen", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


class _Lines:
    """Collects a process's output lines on a thread so a test can wait for one."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert proc.stdout is not None
        stream = proc.stdout
        self._thread = threading.Thread(target=lambda: self.lines.extend(iter(stream.readline,
                                                                             "")), daemon=True)
        self._thread.start()

    def wait_for(self, text: str, limit: float = 120.0) -> str:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            for line in list(self.lines):
                if text in line:
                    return line
            time.sleep(0.2)
        raise AssertionError(f"never printed {text!r}; output so far: {self.lines}")


def test_serve_prints_address_summary_problems_and_each_rebuild(tmp_path: Path) -> None:
    project = tmp_path / "portfolio"
    create_portfolio(project, name="Serve Tester")
    (project / "badges" / "screenshot.png").write_bytes(make_png())
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "portfolio_gen", "serve", str(project),
                             "-a", f"127.0.0.1:{port}", "--offline"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out = _Lines(proc)
        out.wait_for(f"Serving your portfolio at http://127.0.0.1:{port}/")
        assert any(line.startswith("credentials: 0 verified") for line in out.lines)
        problem = out.wait_for("problem: badges/screenshot.png")
        assert "no badge data baked in" in problem
        assert get_text(f"http://127.0.0.1:{port}/") is not None
        issuer = Ob3Issuer()
        (project / "badges" / "teamwork.json").write_text(
            json.dumps(issuer.sign_di(issuer.credential())))
        rebuilt = out.wait_for("rebuilt (")
        assert "badges/teamwork.json added" in rebuilt and "1 verified" in rebuilt, rebuilt
        # the unchanged problem is not repeated on every rebuild
        assert sum("screenshot.png" in line for line in out.lines) == 1, out.lines
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_deploy_refuses_without_repository_or_remote(tmp_path: Path) -> None:
    project = tmp_path / "portfolio"
    create_portfolio(project, name="Ada")
    proc = _run("deploy", cwd=project)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "not a git repository" in proc.stderr and "git init" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (project / ".git").exists()
    subprocess.run(["git", "init", "-q", "-b", "main", str(project)], check=True)
    proc = _run("deploy", cwd=project)
    assert proc.returncode == 2
    assert "no remote named 'origin'" in proc.stderr and "git remote add origin" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.count("error:") == 1
    branches = subprocess.run(["git", "-C", str(project), "branch", "--list", "--all"],
                              capture_output=True, text=True, check=True).stdout
    assert "gh-pages" not in branches


def test_an_empty_folder_suggests_new(tmp_path: Path) -> None:
    for command in ("build", "serve", "deploy"):
        proc = _run(command, cwd=tmp_path)
        assert proc.returncode == 2, (command, proc.stderr)
        assert "portfolio-gen new" in proc.stderr, (command, proc.stderr)
        assert proc.stderr.count("error:") == 1 and "Traceback" not in proc.stderr
