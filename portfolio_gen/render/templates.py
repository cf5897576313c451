"""The Jinja2 environment for portfolio content (autoescaping always on)."""

from __future__ import annotations

import functools
from datetime import date, datetime

import jinja2

from portfolio_gen.render.sanitize import render_untrusted, safe_link

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


@functools.cache
def make_environment() -> jinja2.Environment:
    """One shared environment per process, so each template is compiled once.

    Nothing mutates it after creation (no per-page globals), so sharing is safe.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("portfolio_gen", "themes/portfolio/templates"),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False)   # templates ship in the package: no stat per include
    env.filters["markdown"] = render_untrusted
    env.filters["safe_link"] = safe_link
    env.filters["human_date"] = human_date
    env.filters["initial"] = initial
    return env
