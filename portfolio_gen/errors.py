"""Every exception this package raises on purpose, in one tree.

Credential problems are *results* (:mod:`portfolio_gen.verify.report` checks), never
exceptions that reach the user; the exceptions here are program faults the caller must
handle, or signals a module raises deep inside parsing and turns into a check or an
:class:`~portfolio_gen.ingest.raw.IngestProblem` at its own boundary::

    PortfolioGenError                 root: the CLI prints the message, exit status 2
    ├── ConfigError                   a configuration file or option is wrong (file, key, fix)
    ├── FetchError(url, reason, code) a document could not be fetched (net/, any HTTP status
    │                                 is a result, not this)
    ├── ImportRefused                 `add`: a source gives no credential (what to do instead)
    ├── BadInput(code, reason)        ingest: input is not a usable badge; read_file makes it
    │                                 an IngestProblem, verifiers a format.parse check
    └── CredentialDataError           verify: a credential's own data cannot be used; each is
        │                             caught by its verifier and becomes a failed or
        │                             undecided check, never a traceback
        ├── ContextError(url, reason) a JSON-LD context is unknown, unpinned, tampered or
        │                             abusive, or the JSON-LD is invalid (verify/ob3/jsonld.py)
        ├── KeyResolutionError        no usable key for a proof; ``fatal`` when that is the
        │                             credential's fault (verify/ob3/keys.py, jwt.py)
        ├── KeyDecodeError            a key document holds no usable public key (crypto.py)
        ├── SignatureError            a signature does not verify, or its algorithm does not
        │                             fit the key (crypto.py)
        └── MalformedIdentity         a recipient identity object of the wrong shape
                                      (verify/recipient.py; also a ValueError)

Modules keep small private signals local to one function family (``_Duplicate`` in
ingest/jsontext.py, ``_ProofFailure`` in verify/ob3/dataintegrity.py, ``_Undecided`` in
verify/ob3/status.py); they derive from :class:`PortfolioGenError` too, so nothing the
package raises falls outside this tree.
"""

from __future__ import annotations


class PortfolioGenError(Exception):
    """Base class of every error this package raises on purpose."""


class ConfigError(PortfolioGenError):
    """A configuration file or option is wrong; the message names file, key and expectation."""


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


class ImportRefused(PortfolioGenError):
    """A source that cannot give a credential; ``str()`` tells the learner what to do."""


class BadInput(PortfolioGenError):
    """Input that is not a usable badge: machine ``code``, one-sentence ``reason``.

    Readers raise it deep inside parsing; :func:`portfolio_gen.ingest.read_file` turns it
    into an :class:`~portfolio_gen.ingest.raw.IngestProblem` at the boundary, so a hostile
    file never becomes a traceback and readers stay free of plumbing.
    """

    def __init__(self, code: str, reason: str, *, unsupported: bool = False) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.unsupported = unsupported


class CredentialDataError(PortfolioGenError):
    """A credential's own data cannot be used; its verifier turns it into a check."""


class ContextError(CredentialDataError):
    """A context is unknown, unpinned, tampered or abusive, or the JSON-LD is invalid.

    ``url`` names the offending context when there is one.
    """

    def __init__(self, url: str | None, reason: str) -> None:
        super().__init__(f"{url}: {reason}" if url else reason)
        self.url = url
        self.reason = reason


class KeyResolutionError(CredentialDataError):
    """No usable key for a proof. ``fatal``: the credential's own fault (its check fails,
    ``invalid``) rather than something that could not be decided (``unverifiable``)."""

    def __init__(self, code: str, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fatal = fatal


class KeyDecodeError(CredentialDataError):
    """A key document does not hold a usable public key (the message says why)."""


class SignatureError(CredentialDataError):
    """A signature does not verify, or its algorithm does not fit the key."""


class MalformedIdentity(CredentialDataError, ValueError):
    """An identity object whose shape is wrong (the message says how)."""
