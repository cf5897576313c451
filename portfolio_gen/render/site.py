"""Turn a :class:`Portfolio` into a site plan: HTML page bodies, files and downloads.

Engine-free: the plan says *what* the site contains (source URIs, titles, HTML, bytes);
the MkDocs layer only places it. All links are relative, so the site works from a sub-path.
Output is sorted and free of clocks, so two builds of the same input are identical.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from portfolio_gen.ingest.png import PNG_SIGNATURE
from portfolio_gen.model.attachments import reflection_attachments
from portfolio_gen.model.credential import Alignment, Credential, Display
from portfolio_gen.model.portfolio import Portfolio
from portfolio_gen.model.reflection import Reflection
from portfolio_gen.model.skills import Skill
from portfolio_gen.render import media, sharing, trust
from portfolio_gen.render.templates import make_environment
from portfolio_gen.render.urls import relative
from portfolio_gen.render.verification import (
    check_label,
    conformance_notes,
    recipient_summary,
    state_label,
    verdict_label,
)
from portfolio_gen.sanitize import safe_link
from portfolio_gen.verify.checks import HOSTED_FETCH, JWT_CLAIMS

ASSET_DIR = "assets/portfolio"
#: Top-level pages: (source URI, nav title).
NAV_PAGES = (("index.md", "Home"), ("credentials/index.md", "Credentials"),
             ("skills.md", "Skills"), ("pathways.md", "Pathways"), ("timeline.md", "Timeline"),
             ("reflections/index.md", "Reflections"))
#: The printable one-page summary of verified credentials (linked from home, not in the nav).
SUMMARY_PAGE = "summary.md"


@dataclass(frozen=True)
class SitePage:
    src_uri: str
    title: str          # plain text; the engine layer escapes it
    html: str
    in_nav: bool


@dataclass(frozen=True)
class SiteFile:
    dest: str
    content: bytes | None = None
    path: Path | None = None      # copy this file instead of ``content``


@dataclass
class SitePlan:
    pages: list[SitePage] = field(default_factory=list)
    files: list[SiteFile] = field(default_factory=list)
    reflections: list[tuple[str, Reflection]] = field(default_factory=list)  # (src_uri, refl)
    reflection_panels: dict[str, str] = field(default_factory=dict)
    #: src_uri → HTML put before a reflection (a cohort learner's breadcrumb)
    reflection_crumbs: dict[str, str] = field(default_factory=dict)
    head: dict[str, str] = field(default_factory=dict)   # src_uri → extra <head> markup
    warnings: list[str] = field(default_factory=list)     # to report once per build


def cred_page(cred: Credential) -> str:
    return f"credentials/{cred.slug}.md"


def refl_page(refl: Reflection) -> str:
    return f"reflections/{refl.path}"


@dataclass(frozen=True)
class CohortNav:
    """Where a learner's pages sit in a cohort site: ``home`` is the cohort home as a page
    source relative to the learner's own root (``../../index.md``)."""

    title: str
    home: str


def plan_site(portfolio: Portfolio, *, use_directory_urls: bool,
              reflections_dir: Path | None = None, skip_home: bool = False,
              share: sharing.ShareSettings | None = None, shared_origin: bool = False,
              withheld: Mapping[str, str] | None = None,
              cohort: CohortNav | None = None, theme: Path | None = None) -> SitePlan:
    """Everything portfolio-specific the site contains.

    ``shared_origin`` (cohort sites): attachments a browser would run are left out.
    ``withheld``: credential slug → why its original file and JSON are not published (the
    page says so); they are left out of the page, the downloads and the ZIP.
    ``cohort``: where the learner's pages sit in a cohort site (their breadcrumbs).
    ``theme``: a theme override folder (:func:`portfolio_gen.theme.find_override`) whose
    templates replace ours one by one, in the pages and the share artefacts alike.
    """
    settings = share or sharing.ShareSettings(site_url=None, site_name="")
    settings = replace(settings, use_directory_urls=use_directory_urls, theme=theme)
    planner = _Planner(portfolio, use_directory_urls, settings, shared_origin, withheld or {})
    planner.cohort = cohort
    return planner.plan(reflections_dir, skip_home)


class _Planner:
    def __init__(self, portfolio: Portfolio, use_directory_urls: bool,
                 share: sharing.ShareSettings, shared_origin: bool,
                 withheld: Mapping[str, str]) -> None:
        self.p = portfolio
        self.dirurls = use_directory_urls
        self.cohort: CohortNav | None = None
        self.share = share
        self.shared_origin = shared_origin
        self.withheld = withheld
        self.shares: dict[str, sharing.CredentialShare] = {}
        self.head: dict[str, str] = {}
        self.env = make_environment(share.theme)
        # a withheld original goes nowhere: not a download, an image, the page or the ZIP
        self.published = [replace(c, file_bytes=b"") if c.slug in withheld else c
                          for c in portfolio.credentials if c.display is not Display.HIDDEN]
        #: what the site counts and lets be shared: verified and not someone else's
        self.counted = [c for c in self.published if c.counts]
        self.held: set[str] = set()
        self.by_slug = {c.slug: c for c in self.published}
        self.images: dict[str, str] = {}
        self.files: dict[str, SiteFile] = {}

    # -- plan --------------------------------------------------------------------------------
    def plan(self, reflections_dir: Path | None, skip_home: bool) -> SitePlan:
        plan = SitePlan()
        plan.warnings.extend(self.p.notices)
        self._collect_media()
        self._presentation(plan)
        self._collect_shares()
        if not skip_home:
            plan.pages.append(self._page("index.md", "Home", "home.html", **self._home()))
        plan.pages.append(self._page(SUMMARY_PAGE, "Credential summary", "summary.html",
                                     in_nav=False, **self._summary()))
        newest = sorted(self.published, key=lambda c: (_sort_key(c.date), c.slug), reverse=True)
        plan.pages.append(self._page("credentials/index.md", "Credentials", "credentials.html",
                                     creds=[c for c in newest if c.counts],
                                     not_verified=[c for c in newest if not c.counts],
                                     filters=self._filters()))
        plan.pages.append(self._page("skills.md", "Skills", "skills.html",
                                     skills=self.p.skills))
        plan.pages.append(self._page("pathways.md", "Pathways", "pathways.html",
                                     pathways=self.p.pathways))
        plan.pages.append(self._page("timeline.md", "Timeline", "timeline.html",
                                     years=self._timeline()))
        plan.pages.append(self._page("reflections/index.md", "Reflections", "reflections.html",
                                     reflections=self._newest_reflections()))
        for cred in self.published:
            plan.pages.append(self._credential(cred))
        for refl in self.p.reflections:
            src = refl_page(refl)
            plan.reflections.append((src, refl))
            plan.reflection_panels[src] = self._reflection_panel(refl)
            if self.cohort is not None:
                plan.reflection_crumbs[src] = self._crumbs_html(
                    [*self._crumbs(src), ("Reflections", self._url(src, "reflections/index.md")),
                     (refl.title, None)])
        if reflections_dir is not None:
            plan.warnings.extend(self._reflection_attachments(reflections_dir))
        plan.files = [self.files[k] for k in sorted(self.files)]
        plan.head = dict(self.head)
        if not self.share.site_url:
            plan.warnings.append(sharing.NO_SITE_URL_WARNING)
        return plan

    def _page(self, src: str, title: str, template: str, *, in_nav: bool = True,
              **context: Any) -> SitePage:
        own = "crumbs" in context
        context.setdefault("crumbs", self._page_crumbs(src, title))
        html = self.env.get_template(template).render(**self._helpers(src), **context)
        if not own and context["crumbs"]:
            html = self._crumbs_html(context["crumbs"]) + html
        return SitePage(src, title, html, in_nav)

    def _crumbs_html(self, items: list[tuple[str, str | None]]) -> str:
        return self.env.from_string('{% import "_macros.html" as m %}{{ m.crumbs(items) }}'
                                    ).render(items=items) + "\n"

    def _url(self, src: str, target: str) -> str:
        return relative(src, target, self.dirurls)

    def _crumbs(self, src: str) -> list[tuple[str, str | None]]:
        """The trail up to the learner's home: in a cohort site, the cohort first, so every
        learner page leads back to the learner and to the directory."""
        out: list[tuple[str, str | None]] = []
        if self.cohort is not None:
            out.append((self.cohort.title, self._url(src, self.cohort.home)))
        out.append((self.p.profile.name, self._url(src, "index.md")))
        return out

    def _page_crumbs(self, src: str, title: str) -> list[tuple[str, str | None]]:
        """Pages other than credentials: a trail only in a cohort site (a single learner's
        site has the learner's name in its header and nav)."""
        if self.cohort is None:
            return []
        if src == "index.md":
            return [(self.cohort.title, self._url(src, self.cohort.home)),
                    (self.p.profile.name, None)]
        return [*self._crumbs(src), (title, None)]

    def _helpers(self, src: str) -> dict[str, Any]:
        def url(target: str) -> str:
            return relative(src, target, self.dirurls)

        return {
            "url": url, "cred_page": cred_page, "refl_page": refl_page, "iso": _iso,
            "image_of": lambda c: self.images.get(c.slug),
            "verdict_label": verdict_label,
            "check_label": check_label, "conformance_notes": conformance_notes,
            "state_label": state_label, "is_held": lambda c: c.slug in self.held,
            "skill_names": lambda c: sorted({a.name for a in c.alignments}),
            "skill_slug": self._skill_slug,
            "creds_for": lambda s: [self.by_slug[x] for x in s.credential_slugs
                                    if x in self.by_slug and self.by_slug[x].counts],
            "refls_for": lambda s: [r for r in self.p.reflections
                                    if r.slug in s.reflection_slugs],
            "learner_name": self.p.profile.name,
            "share_of": lambda c: self.shares[c.slug],
            "archive": sharing.ARCHIVE_PATH, "summary_page": SUMMARY_PAGE,
            "embed_script": sharing.SCRIPT_PATH,
        }

    # -- media and downloads -------------------------------------------------------------------
    def _collect_media(self) -> None:
        for cred in self.published:
            base = f"credentials/{cred.slug}"
            image = media.image_file(cred.image)
            if image is not None:
                dest = f"{ASSET_DIR}/images/{image.name}"
                self.files[dest] = SiteFile(dest, image.content)
                self.images[cred.slug] = dest
            if cred.file_bytes:
                dest = f"{base}/original{media.original_suffix(cred.source)}"
                self.files[dest] = SiteFile(dest, cred.file_bytes)
                if cred.slug not in self.images and media.is_image_file(cred.file_bytes):
                    shown = self._baked_image(cred.file_bytes, dest)
                    if shown is not None:
                        self.images[cred.slug] = shown
            if cred.report.document is not None and cred.slug not in self.withheld:
                dest = f"{base}/credential.json"
                self.files[dest] = SiteFile(dest, _json(cred.report.document))
            dest = f"{base}/verification.json"
            self.files[dest] = SiteFile(dest, _json(_report(cred)))
        photo = self.p.profile.photo_path
        if photo is not None:
            dest = f"{ASSET_DIR}/profile{photo.suffix.lower()}"
            self.files[dest] = SiteFile(dest, path=photo)
        self.files[sharing.ARCHIVE_PATH] = SiteFile(sharing.ARCHIVE_PATH, sharing.archive_bytes(
            self.published, title=f"{self.p.profile.name}: credentials",
            sources={c.slug: PurePosixPath(c.source).name for c in self.published},
            reports={c.slug: json.loads(_json(_report(c))) for c in self.published}))
        self.files[sharing.SCRIPT_PATH] = SiteFile(sharing.SCRIPT_PATH,
                                                   sharing.embed_script().encode("utf-8"))

    def _baked_image(self, data: bytes, original: str) -> str | None:
        """A baked PNG is shown as published; a baked SVG only as its script-free copy."""
        if data.startswith(PNG_SIGNATURE):
            return original
        image = media.svg_image(data)
        if image is None:
            return None
        dest = f"{ASSET_DIR}/images/{image.name}"
        self.files[dest] = SiteFile(dest, image.content)
        return dest

    def _collect_shares(self) -> None:
        for cred in self.published:
            share = sharing.credential_share(
                cred, learner_name=self.p.profile.name, settings=self.share,
                page_src=cred_page(cred), original=self._original(cred),
                original_name=PurePosixPath(cred.source).name, sharable=cred.counts)
            self.shares[cred.slug] = share
            self.head[cred_page(cred)] = str(share.head)
            for dest, data in share.files.items():
                self.files[dest] = SiteFile(dest, data)

    def _presentation(self, plan: SitePlan) -> None:
        """``presentation.json``: the learner's signed presentation of the counted
        credentials, checked by our own verifier before it is published."""
        from portfolio_gen.render import holding

        result = holding.plan_presentation(self.p, self.counted, self.share.site_url)
        if result.note:
            plan.warnings.append(result.note)
        if result.data is not None:
            self.files[holding.FILE_NAME] = SiteFile(holding.FILE_NAME, result.data)
            self.held = set(result.held)

    def _original(self, cred: Credential) -> str | None:
        if not cred.file_bytes:
            return None
        return f"credentials/{cred.slug}/original{media.original_suffix(cred.source)}"

    def _reflection_attachments(self, folder: Path) -> list[str]:
        found, problems = reflection_attachments(folder, shared_origin=self.shared_origin)
        for rel, path in found:
            dest = f"reflections/{rel}"
            self.files[dest] = SiteFile(dest, path=path)
        return [str(p) for p in problems]

    # -- page contexts ------------------------------------------------------------------------
    def _home(self) -> dict[str, Any]:
        featured = [c for c in self.counted if c.featured]
        if not featured:
            featured = list(self.counted)
        featured = sorted(featured, key=lambda c: (_sort_key(c.date), c.slug), reverse=True)[:6]
        top_skills = sorted(self.p.skills, key=lambda s: (
            -(len(s.credential_slugs) + len(s.reflection_slugs)), s.name.casefold()))[:12]
        photo = self.p.profile.photo_path
        head, person, files = sharing.home_head(
            self.p.profile, [self.shares[c.slug].info for c in self.counted], self.share)
        self.head["index.md"] = str(head)
        for dest, data in files.items():
            self.files[dest] = SiteFile(dest, data)
        return {
            "person_jsonld": person,
            "profile": self.p.profile,
            "photo": f"{ASSET_DIR}/profile{photo.suffix.lower()}" if photo else None,
            "links": [(label, href) for label, href in self.p.profile.links
                      if safe_link(href) or href.startswith("mailto:")],
            "counts": {"credentials": len(self.counted),
                       "verified": len(self.counted),
                       "not_verified": len(self.published) - len(self.counted),
                       "issuers": len({c.issuer.id or c.issuer.name for c in self.counted}),
                       "skills": len(self.p.skills)},
            "featured": featured, "skills": top_skills, "pathways": self.p.pathways,
            "reflections": self._newest_reflections()[:5],
        }

    def _filters(self) -> list[tuple[str, str, list[str]]]:
        def values(get: Callable[[Credential], list[str]]) -> list[str]:
            return sorted({v for c in self.published for v in get(c) if v}, key=str.casefold)

        return [
            ("issuer", "Issuer", values(lambda c: [c.issuer.label])),
            ("skills", "Skill", values(lambda c: [a.name for a in c.alignments] if c.counts
                                       else [])),
            ("type", "Type", values(lambda c: [c.achievement_type or ""])),
            ("state", "State", values(lambda c: [state_label(c)])),
        ]

    def _credential(self, cred: Credential) -> SitePage:
        base = f"credentials/{cred.slug}"
        # An issuer's logo only beside a name something anchors (a key calling itself a
        # university must not wear its crest).
        image = media.image_file(cred.issuer.image) if cred.issuer.anchored else None
        logo = None
        if image is not None:
            logo = f"{ASSET_DIR}/images/{image.name}"
            self.files[logo] = SiteFile(logo, image.content)
        when = trust.human_datetime(cred.report.checked_at)
        if cred.verified:
            verified_line = f"Verified on {when}" + (
                ", against the issuer's key shown below." if cred.key_id else ".")
        else:
            verified_line = f"Checked on {when}; not verified."
        reflections = [r for r in self.p.reflections if cred.slug in r.credential_slugs]
        summary = trust.trust_summary(cred, self.p.profile.name,
                                      held=cred.slug in self.held)
        return self._page(
            cred_page(cred), cred.name, "credential.html", in_nav=False, cred=cred,
            trust=summary, checks=trust.plain_checks(cred),
            reason=trust.humanize_times(cred.report.reason), tech=_technical(cred),
            short_id=trust.short_id, recipient_state=trust.STATE_OF.get,
            crumbs=[*self._crumbs(cred_page(cred)),
                    ("Credentials", self._url(cred_page(cred), "credentials/index.md")),
                    (cred.name, None)],
            recipient=recipient_summary(cred, self.p.profile.name,
                                        held=cred.slug in self.held),
            sharable=cred.counts,
            issuer_logo=logo, issuer_link=safe_link(cred.issuer.anchor_link),
            criteria_link=safe_link(cred.criteria_url), verified_line=verified_line,
            reflections=sorted(reflections, key=lambda r: r.path),
            original=self._original(cred), share=self.shares[cred.slug],
            original_name=PurePosixPath(cred.source).name,
            document_json=f"{base}/credential.json"
            if cred.report.document is not None and cred.slug not in self.withheld else None,
            withheld=self.withheld.get(cred.slug),
            report_json=f"{base}/verification.json")

    def _summary(self) -> dict[str, Any]:
        verified = sorted(self.counted, key=lambda c: (_sort_key(c.date), c.slug), reverse=True)
        home = sharing.site_address(self.share)
        return {"profile": self.p.profile, "verified": verified, "home_url": home,
                "home_qr": sharing.summary_qr(home, "this portfolio", self.share.cache),
                "flagged": len(self.published) - len(self.counted),
                "qr_of": lambda c: sharing.summary_qr(self.shares[c.slug].absolute_url,
                                                      c.name, self.share.cache)}

    def _reflection_panel(self, refl: Reflection) -> str:
        creds = [self.by_slug[s] for s in refl.credential_slugs if s in self.by_slug]
        skills = [s for s in self.p.skills if refl.slug in s.reflection_slugs]
        template = self.env.get_template("reflection_panel.html")
        return template.render(**self._helpers(refl_page(refl)), creds=creds, skills=skills,
                               refl=refl)

    def _timeline(self) -> list[tuple[str, list[dict[str, Any]]]]:
        entries: list[dict[str, Any]] = []
        for cred in self.published:
            day = cred.date.date() if cred.date else None
            note = "" if cred.counts else f"({state_label(cred)}; not counted)"
            entries.append({"date": day, "kind": "credential", "title": cred.name,
                            "page": cred_page(cred), "note": note, "key": cred.slug,
                            "counts": cred.counts})
        for refl in self.p.reflections:
            entries.append({"date": refl.date, "kind": "reflection", "title": refl.title,
                            "page": refl_page(refl), "note": "", "key": refl.path})
        entries.sort(key=lambda e: (e["date"] or date.min, e["kind"], e["key"]), reverse=True)
        years: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            years.setdefault(str(entry["date"].year) if entry["date"] else "Undated",
                             []).append(entry)
        return list(years.items())

    def _newest_reflections(self) -> list[Reflection]:
        return sorted(self.p.reflections,
                      key=lambda r: (r.date or date.min, r.path), reverse=True)

    def _skill_slug(self, alignment: Alignment) -> str:
        for skill in self.p.skills:
            if _same_skill(skill, alignment):
                return skill.slug
        return ""


def _same_skill(skill: Skill, alignment: Alignment) -> bool:
    if alignment.url:
        return skill.url == alignment.url
    if alignment.code:
        return skill.code == alignment.code and skill.framework == alignment.framework
    return skill.name.casefold() == alignment.name.casefold()


def _technical(cred: Credential) -> dict[str, Any]:
    """Format, proof type, ids and contexts for "How this was checked" (all untrusted text,
    escaped by the template)."""
    doc: Any = cred.report.document or {}
    proof = doc.get("proof") if isinstance(doc, dict) else None
    proofs = proof if isinstance(proof, list) else [proof] if isinstance(proof, dict) else []
    kinds = sorted({" / ".join(str(x) for x in (p.get("type"), p.get("cryptosuite")) if x)
                    for p in proofs})
    ids_seen = {c.id for c in cred.checks}
    if not kinds:
        kinds = ["VC-JWT signature" if JWT_CLAIMS in ids_seen
                 else "hosted on the issuer's website (OB 2.0)" if HOSTED_FETCH in ids_seen
                 else "JWS signature (OB 2.0)" if cred.report.format in ("jws", "png", "svg")
                 and cred.report.spec_version.startswith("2") else ""]
    contexts = doc.get("@context") if isinstance(doc, dict) else None
    contexts = [contexts] if isinstance(contexts, str) else contexts or []
    ids = [(label, value, f"pg-full-{n}") for n, (label, value) in enumerate(
        (("Credential id", cred.credential_id), ("Issuer id", cred.issuer.id),
         ("Issuer's key", cred.key_id))) if value]
    return {"format": f"{cred.report.format.upper()} file, version {cred.report.spec_version}",
            "proof": ", ".join(k for k in kinds if k), "ids": ids,
            "contexts": [str(c) for c in contexts if isinstance(c, str)][:8]}


def _report(cred: Credential) -> dict[str, Any]:
    return dict(cred.report.to_dict(), source=cred.source)


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def _sort_key(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _iso(value: datetime | date | None) -> str:
    return value.isoformat() if value else ""
