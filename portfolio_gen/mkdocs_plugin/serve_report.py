"""What ``portfolio-gen serve`` prints: the address, each build's summary and warnings, and
one line per rebuild naming what changed.

MkDocs logs its own progress at INFO, which the CLI does not show; this reporter is called
by the plugin after every build instead. What changed is found by comparing the portfolio
folder's files (name, size, modification time) before and after; the built site, hidden
folders and caches are not looked at.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from portfolio_gen.model.build_summary import BuildSummary

Echo = Callable[[str], None]
_SKIP_DIRS = frozenset({"site", "node_modules", "__pycache__"})
_SHOWN = 4


class ServeReport:
    """Callable as ``Overrides.on_built``; ``started`` once the first build was reported."""

    def __init__(self, project_dir: Path, url: str, echo: Echo) -> None:
        self.project_dir = project_dir
        self.url = url
        self.echo = echo
        self.started = False
        self._files = snapshot(project_dir)
        self._problems: tuple[str, ...] = ()

    def __call__(self, summary: BuildSummary, warnings: tuple[str, ...]) -> None:
        if not self.started:
            self.started = True
            self.echo(summary.line())
            for warning in warnings:
                self.echo(f"warning: {warning}")
            for problem in summary.problems:
                self.echo(f"problem: {problem}")
            self.echo(f"Serving your portfolio at {self.url} — it rebuilds when badges, "
                      "reflections, profile, pathways or mkdocs.yml change (Ctrl+C to stop)")
            self._problems = summary.problems
            return
        files = snapshot(self.project_dir)
        changed = describe_changes(self._files, files)
        self._files = files
        stamp = time.strftime("%H:%M:%S")
        self.echo(f"{stamp} rebuilt ({changed}): {summary.line()}")
        for problem in summary.problems:
            if problem not in self._problems:
                self.echo(f"problem: {problem}")
        self._problems = summary.problems


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Relative path → (size, mtime in ns) of the portfolio's own files."""
    files: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS]
        for name in filenames:
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            files[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return files


def describe_changes(before: dict[str, tuple[int, int]],
                     after: dict[str, tuple[int, int]]) -> str:
    """``badges/a.png added, profile.yml changed`` (at most a few names, then a count)."""
    parts = ([f"{p} added" for p in sorted(after.keys() - before.keys())]
             + [f"{p} removed" for p in sorted(before.keys() - after.keys())]
             + [f"{p} changed" for p in sorted(before.keys() & after.keys())
                if before[p] != after[p]])
    if not parts:
        return "no file changed"
    more = f" and {len(parts) - _SHOWN} more" if len(parts) > _SHOWN else ""
    return ", ".join(parts[:_SHOWN]) + more
