"""Learner reflections: Markdown pages with front matter linking them to credentials.

Reflections are the learner's own words (trusted as theirs, published as they wrote
them). A reflection whose front matter is broken becomes a :class:`Problem` and is
left out; the file itself is never modified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from portfolio_gen.config import parse_front_matter
from portfolio_gen.errors import ConfigError
from portfolio_gen.model.portfolio import Problem


@dataclass(frozen=True)
class Reflection:
    """One reflection; ``path`` is relative to the reflections folder (POSIX)."""

    path: str
    title: str
    date: date | None
    credential_refs: tuple[str, ...]
    skills: tuple[str, ...]
    tags: tuple[str, ...]
    markdown: str                       # the whole file, front matter included
    credential_slugs: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return str(PurePosixPath(self.path).with_suffix(""))


def load_reflections(folder: Path) -> tuple[list[Reflection], list[Problem]]:
    """Read every ``*.md`` under ``folder`` (sorted); broken ones become problems."""
    reflections: list[Reflection] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return reflections, problems
    for path in sorted(folder.rglob("*.md")):
        rel = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in PurePosixPath(rel).parts):
            continue
        label = f"{folder.name}/{rel}"
        try:
            text = path.read_text(encoding="utf-8")
            meta, _, _ = parse_front_matter(text, label)
        except UnicodeDecodeError:
            problems.append(Problem(label, "reflection", "not UTF-8 text; left out of the site"))
            continue
        except ConfigError as exc:
            reason = str(exc).removeprefix(f"{label}: ")
            problems.append(Problem(label, "reflection", f"{reason}; left out of the site"))
            continue
        title = meta.title or _title_from_name(path.stem)
        reflections.append(Reflection(rel, title, meta.date, meta.credentials, meta.skills,
                                      meta.tags, text))
    return reflections, problems


def _title_from_name(stem: str) -> str:
    words = stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() or stem
