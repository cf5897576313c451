"""The data behind the cohort pages: figures, top lists, recent achievements, cards, facets,
and how names are folded and sharded by letter for the directory pages and search index.

Why here and not in templates: counting "verified only", keeping hidden credentials
and non-consenting learners out, and choosing stable slugs are rules, and rules are
tested once, in one place. The builder is fed one :class:`LearnerSummary` at a time
(as results stream from the pool) and keeps only what the pages need: a card per
learner, facet memberships, counters and a bounded list of recent achievements.

Slugs are stable: a learner's slug comes from their name; learners with the same name
are told apart by a hash of their folder path (the one whose folder sorts first keeps
the plain slug), so slugs never depend on the order results arrive in. Facet slugs
likewise come from the value's label plus a hash of its identity on collision.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from portfolio_gen.model.learner_summary import LearnerSummary
from portfolio_gen.model.slugs import unique_slugs

FACET_KINDS = ("skill", "issuer", "achievement", "pathway")
TOP_SKILLS_ON_CARD = 5


@dataclass(frozen=True)
class Card:
    slug: str
    name: str
    headline: str
    photo: str | None          # local source file; the site copies it
    photo_alt: str
    top_skills: tuple[str, ...]
    verified: int
    rel: str                   # folder relative to cohort.yml


@dataclass(frozen=True)
class FacetValue:
    kind: str
    key: str
    slug: str
    label: str
    learners: tuple[str, ...]  # learner slugs, sorted

    @property
    def count(self) -> int:
        return len(self.learners)


@dataclass(frozen=True)
class Recent:
    learner_slug: str
    learner_name: str
    credential_slug: str
    name: str
    issuer: str
    issued: str


@dataclass(frozen=True)
class Headline:
    learners: int
    verified_credentials: int
    issuers: int
    skills: int


@dataclass(frozen=True)
class DirectoryData:
    headline: Headline
    top_skills: tuple[FacetValue, ...]
    top_credentials: tuple[FacetValue, ...]
    recent: tuple[Recent, ...]
    cards: tuple[Card, ...]                         # sorted by slug
    facets: dict[str, tuple[FacetValue, ...]]       # kind → values sorted by label

    def card(self, slug: str) -> Card | None:
        return next((c for c in self.cards if c.slug == slug), None)


class DirectoryBuilder:
    """Accumulates learner summaries; :meth:`finish` assigns slugs and sorts."""

    def __init__(self, *, top: int = 10, recent: int = 12) -> None:
        self._top = top
        self._recent_size = recent
        self._learners: list[tuple[str, str, str, str | None, str, tuple[str, ...], int]] = []
        self._members: dict[tuple[str, str], set[int]] = defaultdict(set)
        self._labels: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self._recent: list[tuple[str, int, str, str, str, str]] = []
        self._verified = 0

    def add(self, summary: LearnerSummary) -> None:
        index = len(self._learners)
        skills: Counter[str] = Counter()
        for cred in summary.verified:
            self._verified += 1
            self._member("issuer", cred.issuer_key, cred.issuer_name, index)
            self._member("achievement", cred.achievement_key,
                         f"{cred.name} ({cred.issuer_name})", index)
            for skill in cred.skills:
                self._member("skill", skill.casefold(), skill, index)
                skills[skill] += 1
            if cred.issued:
                item = (cred.issued, index, cred.slug, cred.name, cred.issuer_name, summary.rel)
                if len(self._recent) < self._recent_size:
                    heapq.heappush(self._recent, item)
                else:
                    heapq.heappushpop(self._recent, item)
        for pathway in summary.pathways:
            self._member("pathway", pathway.casefold(), pathway, index)
        top = tuple(s for s, _ in sorted(skills.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
                    [:TOP_SKILLS_ON_CARD])
        self._learners.append((summary.rel, summary.name, summary.headline, summary.photo,
                               summary.photo_alt, top, len(summary.verified)))

    def _member(self, kind: str, key: str, label: str, index: int) -> None:
        self._members[(kind, key)].add(index)
        self._labels[(kind, key)][label] += 1

    def finish(self) -> DirectoryData:
        slugs = unique_slugs([(name, rel, rel) for rel, name, *_ in self._learners])
        cards = tuple(sorted(
            (Card(slug, name, headline, photo, alt, top, verified, rel)
             for slug, (rel, name, headline, photo, alt, top, verified)
             in zip(slugs, self._learners, strict=True)), key=lambda c: c.slug))
        facets = {kind: self._facet(kind, slugs) for kind in FACET_KINDS}
        recent = tuple(
            Recent(slugs[index], self._learners[index][1], cslug, name, issuer, issued)
            for issued, index, cslug, name, issuer, _ in sorted(
                self._recent, key=lambda r: (r[0], -r[1]), reverse=True))
        return DirectoryData(
            headline=Headline(len(cards), self._verified, len(facets["issuer"]),
                              len(facets["skill"])),
            top_skills=_top(facets["skill"], self._top),
            top_credentials=_top(facets["achievement"], self._top),
            recent=recent, cards=cards, facets=facets)

    def _facet(self, kind: str, learner_slugs: list[str]) -> tuple[FacetValue, ...]:
        keys = sorted(k for (kd, k) in self._members if kd == kind)
        labels = [_label(self._labels[(kind, k)]) for k in keys]
        slugs = unique_slugs([(label, key, key) for label, key in zip(labels, keys, strict=True)])
        values = (FacetValue(kind, key, slug, label,
                             tuple(sorted(learner_slugs[i] for i in self._members[(kind, key)])))
                  for key, label, slug in zip(keys, labels, slugs, strict=True))
        return tuple(sorted(values, key=lambda v: (v.label.casefold(), v.slug)))


def _label(spellings: Counter[str]) -> str:
    """The most used spelling, then the alphabetically first."""
    return sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _top(values: Iterable[FacetValue], n: int) -> tuple[FacetValue, ...]:
    return tuple(sorted(values, key=lambda v: (-v.count, v.label.casefold(), v.slug))[:n])


def fold(text: str) -> str:
    """Lower case ASCII words, for matching what people type against names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def shard_letter(word: str) -> str:
    """The name shard (and A-Z page) a folded word belongs to: its first letter or digit,
    ``_`` for anything else."""
    first = word[:1]
    return first if first and (first.isascii() and first.isalnum()) else "_"
