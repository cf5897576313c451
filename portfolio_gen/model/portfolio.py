"""The whole portfolio: profile, credentials, reflections, skills, pathways, problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from portfolio_gen.holder.key import HolderKey
    from portfolio_gen.model.credential import Credential
    from portfolio_gen.model.pathways import PathwayProgress
    from portfolio_gen.model.reflection import Reflection
    from portfolio_gen.model.skills import Skill


@dataclass(frozen=True)
class Problem:
    """Something the learner should fix; the build went on without it."""

    source: str
    #: ``reflection``: a reflection left out or partly read; ``reflection_link``: it names a
    #: credential that is not published; ``pathways``: pathways.yml broken (cohort only)
    kind: Literal["credential", "reflection", "reflection_link", "config", "pathways"]
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class LearnerProfile:
    """What the site prints about the learner (identifiers are deliberately absent)."""

    name: str
    headline: str = ""
    photo_path: Path | None = None     # a local file to copy into the site
    photo_url: str | None = None       # or a remote image
    photo_alt: str = ""
    bio: str = ""
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DisplayCounts:
    """How a portfolio's credentials are displayed: the build's summary line and a cohort
    learner's summary count the same way."""

    shown: int = 0         # verified and published (someone else's included: marked as such)
    flagged: int = 0       # published with a banner saying what failed
    hidden: int = 0        # not published (``hidden``, ``failed: hide``)
    not_owners: int = 0    # verified, but issued to someone else
    unverified: int = 0    # verdict other than verified, whatever the display
    counted: int = 0       # verified, published and the learner's own


@dataclass(frozen=True)
class Portfolio:
    profile: LearnerProfile
    credentials: tuple[Credential, ...]      # every credential, hidden ones included
    reflections: tuple[Reflection, ...]
    skills: tuple[Skill, ...]
    pathways: tuple[PathwayProgress, ...]
    problems: tuple[Problem, ...]
    built_at: datetime
    holder: HolderKey | None = None     # the learner's key: signs presentation.json
    holder_note: str | None = None      # why no presentation is published, when one is expected
    notices: tuple[str, ...] = ()       # warnings said once per build (not problems to fix)

    @property
    def counted(self) -> tuple[Credential, ...]:
        """Verified, published and not someone else's: what totals and summaries count."""
        return tuple(c for c in self.credentials if c.counts)

    @property
    def published(self) -> tuple[Credential, ...]:
        from portfolio_gen.model.credential import Display

        return tuple(c for c in self.credentials if c.display is not Display.HIDDEN)

    def display_counts(self) -> DisplayCounts:
        from portfolio_gen.model.credential import Display

        creds = self.credentials
        return DisplayCounts(
            shown=sum(1 for c in creds if c.display is Display.SHOWN),
            flagged=sum(1 for c in creds if c.display is Display.FLAGGED),
            hidden=sum(1 for c in creds if c.display is Display.HIDDEN),
            not_owners=sum(1 for c in creds if c.not_owners),
            unverified=sum(1 for c in creds if not c.verified),
            counted=len(self.counted))

    def credential(self, slug: str) -> Credential | None:
        return next((c for c in self.credentials if c.slug == slug), None)
