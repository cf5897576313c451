"""What ``portfolio-gen add`` prints: one verdict line per credential, then a summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from portfolio_gen.importer.add import Added, Event, Importer, Skipped, Warning
from portfolio_gen.model.wording import VERDICTS
from portfolio_gen.progress import Progress, silent
from portfolio_gen.verify.report import Verdict

Echo = Callable[[str], None]
_GOOD = "green"


def run_add(importer: Importer, sources: Sequence[str], echo: Echo = click.echo,
            progress: Progress = silent) -> int:
    """Add every source, print as it goes; exit status 0 when all added credentials verified.
    ``progress("adding", done, total)`` hears each source finished (when there are several)."""
    events: list[Event] = []
    for done, source in enumerate(sources, 1):
        for event in importer.add(source):
            events.append(event)
            echo(_line(event, importer.portfolio.root))
        if len(sources) > 1:
            progress("adding", done, len(sources))
    added = [e for e in events if isinstance(e, Added) and e.status == "added"]
    present = [e for e in events if isinstance(e, Added) and e.status != "added"]
    skipped = [e for e in events if isinstance(e, Skipped)]
    summary = f"{len(added)} added, {len(present)} already there, {len(skipped)} skipped"
    if importer.pinned:
        summary += (f"; {len(importer.pinned)} issuer document(s) pinned in "
                    f"{_shown(importer.portfolio.pins_dir, importer.portfolio.root)}")
    echo(summary)
    for failure in importer.pin_failures:
        echo(click.style("not pinned: ", fg="yellow") + failure)
    if added:
        echo("Next: portfolio-gen build (or portfolio-gen serve to preview)")
    unverified = [e for e in added if e.report is not None
                  and e.report.verdict is not Verdict.VERIFIED]
    return 1 if skipped or unverified or not (added or present) else 0


def _line(event: Event, root: Path) -> str:
    if isinstance(event, Warning):
        return click.style("warning: ", fg="red", bold=True) + event.message
    if isinstance(event, Skipped):
        said = event.reason if event.origin in event.reason else f"{event.origin}: {event.reason}"
        text = click.style(f"{'skipped':<13}", fg="yellow", bold=True) + f" {said}"
        return text + (f"\n{'':14}{event.hint}" if event.hint else "")
    where = _shown(event.path, root)
    if event.status != "added" or event.report is None:
        why = "identical file" if event.status == "present" else "same credential"
        return (click.style(f"{'already there':<13}", fg="cyan", bold=True)
                + f" {where} ({why}) ← {event.origin}")
    report = event.report
    verdict = report.verdict
    label = click.style(f"{verdict.value:<13}", fg=VERDICTS[verdict].cli_colour, bold=True)
    name = report.achievement_name or "(unnamed)"
    reason = "" if verdict is Verdict.VERIFIED else f" — {report.reason}"
    return f"{label} {where}  {name}{reason} ← {event.origin}"


def _shown(path: Path, root: Path) -> str:
    """Relative to the current folder when inside it (what the learner typed), else absolute."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
