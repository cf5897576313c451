"""Badge page URLs → the Open Badges document behind them (import.md §8 B, C).

No standard links a badge page to its JSON, so each platform's known shape is rewritten
to its JSON endpoint before anything is fetched: Credly pages to its public OBI
assertion API, Canvas Credentials/Badgr ``/public/assertions/<id>`` (any host) to the
``.json`` form, Accredible ``credential.net`` pages to its OBI assertion, Open Badge
Factory ``.html`` assertion pages to the JSON, Open Badge Passport and VerifierPlus pages
to their JSON APIs. Anything else is fetched as given; an HTML answer is searched for a
``<link rel="alternate">`` to a JSON type. Fetches go through the injected (guarded)
fetcher with an ``Accept`` that never lists ``text/html`` (Badgr answers that with a
redirect to its web app) and the tool's own user agent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import SplitResult, parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from portfolio_gen.errors import FetchError, ImportRefused
from portfolio_gen.ingest.jws import looks_like_jws
from portfolio_gen.ingest.png import PNG_SIGNATURE
from portfolio_gen.net.fetch import Fetcher, FetchResult

ACCEPT = ("application/ld+json, application/vc+ld+json, application/json;q=0.9, "
          "image/png;q=0.5, image/svg+xml;q=0.5, text/plain;q=0.3")
_JSON_TYPES = ("application/ld+json", "application/json", "application/vc+ld+json",
               "application/vc+json", "application/vc")
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_CREDLY_HOSTS = frozenset({"credly.com", "www.credly.com", "youracclaim.com",
                           "www.youracclaim.com"})
_CREDLY_BADGE = re.compile(rf"^/(?:badges|embedded_badge|earner/earned/badge)/({_UUID})"
                           r"(?:/(?:public_url|linked_in_profile|embedded))?/?$")
_CREDLY_TEMPLATE = re.compile(r"^/org/[^/]+/badge/[^/]+/?$")
_BADGR_ASSERTION = re.compile(r"^(.*/public/assertions/[A-Za-z0-9_-]+?)(?:\.json)?/?$")
_BADGR_COLLECTION = re.compile(r"^(.*/public/collections/[A-Za-z0-9_-]+?)(?:\.json)?/?$")
_ACCREDIBLE_HOSTS = frozenset({"credential.net", "www.credential.net"})
_ACCREDIBLE_PAGE = re.compile(rf"^/({_UUID}|[0-9]+)/?$")
_OBF_HTML = re.compile(r"^(/v1/assertion/[0-9a-fA-F]{40})\.html$")
_PASSPORT_PAGE = re.compile(r"^/app/badge/info/([0-9]+)/?$")
_VERIFIERPLUS_PAGE = re.compile(rf"^/credentials/({_UUID})/?$")
_MAX_FOLLOW = 2          # page → discovery link / Passport → assertion URL
_MAX_COLLECTION = 200    # assertions taken from one Badgr collection

CREDLY_HINT = ("Open your badge from your Credly profile and copy the address that contains "
               "/badges/<long id>, or use the badge's Download option and add the file.")
PNG_HINT = ("download the badge image from the platform (it carries the badge data) and run "
            "`portfolio-gen add <file>`")




@dataclass(frozen=True)
class ApiBases:
    """Where host-specific JSON APIs live (tests point these at a loopback server)."""

    credly: str = "https://api.credly.com"
    accredible: str = "https://api.accredible.com"


DEFAULT_BASES = ApiBases()


@dataclass(frozen=True)
class Target:
    """What to fetch for a given URL, and which platform that is (for messages)."""

    url: str
    platform: str

    @property
    def shown(self) -> str:
        """The URL without its query, for messages (queries may carry an email address)."""
        return shown_url(self.url)


def shown_url(url: str) -> str:
    """``url`` without query and fragment."""
    return url.split("#")[0].split("?")[0]


@dataclass(frozen=True)
class Download:
    """One document fetched for the learner: exact bytes, a file extension, its URL."""

    data: bytes
    suffix: str
    url: str
    platform: str


def rewrite(url: str, bases: ApiBases = DEFAULT_BASES) -> Target:
    """The JSON endpoint for a badge page URL (import.md §8 B); raises :class:`ImportRefused`."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportRefused(f"{url}: not a web address (http:// or https://) nor an existing file")
    host = parts.hostname.lower()
    path = parts.path or "/"
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        raise ImportRefused("LinkedIn stores only a badge's name, issuer, dates and a link, no "
                            "badge data; add the link shown under 'Show credential' instead.")
    if host in _CREDLY_HOSTS:
        if (m := _CREDLY_BADGE.match(path)) is not None:
            return Target(f"{bases.credly}/v1/obi/v2/badge_assertions/{m.group(1).lower()}",
                          "Credly")
        if _CREDLY_TEMPLATE.match(path):
            raise ImportRefused("This Credly address is the badge's description, not your award. "
                                + CREDLY_HINT)
        raise ImportRefused(f"This Credly address is not a badge page. {CREDLY_HINT}")
    if host in _ACCREDIBLE_HOSTS and (m := _ACCREDIBLE_PAGE.match(path)) is not None:
        return Target(f"{bases.accredible}/v1/obi/badge_assertions/{m.group(1)}", "Accredible")
    if host.endswith("openbadgepassport.com") and (m := _PASSPORT_PAGE.match(path)):
        return Target(_replace(parts, f"/obpv1/p/badge/info/{m.group(1)}", ""),
                      "Open Badge Passport")
    if host.endswith("verifierplus.org"):
        vc = dict(parse_qsl(parts.fragment.partition("?")[2])).get("vc")
        if parts.fragment.startswith("verify") and vc:
            return rewrite(unquote(vc), bases)
        if (m := _VERIFIERPLUS_PAGE.match(path)) is not None:
            return Target(_replace(parts, f"/api/credentials/{m.group(1)}", ""), "VerifierPlus")
    if (m := _BADGR_ASSERTION.match(path)) is not None:
        keep = [(k, v) for k, v in parse_qsl(parts.query) if k == "v"]  # never identity__email
        return Target(_replace(parts, m.group(1) + ".json", urlencode(keep)),
                      "Canvas Credentials / Badgr")
    if (m := _BADGR_COLLECTION.match(path)) is not None:
        return Target(_replace(parts, m.group(1) + ".json",
                               "expand=badges.badge&expand=badges.badge.issuer"),
                      "Canvas Credentials / Badgr collection")
    if (m := _OBF_HTML.match(path)) is not None:
        return Target(_replace(parts, m.group(1), parts.query), "Open Badge Factory")
    return Target(urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")), "web")


def _replace(parts: SplitResult, path: str, query: str) -> str:
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def download(url: str, fetcher: Fetcher, bases: ApiBases = DEFAULT_BASES) -> list[Download]:
    """Every credential document the URL leads to; raises :class:`ImportRefused` with advice."""
    return list(_download(rewrite(url, bases), fetcher, bases, depth=0))


def _download(target: Target, fetcher: Fetcher, bases: ApiBases, *,
              depth: int) -> Iterator[Download]:
    result = _fetch(target, fetcher)
    body = result.body
    ctype = result.content_type.split(";")[0].strip().lower()
    head = body.lstrip()[:512]
    if body.startswith(PNG_SIGNATURE):
        yield Download(body, ".png", result.final_url, target.platform)
    elif ctype == "image/svg+xml" or (re.search(rb"<svg[\s>]", head) and b"<html" not in head):
        yield Download(body, ".svg", result.final_url, target.platform)
    elif head[:1] in (b"{", b"["):
        yield from _json(body, target, fetcher, bases, depth=depth)
    elif looks_like_jws(body.strip()):
        yield Download(body.strip(), ".jwt", result.final_url, target.platform)
    elif ctype in ("text/html", "application/xhtml+xml") or head[:1] == b"<":
        link = _discovery_link(body, result.final_url)
        if link is None or depth >= _MAX_FOLLOW:
            raise ImportRefused(
                f"{target.shown}: this web page holds no badge data and links to none. On the "
                f"badge's page use its download option (baked image or JSON), or give the "
                f"address of the Open Badges JSON itself; or {PNG_HINT}.")
        yield from _download(rewrite(link, bases), fetcher, bases, depth=depth + 1)
    else:
        raise ImportRefused(f"{target.shown}: the answer ({ctype or 'no content type'}) is not "
                            "an Open Badges document, a baked image or a VC-JWT.")


def _fetch(target: Target, fetcher: Fetcher) -> FetchResult:
    try:
        result = fetcher.fetch(target.url, accept=ACCEPT)
    except FetchError as exc:
        if exc.code == "offline":
            raise ImportRefused(f"{target.shown}: --offline: web addresses cannot be fetched; "
                                "run without --offline or add a downloaded file") from None
        raise ImportRefused(f"{target.shown}: could not be fetched ({exc.reason})") from None
    status = result.status
    if 200 <= status < 300:
        return result
    where = f"{target.shown} ({target.platform})" if target.platform != "web" else target.shown
    if status == 410:
        raise ImportRefused(f"{where}: the issuer has revoked this badge (410 Gone); "
                            "nothing was added")
    if status == 404:
        extra = (f" Accredible does not publish every badge this way: {PNG_HINT}."
                 if target.platform == "Accredible" else "")
        raise ImportRefused(f"{where}: not found (404): the badge is private, unshared or "
                            f"deleted, or the link expired (VerifierPlus links last a year)."
                            + extra)
    if status in (401, 403):
        raise ImportRefused(f"{where}: private (HTTP {status}): make the badge public on the "
                            f"platform, or {PNG_HINT}")
    if status == 429 or status >= 500:
        raise ImportRefused(f"{where}: the server is busy or failing (HTTP {status}); try again "
                            "later. Nothing was added.")
    raise ImportRefused(f"{where}: unexpected answer HTTP {status}; nothing was added")


def _json(body: bytes, target: Target, fetcher: Fetcher, bases: ApiBases, *,
          depth: int) -> Iterator[Download]:
    """A JSON answer: a credential or wallet export as is; Passport and Badgr sets followed."""
    try:
        doc = json.loads(body)
    except ValueError:
        raise ImportRefused(f"{target.shown}: the answer is not valid JSON") from None
    if isinstance(doc, dict) and depth < _MAX_FOLLOW:
        url = doc.get("assertion_url")  # Open Badge Passport's public badge info
        if isinstance(url, str) and "@context" not in doc:
            yield from _download(rewrite(url, bases), fetcher, bases, depth=depth + 1)
            return
        badges = doc.get("badges")
        if doc.get("type") == "Collection" and isinstance(badges, list):
            ids = [b.get("id") for b in badges if isinstance(b, dict)]
            for sub in [i for i in ids if isinstance(i, str)][:_MAX_COLLECTION]:
                yield from _download(rewrite(sub, bases), fetcher, bases, depth=depth + 1)
            return
    yield Download(body, ".json", target.url, target.platform)


class _AlternateLinks(HTMLParser):
    """Collects ``<link rel="alternate" type="<json type>" href>`` from a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "a"):
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").split(";")[0].strip().lower()
        if "alternate" in rels and kind in _JSON_TYPES and values.get("href"):
            self.hrefs.append(values["href"].strip())


def _discovery_link(body: bytes, base: str) -> str | None:
    parser = _AlternateLinks()
    try:
        parser.feed(body[:1 << 20].decode("utf-8", "replace"))
    except Exception:
        return None
    return urljoin(base, parser.hrefs[0]) if parser.hrefs else None
