"""What one single-learner build produced, and why ``build --strict`` fails it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from portfolio_gen.model.portfolio import Portfolio


@dataclass(frozen=True)
class BuildSummary:
    """What one build produced; ``line()`` is the one-line summary printed at the end."""

    verified: int
    flagged: int
    hidden: int
    pages: int
    seconds: float
    site_dir: Path | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)
    images_rendered: int = 0    # card / OG images drawn this build (cache misses)
    images_cached: int = 0      # taken from the render cache
    unverified: int = 0         # credentials whose verdict is not `verified` (any display)
    not_recipient: int = 0      # verified, but issued to someone else (counted nowhere)

    def line(self) -> str:
        extra = f"; {len(self.problems)} problem(s)" if self.problems else ""
        others = f" ({self.not_recipient} not issued to you)" if self.not_recipient else ""
        return (f"credentials: {self.verified} verified{others} / {self.flagged} flagged / "
                f"{self.hidden} hidden; {self.pages} pages; images: {self.images_rendered} "
                f"rendered / {self.images_cached} cached; {self.seconds:.1f} s{extra}")


def summarize(portfolio: Portfolio, *, pages: int, seconds: float,
              site_dir: Path | None = None, images_rendered: int = 0,
              images_cached: int = 0) -> BuildSummary:
    counts = portfolio.display_counts()
    return BuildSummary(counts.shown, counts.flagged, counts.hidden,
                        pages, seconds, site_dir, tuple(str(p) for p in portfolio.problems),
                        images_rendered, images_cached, counts.unverified, counts.not_owners)


def strict_failures(summary: BuildSummary, warnings: int) -> list[str]:
    """Why ``build --strict`` (for CI) fails this build: warnings, files in badges/ that
    are not credentials (every problem), credentials that are not verified."""
    reasons = []
    if warnings:
        reasons.append(f"{warnings} warning(s)")
    if summary.problems:
        reasons.append(f"{len(summary.problems)} problem(s) with files")
    if summary.unverified:
        reasons.append(f"{summary.unverified} credential(s) not verified")
    if summary.not_recipient:
        reasons.append(f"{summary.not_recipient} credential(s) not issued to the learner")
    return reasons
