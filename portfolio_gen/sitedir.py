"""Which folder a build may clear: the guard run before any site is written.

MkDocs empties its ``site_dir`` before every build, so a mistyped ``-d`` (the badges
folder, the cohort folder, a home folder) would delete what it points at. A site folder is
accepted only when it neither equals, contains nor lies inside any input of the build, and
it is missing, empty or carries :data:`MARKER`, which every build of ours writes first
(MkDocs keeps hidden files when it clears a folder, so the marker stays). Anything else is
refused with a :class:`~portfolio_gen.errors.ConfigError` (exit status 2) before a byte is
read or written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from portfolio_gen.errors import ConfigError

#: Written into every site portfolio_gen builds; only a folder carrying it is ever cleared.
MARKER = ".portfolio-gen-site"
_MARKER_TEXT = ("This folder is a site built by portfolio-gen. Every build deletes and rewrites "
                "its contents.\n")


def check_site_dir(site: Path, *, inputs: Iterable[tuple[str, Path]],
                   roots: Iterable[tuple[str, Path]] = ()) -> Path:
    """The resolved ``site`` if a build may clear and write it, else :class:`ConfigError`.

    ``inputs`` (label, path): folders and files the build reads; the site may not equal,
    contain or lie inside any of them. ``roots``: the folder holding the configuration
    (portfolio or cohort folder); the site may lie inside it (``site/`` is the default) but
    may not be it or contain it.
    """
    target = site.expanduser().resolve()
    shown = str(site)
    for label, path in roots:
        where = path.resolve()
        if target == where or where.is_relative_to(target):
            raise ConfigError(f"site dir {shown}: it {'is' if target == where else 'contains'} "
                              f"the {label} ({where}); building would delete it. Choose a new "
                              "folder, e.g. site/ inside it")
    for label, path in inputs:
        where = path.expanduser().resolve()
        if target == where:
            relation = "is"
        elif where.is_relative_to(target):
            relation = "contains"
        elif target.is_relative_to(where):
            relation = "lies inside"
        else:
            continue
        raise ConfigError(f"site dir {shown}: it {relation} the {label} ({where}), which the "
                          "build reads; building there would delete or overwrite it. Choose "
                          "a separate folder")
    if target.exists() and not target.is_dir():
        raise ConfigError(f"site dir {shown}: exists and is not a folder")
    if target.is_dir() and not (target / MARKER).is_file():
        held = sorted(p.name for p in target.iterdir())
        if held:
            raise ConfigError(
                f"site dir {shown}: the folder is not empty and was not built by portfolio-gen "
                f"(no {MARKER} file; it holds {', '.join(held[:3])}"
                f"{', …' if len(held) > 3 else ''}); building would delete its contents. "
                "Choose an empty or new folder, or empty this one yourself")
    return target


def mark_site_dir(site: Path) -> None:
    """Create ``site`` if needed and mark it as ours, before anything is written into it."""
    site.mkdir(parents=True, exist_ok=True)
    marker = site / MARKER
    if not marker.is_file():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")
