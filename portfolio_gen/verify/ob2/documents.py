"""Fetch the JSON documents an OB 2.0 badge links to, as checks.

Every linked document (hosted assertion, BadgeClass, Issuer, key, revocation
list) is fetched the same way: a fetch that fails or answers non-2xx means the
badge *cannot be verified* (never invalid: the network is not the badge's
fault: the Open Badges verification rules, Open Badges 2.0 §SignedBadge, offline
consequence); a body that is not a JSON
object is a defect of the issuer's document. A copy that did not come live from
the network is named with its date in the check message. Every body, fetched or
pinned, goes through the same strict JSON reader as badge files (duplicate keys,
NaN, depth and size caps), so the issuer's document has one meaning only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from portfolio_gen.errors import BadInput
from portfolio_gen.ingest.jsontext import MAX_JSON_BYTES
from portfolio_gen.ingest.jsontext import parse_json_object as strict_json_object
from portfolio_gen.net.fetch import DEFAULT_MAX_BYTES, FetchError, FetchResult
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.dates import format_instant
from portfolio_gen.verify.report import Check, Verdict, failed, passed, undecided

JSON_ACCEPT = "application/ld+json, application/json;q=0.9"


@dataclass(frozen=True)
class Fetched:
    """A JSON object obtained from ``url``; ``result`` is ``None`` for embedded nodes."""

    url: str | None
    doc: Mapping[str, Any]
    result: FetchResult | None = None


def parse_json_object(data: bytes, *, max_bytes: int = MAX_JSON_BYTES) -> Mapping[str, Any]:
    """The JSON object in ``data``, read strictly; ValueError (a lower-case reason) otherwise."""
    try:
        return strict_json_object(data, "JSON", max_bytes=max(max_bytes, MAX_JSON_BYTES))
    except BadInput as exc:
        reason = exc.reason.rstrip(".")
        raise ValueError(reason[:1].lower() + reason[1:]) from None


def served_id(requested: str, final: str, claimed: object) -> bool:
    """Whether a document fetched from ``requested`` (answered at ``final``) may name itself
    ``claimed``: its own URL, or the URL asked for when any redirect stayed on that host.

    After a redirect to another host only the final URL counts: a page on the issuer's
    host that redirects elsewhere (an open redirect) does not make the target speak for
    the issuer.
    """
    if not isinstance(claimed, str):
        return False
    if claimed == final:
        return True
    return claimed == requested and _site(requested) == _site(final)


def is_sibling(claimed: object, final: str) -> bool:
    """``claimed`` is another HTTP(S) URL in the same folder of the same host as ``final``
    (``…/issuer.json`` naming itself ``…/issuer``, as real issuers and 1EdTech's fixtures do)."""
    return (isinstance(claimed, str) and urlsplit(claimed).scheme in ("http", "https")
            and _site(claimed) == _site(final) and _folder(claimed) == _folder(final))


@dataclass(frozen=True)
class Identity:
    """Who a fetched document speaks for.

    ``id`` is its own ``id`` when it was served from that URL, else the URL it was served
    from (a document without ``id``, as OB 1.x issuers, or one naming a sibling URL);
    ``also`` holds such a sibling name, which a key's ``owner`` may use.
    """

    id: str
    also: str | None = None

    def names(self, value: object) -> bool:
        return value == self.id or (self.also is not None and value == self.also)


def identity_of(fetched: Fetched) -> Identity | None:
    """The :class:`Identity` of ``fetched``, or None when it claims an id it was not served
    from (another folder, another host, or across a redirect to another host)."""
    claimed = fetched.doc.get("id")
    if fetched.url is None:
        return Identity(claimed) if isinstance(claimed, str) else None
    final = fetched.result.final_url if fetched.result is not None else fetched.url
    if claimed is None:
        return Identity(final)
    if served_id(fetched.url, final, claimed):
        return Identity(str(claimed))
    if _site(fetched.url) == _site(final) and is_sibling(claimed, final):
        return Identity(final, also=str(claimed))
    return None


def _site(url: str) -> tuple[str, int | None]:
    """Host and explicit port; the scheme is ignored so an http → https upgrade is one site."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    return (parts.hostname or "").lower(), port


def _folder(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rpartition("/")[0]


def origin_note(result: FetchResult | None) -> str:
    """``""`` for a live fetch, else e.g. ``" (using pinned copy from 2026-01-01T00:00:00Z)"``."""
    if result is None or result.origin == "live":
        return ""
    if result.note:
        return f" ({result.note})"
    kind = {"cache": "cached", "static": "stored"}.get(result.origin, result.origin)
    return f" (using {kind} copy from {format_instant(result.fetched_at)})"


def origin_details(result: FetchResult | None) -> dict[str, Any]:
    if result is None:
        return {}
    return {"url": result.url, "origin": result.origin,
            "fetched_at": format_instant(result.fetched_at)}


def fetch_json(ctx: VerifyContext, url: str, check_id: str, what: str, *,
               max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Fetched | None, Check]:
    """GET ``url`` as a JSON object; the check says what happened (``what`` names the document)."""
    try:
        result = ctx.fetcher.fetch(url, accept=JSON_ACCEPT, max_bytes=max_bytes)
    except FetchError as exc:
        return None, undecided(check_id, f"fetch_{exc.code}",
                               f"The {what} at {url} could not be fetched: {exc.reason}.",
                               url=url, reason=exc.reason)
    note = origin_note(result)
    if not result.ok:
        return None, undecided(check_id, f"http_{result.status}",
                               f"The {what} at {url} could not be obtained: the server answered "
                               f"HTTP {result.status}{note}.", status=result.status,
                               **origin_details(result))
    try:
        doc = parse_json_object(result.body, max_bytes=max_bytes)
    except ValueError as exc:
        return None, failed(check_id, "not_json", f"The {what} at {url} is unusable: {exc}{note}.",
                            Verdict.INVALID, **origin_details(result))
    return Fetched(url, doc, result), passed(check_id, "fetched", f"Fetched the {what} from "
                                             f"{url}{note}.", **origin_details(result))
