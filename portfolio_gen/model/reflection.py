"""Learner reflections: Markdown pages with front matter linking them to credentials.

Reflections are the learner's own words (published as they wrote them on their own
site; a cohort site sanitises them, see :mod:`portfolio_gen.render.learner_html`). A
reflection whose front matter is broken, or a link leading out of the folder, becomes a
:class:`Problem` and is left out; the file itself is never modified.

The front matter is read by us, never handed to the site engine: MkDocs and its theme
act on keys such as ``template`` (a path to a theme template) or ``hide``, so a
reflection could otherwise pick a file outside our templates or break the build. The
page source the engine gets is a fresh front matter with the title alone, then the body;
any key we do not know is ignored with a problem naming the file.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from portfolio_gen.config import REFLECTION_KEYS, front_matter_body, parse_front_matter
from portfolio_gen.confine import link_leaves
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
    markdown: str                       # the page source: our front matter, then the body
    credential_slugs: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        """The Markdown after the front matter (read as text: a cohort's scrubbing may
        have changed the front matter after it was validated)."""
        return front_matter_body(self.markdown)

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
        why = link_leaves(path, folder)
        if why is not None:
            problems.append(Problem(label, "reflection", f"{why}; left out of the site"))
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")  # a leading BOM is not text
            meta, raw, body = parse_front_matter(text, label)
        except UnicodeDecodeError:
            problems.append(Problem(label, "reflection", "not UTF-8 text; left out of the site"))
            continue
        except ConfigError as exc:
            reason = str(exc).removeprefix(f"{label}: ")
            problems.append(Problem(label, "reflection", f"{reason}; left out of the site"))
            continue
        ignored = sorted(str(key) for key in raw if key not in REFLECTION_KEYS)
        if ignored:
            problems.append(Problem(label, "reflection", "front matter key(s) "
                                    f"{', '.join(repr(k) for k in ignored)} ignored; a "
                                    f"reflection may set {', '.join(REFLECTION_KEYS)}"))
        title = meta.title or _title_from_name(path.stem)
        reflections.append(Reflection(rel, title, meta.date, meta.credentials, meta.skills,
                                      meta.tags, page_source(meta.title, body)))
    return reflections, problems


def page_source(title: str | None, body: str) -> str:
    """Front matter we wrote (the title, HTML-escaped: themes print it unescaped; JSON is
    YAML), then the body. Always a front matter block, so the engine never reads one the
    body might start with."""
    head = f"title: {json.dumps(html.escape(title))}\n" if title else "{}\n"
    return f"---\n{head}---\n{body}"


def _title_from_name(stem: str) -> str:
    words = stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() or stem
