"""Progress of long work (verifying, staging learners, rendering, writing), on stderr.

Lower layers never print: they call a :data:`Progress` callback ``(phase, done, total)``.
The CLI injects a :class:`ProgressDisplay`: a live ``rich`` bar on a terminal, plain
periodic lines otherwise (CI logs), nothing with ``--quiet``. It writes to stderr so that
``verify --json`` keeps stdout pure JSON.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TextIO

#: Seconds between plain progress lines (non-terminal output).
DEFAULT_INTERVAL = 5.0

#: ``progress(phase, done, total)``: ``done`` of ``total`` items of ``phase`` are finished.
Progress = Callable[[str, int, int], None]


def silent(phase: str, done: int, total: int) -> None:
    """A :data:`Progress` that reports nothing (``--quiet``, library use)."""


@dataclass
class _Phase:
    started: float
    last_line: float
    printed: bool = False
    finished: bool = False
    task: Any = None


class ProgressDisplay:
    """A :data:`Progress` that shows itself on ``stream`` (default: stderr).

    ``live`` (default: ``stream`` is a terminal) chooses the rich bar; otherwise one plain
    line per ``interval`` seconds of a phase, and a last line when a phase that printed
    ends, so quick work stays silent. Use as a context manager so the bar is closed.
    """

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None,
                 interval: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = _is_terminal(self.stream) if live is None else live
        self.interval = DEFAULT_INTERVAL if interval is None else interval
        self.clock = clock
        self._phases: dict[str, _Phase] = {}
        self._bar: Any = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = self.clock()
        state = self._phases.get(phase)
        if state is None:
            state = self._phases[phase] = _Phase(started=now, last_line=now)
        if self.live:
            self._update_bar(state, phase, done, total)
            return
        if done >= total:  # the end of a phase: a last line only if it printed before
            if not state.finished and (state.printed or self.interval <= 0):
                self._write(plain_line(phase, done, total, now - state.started))
            state.finished = True
        elif now - state.last_line >= self.interval:
            self._write(plain_line(phase, done, total, now - state.started))
            state.printed, state.last_line = True, now

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def _update_bar(self, state: _Phase, phase: str, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = _rich_bar(self.stream)
            self._bar.start()
        if state.task is None:
            state.task = self._bar.add_task(phase, total=total)
        self._bar.update(state.task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def plain_line(phase: str, done: int, total: int, elapsed: float) -> str:
    """``verifying badges: 250/1000 (25%), 41.7/s, about 18 s left``."""
    rate = done / elapsed if elapsed > 0 else 0.0
    percent = f" ({100 * done // total}%)" if total else ""
    line = f"{phase}: {done}/{total}{percent}"
    if rate > 0:
        line += f", {rate:.1f}/s"
        if done < total:
            line += f", about {_duration((total - done) / rate)} left"
        else:
            line += f", {_duration(elapsed)}"
    return line


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _is_terminal(stream: TextIO) -> bool:
    """A terminal that can redraw a bar (not ``TERM=dumb``, e.g. an editor's output pane)."""
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _rich_bar(stream: TextIO) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class _Rate(TextColumn):
        def render(self, task: Any) -> Any:  # items per second, from rich's own estimate
            from rich.text import Text

            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f}/s" if speed else "", style="progress.data.speed")

    console = Console(file=stream, force_terminal=True, stderr=stream is sys.stderr)
    # Lines printed on a terminal stdout meanwhile (add's verdicts) go above the bar; a
    # redirected stdout (`verify --json > report.json`) is never touched.
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), _Rate(""), TextColumn("•"),
                    TimeElapsedColumn(), TextColumn("• left"), TimeRemainingColumn(),
                    console=console, transient=False,
                    redirect_stdout=stream is sys.stderr and _is_terminal(sys.stdout),
                    redirect_stderr=False)
