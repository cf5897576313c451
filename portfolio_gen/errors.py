"""Program-level exceptions.

Credential problems are *results* (see :mod:`portfolio_gen.verify.report`); the
exceptions here are for faults the caller must handle: bad configuration, input
that cannot be read at all, or a fetch that did not produce a document.
"""

from __future__ import annotations


class PortfolioGenError(Exception):
    """Base class of every error this package raises on purpose."""


class ConfigError(PortfolioGenError):
    """A configuration file or option is wrong; the message names file, key and expectation."""


class IngestError(PortfolioGenError):
    """A file could not be read as a badge at all (the message names the file and problem)."""

    def __init__(self, path: str, reason: str, code: str = "unreadable") -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.code = code


class FetchError(PortfolioGenError):
    """A document could not be fetched; ``code`` is machine-readable.

    Codes: ``blocked_address``, ``blocked_scheme``, ``offline``, ``timeout``,
    ``too_large``, ``too_many_redirects``, ``connection``, ``tls``, ``dns``,
    ``http_status``, ``bad_url``, ``tampered`` (a pinned copy failed its SHA-256 check).
    """

    def __init__(self, url: str, reason: str, code: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.code = code
