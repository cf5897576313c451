"""``portfolio-gen cohort serve cohort.yml``: build, serve, and rebuild + reload on changes.

The cohort is built with :func:`build_cohort` into a temporary folder, served by the
engine's live server (MkDocs' ``LiveReloadServer``, which injects the live-reload script
into every HTML page), and rebuilt into the same folder when a watched file changes; browsers
reload once the rebuild is done. The caches keep a rebuild after a one-learner change
cheap: every unchanged learner is a cache lookup.

Watched: cohort.yml, the cohort logo, every learner folder the cohort lists, and the folder
each glob pattern in ``learners:`` is rooted in (so a newly added learner folder is picked
up). A folder that holds the build's own outputs (staff reports, ``cache_dir``) is never
watched recursively, or every build would trigger the next. The watch list follows
cohort.yml after each rebuild.

A failed rebuild (a broken cohort.yml, say) prints the error and keeps the last good site;
the server keeps running. Ctrl+C stops the server and removes the temporary folder.
"""

from __future__ import annotations

import glob
import tempfile
import traceback
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from portfolio_gen.cohort.build import CohortBuildSummary, build_cohort
from portfolio_gen.cohort.config import CohortConfig, load_cohort
from portfolio_gen.cohort.engine import CohortEngine, LiveServer
from portfolio_gen.config import read_yaml_file
from portfolio_gen.errors import ConfigError, PortfolioGenError


def serve_cohort(engine: CohortEngine, cohort_file: Path, *, dev_addr: str = "127.0.0.1:8000",
                 now: datetime | None = None, offline: bool | None = None,
                 echo: Callable[[str], None] = lambda line: None) -> None:
    """Build the cohort into a temporary folder and serve it at ``dev_addr`` (only that
    address) with live reload, until interrupted."""
    host, port = parse_address(dev_addr)
    cohort_file = Path(cohort_file).resolve()
    with tempfile.TemporaryDirectory(prefix="portfolio-gen-cohort-") as tmp:
        site = Path(tmp) / "site"
        _report(build_cohort(engine, cohort_file, site_dir=site, now=now, offline=offline), echo)
        watched: set[str] = set()

        def rebuild() -> None:
            """Never raises: the server would otherwise hold every request until a rebuild
            succeeds; a failure keeps the last good site."""
            try:
                summary = build_cohort(engine, cohort_file, site_dir=site, now=now, offline=offline)
            except PortfolioGenError as exc:
                echo(f"error: {exc}")
                echo("rebuild failed; still serving the last good site")
                return
            except Exception:
                echo(f"error: the rebuild failed unexpectedly:\n{traceback.format_exc()}")
                echo("rebuild failed; still serving the last good site")
                return
            _report(summary, echo)
            with suppress(PortfolioGenError):
                _rewatch(server, watched, watch_paths(load_cohort(cohort_file)), echo)

        def error_page(code: int) -> bytes | None:
            page = site / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

        server = engine.live_server(site, host=host, port=port, rebuild=rebuild,
                                    error_page=error_page)
        _rewatch(server, watched, watch_paths(load_cohort(cohort_file)), echo)
        echo(f"Serving on {server.url} with live reload (Ctrl+C to stop)")
        try:
            server.serve()
        except KeyboardInterrupt:
            echo("Stopped.")
        except OSError as exc:
            raise ConfigError(f"cannot serve on {dev_addr}: {exc}") from None
        finally:
            server.shutdown()


def parse_address(dev_addr: str) -> tuple[str, int]:
    """``IP:PORT`` (``[::1]:PORT`` for IPv6); an empty host means 127.0.0.1."""
    host, sep, port = dev_addr.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError(f"--dev-addr: expected IP:PORT, got {dev_addr!r}")
    return host, int(port)


def watch_paths(config: CohortConfig) -> list[Path]:
    """Files and folders to watch (folders recursively), none inside another."""
    outputs = [p for p in (config.staff.path, config.cache_dir) if p is not None]
    files = [config.path, *(r for r in config.registries if r.is_file())] + (
        [config.logo] if config.logo is not None else [])
    candidates = [*pattern_roots(config), *(e.folder for e in config.learners),
                  *([config.theme] if config.theme else [])]
    folders: list[Path] = []
    for folder in sorted({c for c in candidates if c.is_dir()}, key=lambda p: len(p.parts)):
        if any(_inside(out, folder) for out in outputs):
            continue   # the build writes there: every build would start the next one
        if not any(_inside(folder, f) for f in folders):
            folders.append(folder)
    files = [f for f in files if not any(_inside(f, d) for d in folders)]
    return sorted(files) + sorted(folders)


def pattern_roots(config: CohortConfig) -> list[Path]:
    """The folder each glob pattern of ``learners:`` is rooted in (its non-glob prefix)."""
    try:
        raw = read_yaml_file(config.path)
    except ConfigError:
        return []
    entries = raw.get("learners") if isinstance(raw, dict) else None
    if isinstance(entries, str):
        entries = [entries]
    roots = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, str) or not glob.has_magic(entry):
            continue
        prefix = []
        for part in Path(entry).parts:
            if glob.has_magic(part):
                break
            prefix.append(part)
        roots.append((config.root / Path(*prefix)).resolve() if prefix else config.root)
    return roots


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _rewatch(server: LiveServer, watched: set[str], paths: list[Path],
             echo: Callable[[str], None]) -> None:
    wanted = {str(p) for p in paths}
    if wanted == watched:
        return
    for path in sorted(watched - wanted):
        server.unwatch(path)
    for path in sorted(wanted - watched):
        server.watch(path)
    watched.clear()
    watched.update(wanted)
    shown = [str(p) for p in paths]
    more = f" and {len(shown) - 6} more" if len(shown) > 6 else ""
    echo(f"Watching for changes: {', '.join(shown[:6])}{more}")


def _report(summary: CohortBuildSummary, echo: Callable[[str], None]) -> None:
    echo(summary.line())
    for problem in summary.problems:
        echo(f"problem: {problem}")
