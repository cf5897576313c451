"""JSON-LD reading rules shared by every verifier and the model.

In JSON-LD a single value and a one-element list mean the same thing, so every
field we read (``type``, ``identifier``, ``proof``, ``credentialStatus``,
``@context``…) goes through :func:`as_list` rather than an ``isinstance(list)``
test that would silently ignore the single-value form.
"""

from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[Any]:
    """``[]`` for ``None``, the items of a list, or ``[value]`` for a single value."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def strings(value: Any) -> list[str]:
    """The string items of a single value or a list (e.g. ``type``)."""
    return [v for v in as_list(value) if isinstance(v, str)]
