"""What verification is given: fetcher, clock and policy, all injected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from portfolio_gen.net.fetch import Fetcher
from portfolio_gen.verify.registry import Registry

DEFAULT_CLOCK_SKEW = timedelta(seconds=300)


@dataclass(frozen=True)
class VerifyOptions:
    """Policy knobs. ``identities`` are the learner's emails, URLs, DIDs, phone numbers;
    ``registries`` the trust registries the site owner chose (most authoritative first)."""

    identities: tuple[str, ...] = ()
    strict_recipient: bool = False
    #: ``--strict``: data-model conformance problems fail the credential (the 1EdTech
    #: reading) and a status list must be signed by the credential's own issuer.
    strict: bool = False
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW
    registries: tuple[Registry, ...] = ()


@dataclass(frozen=True)
class VerifyContext:
    """Everything a check may consult besides the credential itself.

    ``now`` is the instant verification is judged at (``--now``), so builds are
    reproducible; ``fetcher`` is the only way to the network.
    """

    fetcher: Fetcher
    now: datetime
    options: VerifyOptions = field(default_factory=VerifyOptions)
    #: A ``verify.ob3.jsonld.ContextStore`` replacing the bundled JSON-LD contexts (e.g. one
    #: extended with user-pinned contexts); ``None`` means the bundle.
    contexts: Any = None
    #: A ``verify.ob3.schema.SchemaStore`` replacing the bundled JSON Schemas
    #: (``credentialSchema``); ``None`` means the bundle. Schemas are never fetched.
    schemas: Any = None
