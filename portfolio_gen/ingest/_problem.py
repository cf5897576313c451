"""The internal signal for "this input is not a usable badge".

Readers raise :class:`BadInput` deep inside parsing; :func:`portfolio_gen.ingest.read_file`
turns it into an :class:`~portfolio_gen.ingest.raw.IngestProblem` at the boundary, so a
hostile file never becomes a traceback and readers stay free of plumbing.
"""

from __future__ import annotations


class BadInput(Exception):
    """Input that is not a usable badge: machine ``code``, one-sentence ``reason``."""

    def __init__(self, code: str, reason: str, *, unsupported: bool = False) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.unsupported = unsupported
