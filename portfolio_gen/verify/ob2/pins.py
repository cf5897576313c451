"""Which URLs an OB 2.0 badge needs, so ``portfolio-gen pin`` can store them for offline builds.

From the file alone we know the hosted assertion URL, and the BadgeClass, issuer
and key URLs of a signed assertion (an embedded issuer copy only gives its id:
verification reads the issuer from there, so that URL is pinned). Given a
fetcher, the chain is followed (assertion → BadgeClass → Issuer → keys and
revocation list) and every URL met is listed; documents that cannot be fetched
are listed but not followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portfolio_gen.errors import FetchError
from portfolio_gen.ingest.raw import Kind, RawCredential
from portfolio_gen.net.fetch import STATUS_LIST_MAX_BYTES, Fetcher
from portfolio_gen.verify.ob2 import endorsements
from portfolio_gen.verify.ob2.documents import JSON_ACCEPT, parse_json_object
from portfolio_gen.verify.ob2.shapes import (
    as_list,
    assertion_id,
    is_http_url,
    node_id,
    verification_object,
    verification_type,
)


def collect_pin_urls(raw: RawCredential, fetcher: Fetcher | None = None) -> list[str]:
    """URLs to pin, in the order verification needs them, without duplicates."""
    urls: list[str] = []
    local = _local_assertion(raw)
    if raw.kind is Kind.OB2_HOSTED_URL and raw.url:
        urls.append(raw.url)
    elif local is not None and raw.kind is not Kind.OB2_SIGNED:
        verify = verification_object(local) or {}
        for candidate in (assertion_id(local), node_id(verify.get("url"))):
            if is_http_url(candidate) and verification_type(local) != "signed":
                urls.append(str(candidate))
                break
    assertion = local
    if raw.kind is not Kind.OB2_SIGNED and urls and fetcher is not None:
        assertion = _get(fetcher, urls[0]) or local
    if assertion is None:
        return urls
    badge = _follow(assertion.get("badge"), fetcher, urls)
    issuer = None
    creator = node_id((verification_object(assertion) or {}).get("creator"))
    if badge is not None:
        # The issuer is always read from its own id, even when the badge embeds a copy.
        issuer = _follow(node_id(badge.get("issuer")), fetcher, urls)
        if issuer is not None:
            for key in as_list(issuer.get("publicKey")):
                if isinstance(key, str):
                    _add(urls, key)
            revocation = node_id(issuer.get("revocationList"))
            if revocation:
                _add(urls, revocation)
    if creator:
        _add(urls, creator)
    nodes = [assertion, badge, issuer if badge is not None else None]
    for url in endorsements.pin_urls(nodes, lambda u: _get(fetcher, u)):
        _add(urls, url)
    return urls


def _local_assertion(raw: RawCredential) -> Mapping[str, Any] | None:
    data = raw.jws.payload if raw.kind is Kind.OB2_SIGNED and raw.jws else raw.payload
    try:
        return parse_json_object(data) if data else raw.document
    except ValueError:
        return raw.document


def _follow(value: object, fetcher: Fetcher | None,
            urls: list[str]) -> Mapping[str, Any] | None:
    if isinstance(value, Mapping):
        return value
    if not is_http_url(value):
        return None
    _add(urls, str(value))
    return _get(fetcher, str(value)) if fetcher is not None else None


def _get(fetcher: Fetcher | None, url: str) -> Mapping[str, Any] | None:
    if fetcher is None:
        return None
    try:
        result = fetcher.fetch(url, accept=JSON_ACCEPT, max_bytes=STATUS_LIST_MAX_BYTES)
        return parse_json_object(result.body) if result.ok else None
    except (FetchError, ValueError):
        return None


def _add(urls: list[str], url: str) -> None:
    if is_http_url(url) and url not in urls:
        urls.append(url)
