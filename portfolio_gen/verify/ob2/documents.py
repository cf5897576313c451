"""Fetch the JSON documents an OB 2.0 badge links to, as checks.

Every linked document (hosted assertion, BadgeClass, Issuer, key, revocation
list) is fetched the same way: a fetch that fails or answers non-2xx means the
badge *cannot be verified* (never invalid: the network is not the badge's
fault, verification.md §1.3 "Offline consequence"); a body that is not a JSON
object is a defect of the issuer's document. A copy that did not come live from
the network is named with its date in the check message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


def parse_json_object(data: bytes) -> Mapping[str, Any]:
    """The JSON object in ``data``; ValueError (with a short reason) otherwise."""
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError("it is not UTF-8 text") from None
    except RecursionError:
        raise ValueError("it is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"it is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(value, dict):
        raise ValueError(f"it is a JSON {type(value).__name__}, not an object")
    return value


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
        doc = parse_json_object(result.body)
    except ValueError as exc:
        return None, failed(check_id, "not_json", f"The {what} at {url} is unusable: {exc}{note}.",
                            Verdict.INVALID, **origin_details(result))
    return Fetched(url, doc, result), passed(check_id, "fetched", f"Fetched the {what} from "
                                             f"{url}{note}.", **origin_details(result))
