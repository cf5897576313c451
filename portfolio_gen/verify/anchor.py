"""What anchors an issuer's name, and how to say it honestly (the Open Badges verification rules:
security item 17).

A valid proof shows which key signed. It says nothing about who holds that key: anyone can
mint a did:key, write ``"name": "Harvard University"`` and sign. So every report says how
the issuer's identity is anchored:

- ``domain``: the issuer id is an https URL (OB 2.0 hosted and signed issuers, OB 3.0
  controller documents) or a did:web, and verification took the key (or the hosted
  credential) from that domain; ``anchor_detail`` names the domain.
- ``registry``: the issuer id is listed in a trust registry the site owner configured;
  ``anchor_detail`` names the registry, and the registry's own name for the issuer is kept.
- ``self-asserted``: anything else (did:key, did:jwk, ...). The name is the issuer's own claim.

An issuer is anchored only when the credential's origin was proven (a proof or the issuer's
hosted copy passed, and no check found it invalid, unsupported or undecidable): a forged
credential naming a real domain is never presented as issued from that domain.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from portfolio_gen.verify.registry import Registry
from portfolio_gen.verify.report import (
    PROOF_CHECK_IDS,
    CheckStatus,
    IssuerRef,
    Verdict,
    VerificationReport,
    compute_verdict,
)

DOMAIN = "domain"
REGISTRY = "registry"
SELF_ASSERTED = "self-asserted"

#: Verdicts that mean the credential's origin (signature and key binding) was proven.
_PROVEN = frozenset({Verdict.VERIFIED, Verdict.REVOKED, Verdict.EXPIRED, Verdict.NOT_YET_VALID})


def issuer_domain(issuer_id: str | None) -> str | None:
    """The domain that serves an issuer's keys: the host of an https id, or of a did:web.

    Shown in ASCII (IDNA, ``xn--...``), so a look-alike host (``harvard.edu`` spelt with a
    Cyrillic letter a) can never pass for the real one."""
    if not issuer_id:
        return None
    if issuer_id.startswith("https://"):
        try:
            parts = urlsplit(issuer_id)
            host, port = parts.hostname, parts.port
        except ValueError:
            return None
    elif issuer_id.startswith("did:web:"):
        host_port = unquote(issuer_id[len("did:web:"):].split(":", 1)[0].split("#", 1)[0])
        host, _, port_text = host_port.lower().partition(":")
        if port_text and not port_text.isdigit():
            return None
        port = int(port_text) if port_text else None
    else:
        return None
    ascii_host = _ascii_host(host or "")
    if ascii_host is None:
        return None
    return f"{ascii_host}:{port}" if port not in (None, 443) else ascii_host


def _ascii_host(host: str) -> str | None:
    if not host or any(ch.isspace() or ch in "/?@#%[]\\" for ch in host):
        return None
    if host.isascii():
        return host.lower()
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None


def origin_proven(report: VerificationReport) -> bool:
    """True when a proof (or the issuer's hosted copy) passed and nothing found the
    credential invalid, unsupported or undecidable."""
    if not any(c.id in PROOF_CHECK_IDS and c.status is CheckStatus.PASS for c in report.checks):
        return False
    return compute_verdict(report.checks) in _PROVEN


def anchor_issuer(issuer: IssuerRef, *, proven: bool,
                  registries: Sequence[Registry] = ()) -> IssuerRef:
    """``issuer`` with its anchor; the first registry listing the id wins (list the most
    authoritative first)."""
    if proven:
        for registry in registries:
            entry = registry.lookup(issuer.id)
            if entry is not None:
                return replace(issuer, anchor=REGISTRY, anchor_detail=registry.name,
                               listed_name=entry.name, listed_url=entry.url)
        domain = issuer_domain(issuer.id)
        if domain is not None:
            return replace(issuer, anchor=DOMAIN, anchor_detail=domain,
                           listed_name=None, listed_url=None)
    return replace(issuer, anchor=SELF_ASSERTED, anchor_detail=None, listed_name=None,
                   listed_url=None)


def anchor_report(report: VerificationReport,
                  registries: Sequence[Registry] = ()) -> VerificationReport:
    """The report (and its endorsements and CLR members) with every issuer anchored."""
    nested = tuple(anchor_report(n, registries) for n in report.nested)
    issuer = anchor_issuer(report.issuer, proven=origin_proven(report), registries=registries)
    return replace(report, issuer=issuer, nested=nested)


# -- words -----------------------------------------------------------------------------------

def _same_name(a: str, b: str) -> bool:
    return _clean(a).casefold() == _clean(b).casefold()


def _clean(name: str) -> str:
    """One line without control or format characters (a right-to-left override in a name
    must not reorder the words around it)."""
    return " ".join("".join(ch for ch in name if unicodedata.category(ch)[0] != "C").split())


def issuer_phrase(name: str, anchor: str, detail: str | None = None,
                  listed_name: str | None = None, *, proven: bool = True) -> str:
    """Who issued it, in words that claim no more than verification showed; completes
    "Issued by …" / "issued by …".

    - domain: ``Example University (example.edu)``
    - registry: ``Civic Data Lab (Careers office trusted issuers)``; when the registry knows
      the issuer by another name: ``Civic Data Lab (Careers office trusted issuers; the
      credential says “Harvard University”)``
    - self-asserted: ``a key that calls itself Harvard University``
    - origin not proven: ``someone who claims to be Harvard University``
    """
    name = _clean(name) or "an unnamed issuer"
    if not proven:
        return f"someone who claims to be {name}"
    if anchor == REGISTRY and detail:
        listed = _clean(listed_name or "")
        if listed and not _same_name(listed, name):
            return f"{listed} ({detail}; the credential says \u201c{name}\u201d)"
        return f"{listed or name} ({detail})"
    if anchor == DOMAIN and detail:
        return f"{name} ({detail})"
    return f"a key that calls itself {name}"


def issued_by(name: str, anchor: str, detail: str | None = None,
              listed_name: str | None = None, *, proven: bool = True) -> str:
    """``Issued by <issuer_phrase>``."""
    return "Issued by " + issuer_phrase(name, anchor, detail, listed_name, proven=proven)


def card_issuer(name: str, anchor: str, listed_name: str | None = None, *,
                proven: bool = True) -> str:
    """The issuer line of an image or iframe card, where a line holds ~30 characters: the
    (registry's) name when anchored, its domain or registry going to :func:`anchor_note`
    beside the state; else ``Claims to be <name>``."""
    name = _clean(name) or "an unnamed issuer"
    if proven and anchor == REGISTRY:
        return _clean(listed_name or "") or name
    if proven and anchor == DOMAIN:
        return name
    return f"Claims to be {name}"


def anchor_note(anchor: str, detail: str | None, *, proven: bool = True) -> str:
    """What anchors the name, for a card's state line: ``via example.edu`` or ``listed in
    <registry>``; empty when nothing does."""
    if not proven or not detail:
        return ""
    if anchor == DOMAIN:
        return f"via {detail}"
    if anchor == REGISTRY:
        return f"listed in {detail}"
    return ""


def short_issuer(name: str, anchor: str, detail: str | None = None,
                 listed_name: str | None = None, *, proven: bool = True) -> str:
    """A compact form for site lists and tables: the anchored name with its domain or
    registry, or ``Claims to be <name>``."""
    name = _clean(name) or "an unnamed issuer"
    if proven and anchor in (DOMAIN, REGISTRY) and detail:
        return issuer_phrase(name, anchor, detail, listed_name)
    return f"Claims to be {name}"


#: The state sentence for a verified credential whose issuer name is only its own claim.
SELF_ASSERTED_SENTENCE = "The issuer's name is its own claim."
