"""The one Jinja2 environment: site pages and share artefacts (SVG card, iframe card).

Why one: the templates are one theme (``themes/portfolio/templates/``), overridden one file
at a time by a portfolio's or cohort's own ``themes/portfolio/templates/`` (a
``ChoiceLoader``), so both kinds of output must read the same loader. Autoescaping is on
for every template, HTML and SVG alike: badge text is untrusted, and the escapes Jinja2
emits (``&lt;``, ``&#34;``...) are valid in XML too.

It lives beside ``theme.py`` (and ``sanitize.py``, whose filters it registers) rather than
in ``render/``, so the ``share/`` layer can use it without importing the page layer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

from portfolio_gen import theme
from portfolio_gen.confine import inside
from portfolio_gen.sanitize import render_untrusted, safe_link

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def human_date(value: date | datetime | str | None) -> str:
    """``1 June 2026``: fixed English wording, independent of the build machine's locale
    (an ISO string is read first; one that is not a date is shown as it is)."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def initial(name: str) -> str:
    """The first letter or digit of a name, for an image placeholder."""
    return next((ch.upper() for ch in name if ch.isalnum()), "?")


class _ConfinedLoader(jinja2.FileSystemLoader):
    """An override's templates; a file that links out of the override folder is not read
    (its name falls through to ours)."""

    def __init__(self, root: Path) -> None:
        super().__init__(str(root))
        self.root = root

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not inside(Path(filename), self.root):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


FILTERS: dict[str, Callable[..., Any]] = {
    "markdown": render_untrusted, "safe_link": safe_link,
    "human_date": human_date, "initial": initial}


def environment(override: Path | None = None) -> jinja2.Environment:
    """The environment for our templates, overridden by ``override`` (a theme folder from
    :func:`portfolio_gen.theme.find_override`) when given.

    One per process and override content, so each template is compiled once; nothing
    mutates it after creation (no per-page globals), so sharing is safe. An edited override
    (``serve``) has a new digest, hence a fresh environment.
    """
    return _environment(override, theme.digest(override))


@functools.cache
def _environment(override: Path | None, _digest: str) -> jinja2.Environment:
    ours = jinja2.FileSystemLoader(str(theme.builtin() / theme.TEMPLATES))
    loader: jinja2.BaseLoader = ours
    if override is not None:
        loader = jinja2.ChoiceLoader([_ConfinedLoader(override / theme.TEMPLATES), ours])
    env = jinja2.Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False)   # keyed by the override's content: no stat per include
    env.filters.update(FILTERS)
    return env


def render(template: str, /, theme_override: Path | None = None, **context: object) -> str:
    """One template rendered to text (the share artefacts' entry point)."""
    return environment(theme_override).get_template(template).render(**context)
