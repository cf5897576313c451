"""The Jinja2 environment for portfolio content: the one of :mod:`portfolio_gen.templating`
(autoescaping always on), which share artefacts use too."""

from __future__ import annotations

from pathlib import Path

import jinja2

from portfolio_gen.templating import environment, human_date, initial

__all__ = ["human_date", "initial", "make_environment"]


def make_environment(theme: Path | None = None) -> jinja2.Environment:
    """Our templates, overridden by a portfolio's or cohort's ``theme`` folder."""
    return environment(theme)
