"""The site's sharing layer: model ``Credential`` → :class:`ShareInfo`, and per page the files,
head tags and template context the share panel, embeds, OG/oEmbed, QR and JSON-LD need.

Engine-free like :mod:`portfolio_gen.render.site`. The one mapping from the display model to
the sharing layer is :func:`share_info`. In-site links stay relative (the site works from a
sub-path); absolute URLs are built from ``site_url`` only where a format requires them (Open
Graph, oEmbed, LinkedIn ``certUrl``, QR codes and the copyable embed codes). Without
``site_url`` those are left out and :data:`NO_SITE_URL_WARNING` says so once.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from portfolio_gen.ingest.png import PNG_SIGNATURE, without_text_chunks
from portfolio_gen.model.credential import Credential
from portfolio_gen.model.portfolio import LearnerProfile
from portfolio_gen.model.wording import MISMATCH, VERDICTS
from portfolio_gen.render import media
from portfolio_gen.render.urls import page_url
from portfolio_gen.sanitize import safe_link
from portfolio_gen.share import artifacts, cards, embed, iframe_card, jsonld, links, oembed, og
from portfolio_gen.share.cache import RenderCache
from portfolio_gen.share.info import ShareInfo, ShareSkill
from portfolio_gen.verify.report import Verdict

ASSET_DIR = "assets/portfolio"
SCRIPT_PATH = f"{ASSET_DIR}/{embed.SCRIPT_NAME}"
HOME_OG_PATH = f"{ASSET_DIR}/og-home.jpg"
ARCHIVE_PATH = "credentials/all-credentials.zip"
#: Originals larger than this are linked but not embedded in the page.
EMBED_ORIGINAL_LIMIT = 512 * 1024

NO_SITE_URL_WARNING = (
    "site_url is not set in mkdocs.yml: Open Graph/Twitter image and URL tags, oEmbed files, "
    "QR codes, LinkedIn/X/Facebook share links and copyable embed codes need the absolute "
    "address the portfolio is published at, so they were left out (shared links will show no "
    "preview image). Set site_url to that address, e.g. https://<user>.github.io/<repo>/."
)

_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".json": "application/json",
         ".jws": "application/jose", ".jwt": "application/jwt"}


@dataclass(frozen=True)
class ShareSettings:
    """What the sharing layer needs from the site configuration."""

    site_url: str | None
    site_name: str
    use_directory_urls: bool = True
    cache: RenderCache | None = None
    linkedin_organizations: Mapping[str, str] = field(default_factory=dict)
    #: a theme override folder (its card.svg.j2 / iframe_card.html.j2 replace ours)
    theme: Path | None = None


@dataclass(frozen=True)
class Snippet:
    """One copyable embed code: ``id`` names its ``<textarea>``."""

    id: str
    label: str
    code: str


@dataclass
class CredentialShare:
    """Everything the credential template and the page head need for one credential."""

    info: ShareInfo
    base: str                              # credentials/<slug>
    links: list[links.ShareLink]
    absolute_url: str | None
    card_png: str
    card_svg: str
    card_alt: str
    iframe_wide: str
    iframe_tall: str
    og_image: str
    oembed_path: str | None
    qr: Markup | None
    snippets: list[Snippet]
    original_block: Markup | None
    jsonld: Markup
    head: Markup
    files: dict[str, bytes] = field(default_factory=dict)

    def snippet(self, snippet_id: str) -> Snippet | None:
        return next((s for s in self.snippets if s.id == snippet_id), None)


def share_info(cred: Credential, *, learner_name: str, settings: ShareSettings,
               page_src: str) -> ShareInfo:
    """The one mapping from the display model onto the sharing layer."""
    path = page_url(page_src, settings.use_directory_urls)
    image_bytes, image_mime = _badge_image(cred)
    # A name-keyed LinkedIn organisation (its logo and page) only for an anchored issuer: a
    # did:key calling itself "Example University" must not borrow the real one's page.
    org = (settings.linkedin_organizations.get(cred.issuer.id or "")
           or (settings.linkedin_organizations.get(cred.issuer.name)
               if cred.issuer.anchored else None))
    return ShareInfo(
        credential_id=cred.credential_id,
        name=cred.name,
        description=" ".join(cred.description.split()),
        issuer_name=cred.issuer.name,
        issuer_url=safe_link(cred.issuer.anchor_link),
        achievement_type=cred.achievement_type,
        issued=cred.issued or cred.valid_from,
        expires=cred.expires,
        # someone else's credential is never shown as this learner's "Verified" anywhere
        verdict=Verdict.INVALID if cred.not_owners else cred.verdict,
        verdict_label=MISMATCH.seal if cred.not_owners else VERDICTS[cred.verdict].label,
        page_url=og.absolute_url(settings.site_url, path) if settings.site_url else None,
        page_path=path,
        image_bytes=image_bytes,
        image_mime=image_mime,
        skills=tuple(ShareSkill(a.name, safe_link(a.url), a.code, a.framework)
                     for a in cred.alignments),
        learner_name=learner_name,
        issuer_linkedin_org_id=org,
        issuer_phrase=cred.issuer.phrase,
        issuer_short=cred.issuer.card_line,
        issuer_note=cred.issuer.anchor_note,
        issuer_anchored=cred.issuer.anchored,
    )


def _badge_image(cred: Credential) -> tuple[bytes | None, str | None]:
    image = media.image_file(cred.image)
    if image is not None:
        ext = PurePosixPath(image.name).suffix
        return image.content, {".jpg": "image/jpeg", ".svg": "image/svg+xml"}.get(
            ext, f"image/{ext.lstrip('.')}")
    if cred.file_bytes and media.is_image_file(cred.file_bytes):
        if cred.file_bytes.startswith(PNG_SIGNATURE):
            # the baked assertion is not drawn; without it, holders share renderings
            return without_text_chunks(cred.file_bytes), "image/png"
        clean = media.svg_image(cred.file_bytes)     # never the issuer's SVG as it came
        if clean is not None:
            return clean.content, "image/svg+xml"
    return None, None


def _abs(settings: ShareSettings, path: str) -> str | None:
    return og.absolute_url(settings.site_url, path) if settings.site_url else None


def credential_share(cred: Credential, *, learner_name: str, settings: ShareSettings,
                     page_src: str, original: str | None, original_name: str,
                     sharable: bool = True) -> CredentialShare:
    """Files (cards, iframe pages, OG image, oEmbed) and context for one credential page.

    A credential that does not count (not verified, or not issued to this learner) keeps
    its card, iframe and oEmbed files, so embeds made earlier show its honest current
    state, but gets no share links, embed codes, oEmbed discovery or JSON-LD claim.
    """
    info = share_info(cred, learner_name=learner_name, settings=settings, page_src=page_src)
    base = f"credentials/{cred.slug}"
    cache = settings.cache
    files: dict[str, bytes] = {
        f"{base}/card.png": artifacts.card_png(info, cache),
        f"{base}/card.svg": artifacts.card_svg(info, cache, settings.theme),
        f"{base}/og.jpg": artifacts.og_image(info, settings.site_name, cache),
    }
    badge, ext = artifacts.badge_file(info, cache)
    image_src = iframe_card.inline_image_src(badge, ext)
    if image_src is None:
        files[f"{base}/badge.{ext}"] = badge
        image_src = f"badge.{ext}"
    here = PurePosixPath(f"{base}/embed-wide.html")
    to_page = _relpath(here, info.page_path)
    for size in iframe_card.SIZES:
        files[f"{base}/embed-{size}.html"] = iframe_card.render_iframe_card(
            info, size=size, page_url=to_page, image_src=image_src,
            theme_override=settings.theme).encode("utf-8")

    page_abs = info.page_url
    snippets: list[Snippet] = []
    oembed_path = None
    head: list[str] = []
    if settings.site_url and page_abs:
        card_png_abs = _abs(settings, f"{base}/card.png") or ""
        wide_abs = _abs(settings, f"{base}/embed-wide.html") or ""
        script_abs = _abs(settings, SCRIPT_PATH) or ""
        snippets = [
            Snippet("html", "Image card: HTML (works in email signatures and most sites)",
                    str(cards.image_card_html(info, card_png_abs, page_abs))),
            # SVG here: Markdown cannot set a size, and the 2x PNG would show twice as large.
            Snippet("markdown", "Image card: Markdown (GitHub README, forums)",
                    cards.image_card_markdown(info, _abs(settings, f"{base}/card.svg") or "",
                                              page_abs)),
            Snippet("iframe", "iframe card (wide, 330×186)",
                    str(iframe_card.iframe_snippet(info, wide_abs, "wide"))),
            Snippet("iframe-tall", "iframe card (tall, 150×270)",
                    str(iframe_card.iframe_snippet(
                        info, _abs(settings, f"{base}/embed-tall.html") or "", "tall"))),
            Snippet("script", "Script embed (turns into the card, a plain link without JS)",
                    str(embed.script_embed_snippet(info, card_url=wide_abs, page_url=page_abs,
                                                   script_url=script_abs))),
        ]
        oembed_path = f"{base}/oembed.json"
        doc = oembed.oembed(info, card_url=wide_abs, thumbnail_url=card_png_abs,
                            provider_name=settings.site_name or learner_name,
                            provider_url=_abs(settings, "") or "",
                            author_url=_abs(settings, ""))
        files[oembed_path] = oembed.oembed_json(doc).encode("utf-8")
        # In <noscript>: Material's JavaScript fetches "sitemap.xml" beside every
        # link[rel=alternate] it sees (for language alternates), which would send a useless
        # request to the oEmbed URL's folder. oEmbed consumers parse the HTML without running
        # scripts, so they still see the link; browsers treat it as inert text.
        if sharable:
            head.append("<noscript>" + str(oembed.discovery_link(
                _abs(settings, oembed_path) or "", iframe_card.card_title(info)))
                + "</noscript>")
        else:
            snippets = []
    og_page = og.credential_page(info, f"{base}/og.jpg", settings.site_name)
    head.insert(0, str(og_head(og_page, settings.site_url)))
    qr = None
    if page_abs:
        qr = Markup(artifacts.qr_svg(
            page_abs, title=f"QR code linking to this credential: {page_abs}", cache=cache))
    return CredentialShare(
        info=info, base=base,
        links=links.share_links(info) if sharable else [],
        absolute_url=page_abs,
        card_png=f"{base}/card.png", card_svg=f"{base}/card.svg", card_alt=cards.card_alt(info),
        iframe_wide=f"{base}/embed-wide.html", iframe_tall=f"{base}/embed-tall.html",
        og_image=f"{base}/og.jpg", oembed_path=oembed_path, qr=qr, snippets=snippets,
        original_block=_original_block(cred, original, original_name),
        jsonld=jsonld.script_block(jsonld.credential_jsonld(info)) if sharable else Markup(""),
        head=Markup("\n".join(head)), files=files)


def og_head(page: og.OgPage, site_url: str | None) -> Markup:
    """Open Graph + Twitter tags for any page (cohort pages too), without a canonical link:
    Material already prints ``<link rel="canonical">`` from ``site_url``."""
    return og.og_html(replace(og.og_tags(page, site_url), canonical=None))


def _relpath(from_file: PurePosixPath, to_path: str) -> str:
    import posixpath

    rel = posixpath.relpath(to_path or ".", str(from_file.parent))
    if to_path.endswith("/") or not to_path:
        rel = "./" if rel == "." else rel + "/"
    return rel


def _original_block(cred: Credential, original: str | None, name: str) -> Markup | None:
    """The original file, base64, in a JSON data block a verifier tool can read back."""
    if not original or not cred.file_bytes or len(cred.file_bytes) > EMBED_ORIGINAL_LIMIT:
        return None
    doc = {
        "filename": name,
        "mediaType": _MIME.get(PurePosixPath(name).suffix.lower(), "application/octet-stream"),
        "sha256": hashlib.sha256(cred.file_bytes).hexdigest(),
        "encoding": "base64",
        "data": base64.b64encode(cred.file_bytes).decode("ascii"),
    }
    return Markup('<script type="application/json" id="pg-original-credential">'
                  f"{jsonld.dumps_for_script(doc)}</script>")


def home_head(profile: LearnerProfile, infos: Sequence[ShareInfo],
              settings: ShareSettings) -> tuple[Markup, Markup, dict[str, bytes]]:
    """(head tags, Person JSON-LD block, files) for the home page."""
    files = {HOME_OG_PATH: artifacts.og_summary_image(
        profile.name, profile.headline, infos, settings.site_name, settings.cache)}
    page = og.OgPage(
        title=settings.site_name or profile.name,
        description=profile.headline or og.summary_counts(infos), path="",
        image_path=HOME_OG_PATH,
        image_alt=f"{profile.name}: {og.summary_counts(infos)}", site_name=settings.site_name,
        type="profile")
    person = jsonld.person_jsonld(profile.name, url=_abs(settings, ""),
                                  description=profile.headline or None, credentials=infos)
    return og_head(page, settings.site_url), jsonld.script_block(person), files


def archive_bytes(creds: Sequence[Credential], *, title: str, sources: Mapping[str, str],
                  reports: Mapping[str, dict[str, Any]]) -> bytes:
    """The "download everything" ZIP of published originals and their reports."""
    from portfolio_gen.share.archive import ArchiveItem, build_archive

    items = [ArchiveItem(slug=c.slug, filename=sources[c.slug], original=c.file_bytes,
                         report=reports[c.slug], name=c.name)
             for c in creds if c.file_bytes]
    return build_archive(items, title=title)


def summary_qr(url: str | None, label: str, cache: RenderCache | None = None) -> Markup | None:
    if not url:
        return None
    return Markup(artifacts.qr_svg(url, title=f"QR code linking to {label}: {url}", scale=2,
                                   cache=cache))


def site_address(settings: ShareSettings) -> str | None:
    """The absolute address of the site's home page, when ``site_url`` is known."""
    return _abs(settings, "")


def embed_script() -> str:
    """``portfolio-embed.js``, served once by the site for every script embed."""
    return embed.embed_js()
