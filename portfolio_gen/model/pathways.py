"""Pathway progress, counted from verified credentials of this learner only.

A requirement met only by an unverified credential is shown as such ("present but not
verified") and does not count, so a tampered badge cannot complete a pathway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from portfolio_gen.config import PathwayConfig
from portfolio_gen.model.credential import Credential, Display
from portfolio_gen.model.matching import find

State = Literal["done", "unverified", "missing"]


@dataclass(frozen=True)
class Requirement:
    label: str                  # what the pathway asks for (as written in pathways.yml)
    state: State
    credential_slug: str | None  # the credential that meets it (or the unverified one)
    credential_name: str | None


@dataclass(frozen=True)
class RequirementGroup:
    name: str
    choose: int
    items: tuple[Requirement, ...]

    @property
    def done(self) -> int:
        return min(self.choose, sum(1 for r in self.items if r.state == "done"))


@dataclass(frozen=True)
class PathwayProgress:
    slug: str
    name: str
    description: str
    required: tuple[Requirement, ...]
    groups: tuple[RequirementGroup, ...]
    capstone: Requirement | None

    @property
    def total(self) -> int:
        return (len(self.required) + sum(g.choose for g in self.groups)
                + (1 if self.capstone else 0))

    @property
    def done(self) -> int:
        return (sum(1 for r in self.required if r.state == "done")
                + sum(g.done for g in self.groups)
                + (1 if self.capstone and self.capstone.state == "done" else 0))

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def compute_progress(pathway: PathwayConfig, slug: str,
                     credentials: Sequence[Credential]) -> PathwayProgress:
    published = [c for c in credentials if c.display is not Display.HIDDEN]

    def requirement(ref: str) -> Requirement:
        matches = sorted(find(ref, published), key=lambda c: (not c.counts, c.slug))
        if not matches:
            return Requirement(ref, "missing", None, None)
        best = matches[0]
        return Requirement(ref, "done" if best.counts else "unverified", best.slug, best.name)

    return PathwayProgress(
        slug=slug, name=pathway.name, description=pathway.description,
        required=tuple(requirement(r) for r in pathway.required),
        groups=tuple(RequirementGroup(g.name, g.choose, tuple(requirement(r) for r in g.of))
                     for g in pathway.groups),
        capstone=requirement(pathway.capstone) if pathway.capstone else None,
    )
