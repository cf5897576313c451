"""The cohort's own pages: home, learner directory, A-Z lists, facet index and value pages.

Engine-free, like :mod:`portfolio_gen.render.site`: from a :class:`DirectoryData` it
makes :class:`SitePage` bodies with relative links (the site works from a sub-path).
Only the home, the directory and the four facet index pages go in the nav; facet value
pages and the A-Z lists are reachable by links (MkDocs + Material build time grows with
the nav, not with pages outside it). Every text comes from the directory data, which
holds only consenting learners and verified, unhidden credentials.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from portfolio_gen.cohort.config import CohortConfig
from portfolio_gen.cohort.prepare import INDEX_DIR
from portfolio_gen.cohort.search_index import CARD_BLOCK
from portfolio_gen.cohort.stage import LEARNERS_DIR
from portfolio_gen.model.directory import Card, DirectoryData, FacetValue, fold, shard_letter
from portfolio_gen.render.site import ASSET_DIR, SitePage
from portfolio_gen.render.templates import make_environment
from portfolio_gen.render.urls import relative
from portfolio_gen.share import og

COHORT_ASSETS = "assets/cohort"
HOME = "index.md"
DIRECTORY = f"{LEARNERS_DIR}/index.md"
#: facet kind → (folder, nav title, singular label)
FACETS = {"skill": ("skills", "Skills", "skill"),
          "issuer": ("issuers", "Issuers", "issuer"),
          "achievement": ("credentials", "Credentials", "credential"),
          "pathway": ("pathways", "Pathways", "completed pathway")}
STAFF_DIR = "staff"


def facet_index(kind: str) -> str:
    return f"{FACETS[kind][0]}/index.md"


def facet_page(value: FacetValue) -> str:
    return f"{FACETS[value.kind][0]}/{value.slug}.md"


def learner_home(slug: str) -> str:
    return f"{LEARNERS_DIR}/{slug}/index.md"


def letter_page(letter: str) -> str:
    return f"directory/{letter}.md"


def photo_dest(card: Card) -> str | None:
    """Where a card's photo is copied (the search index points at the same place)."""
    return f"{LEARNERS_DIR}/{card.slug}/photo{Path(card.photo).suffix.lower()}" \
        if card.photo else None


#: the cohort site's style sheets and scripts: ours for learner pages, then the cohort's
STYLESHEETS = (f"{ASSET_DIR}/portfolio.css", f"{COHORT_ASSETS}/cohort.css")
SCRIPTS = (f"{ASSET_DIR}/portfolio.js", f"{COHORT_ASSETS}/cohort.js")


def nav() -> list[dict[str, str]]:
    return [{"Home": HOME}, {"Learners": DIRECTORY},
            *({FACETS[k][1]: facet_index(k)} for k in FACETS)]


class CohortPages:
    """The cohort pages: :meth:`entries` lists them, :meth:`html` renders one on demand
    (facet pages of a large cohort add up, so none is kept after MkDocs used it)."""

    def __init__(self, config: CohortConfig, data: DirectoryData, *, charts: dict[str, Path],
                 staff_links: dict[str, str] | None = None) -> None:
        self._planner = _CohortPlanner(config, data)
        self._charts = charts
        self._staff = staff_links or {}
        self._values = {facet_page(v): v for kind in FACETS for v in data.facets.get(kind, ())}
        self._letters = {letter_page(k): k for k in self._planner.letters}
        self._indexes = {facet_index(k): k for k in FACETS}

    def entries(self) -> list[tuple[str, str, bool]]:
        """``(src_uri, title, in_nav)`` of every cohort page, in a stable order."""
        out = [(HOME, self._planner.config.title, True), (DIRECTORY, "Learners", True)]
        out += [(src, f"Learners: {'Other' if k == '_' else k.upper()}", False)
                for src, k in self._letters.items()]
        for kind in FACETS:
            out.append((facet_index(kind), FACETS[kind][1], True))
            out += [(facet_page(v), v.label, False) for v in self._planner.data.facets.get(
                kind, ())]
        return out

    def html(self, src: str) -> str | None:
        p = self._planner
        if src == HOME:
            return p.home(self._charts, self._staff).html
        if src == DIRECTORY:
            return p.directory().html
        if src in self._letters:
            return p.letter(self._letters[src]).html
        if src in self._indexes:
            return p.facet_index(self._indexes[src]).html
        if src in self._values:
            return p.facet(self._values[src]).html
        return None


def home_head(config: CohortConfig, data: DirectoryData) -> str:
    """Open Graph / Twitter tags for the cohort home (absolute ones only with site_url)."""
    h = data.headline
    description = (f"{h.learners} learners, {h.verified_credentials} verified credentials "
                   f"from {h.issuers} issuers, {h.skills} skills.")
    page = og.OgPage(title=config.title, description=" ".join(
        x for x in (config.programme, config.term, description) if x), path="",
        image_path=None, image_alt="", site_name=config.title)
    tags = og.og_tags(page, config.site_url or None)
    return str(og.og_html(og.OgTags(tags.meta, None, tags.warning)))


class _CohortPlanner:
    def __init__(self, config: CohortConfig, data: DirectoryData) -> None:
        self.config = config
        self.data = data
        self.env = make_environment(config.theme)
        self.cards = {c.slug: c for c in data.cards}
        groups: dict[str, list[Card]] = {}
        for card in data.cards:
            words = fold(card.name).split()
            groups.setdefault(shard_letter(words[-1] if words else ""), []).append(card)
        self.by_letter = {k: sorted(v, key=lambda c: (fold(c.name), c.slug))
                          for k, v in groups.items()}
        self.letters = sorted(groups)

    def _render(self, src: str, title: str, template: str, *, in_nav: bool,
                **context: Any) -> SitePage:
        def url(target: str) -> str:
            return relative(src, target, True)

        html = self.env.get_template(template).render(
            url=url, cohort=self.config, learner_home=learner_home, facet_page=facet_page,
            facet_index=facet_index, facets=FACETS, directory=DIRECTORY,
            photo_of=photo_dest, letter_page=letter_page, **context)
        return SitePage(src, title, html, in_nav)

    def home(self, charts: dict[str, Path], staff_links: dict[str, str]) -> SitePage:
        svg = {name: Markup(path.read_text(encoding="utf-8")) for name, path in charts.items()}
        return self._render(HOME, self.config.title, "cohort_home.html", in_nav=True,
                            headline=self.data.headline, charts=svg, recent=self.data.recent,
                            staff=staff_links,
                            facet_counts={k: len(self.data.facets.get(k, ())) for k in FACETS})

    def directory(self) -> SitePage:
        root = relative(DIRECTORY, HOME, True)
        first = self.data.cards[:CARD_BLOCK]
        return self._render(
            DIRECTORY, "Learners", "cohort_directory.html", in_nav=True,
            cards=first, total=len(self.data.cards), letters=self.letters,
            index_url=relative(DIRECTORY, f"{INDEX_DIR}/manifest.json", True)[
                :-len("manifest.json")],
            root=root, kinds=[(k, FACETS[k][2]) for k in FACETS])

    def letter(self, letter: str) -> SitePage:
        label = letter.upper() if letter != "_" else "Other"
        return self._render(letter_page(letter), f"Learners: {label}",
                            "cohort_letter.html", in_nav=False, label=label, letter=letter,
                            cards=self.by_letter[letter], letters=self.letters)

    def facet_index(self, kind: str) -> SitePage:
        _folder, title, singular = FACETS[kind]
        return self._render(facet_index(kind), title, "cohort_facet_index.html", in_nav=True,
                            kind=kind, heading=title, singular=singular,
                            values=self.data.facets.get(kind, ()))

    def facet(self, value: FacetValue) -> SitePage:
        _folder, title, singular = FACETS[value.kind]
        cards = sorted((self.cards[s] for s in value.learners if s in self.cards),
                       key=lambda c: (fold(c.name), c.slug))
        return self._render(facet_page(value), value.label, "cohort_facet.html", in_nav=False,
                            value=value, kind_title=title, singular=singular, cards=cards)
