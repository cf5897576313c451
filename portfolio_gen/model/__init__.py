"""The display model: what a portfolio page shows, built from verification reports.

Frozen dataclasses only; no rendering and no site engine here.
"""

from portfolio_gen.model.credential import (
    Alignment,
    Credential,
    Display,
    Endorsement,
    Evidence,
    IssuerInfo,
    ResultItem,
)
from portfolio_gen.model.pathways import PathwayProgress, Requirement, RequirementGroup
from portfolio_gen.model.portfolio import LearnerProfile, Portfolio, Problem
from portfolio_gen.model.reflection import Reflection
from portfolio_gen.model.skills import Skill

__all__ = [
    "Alignment", "Credential", "Display", "Endorsement", "Evidence", "IssuerInfo",
    "LearnerProfile", "PathwayProgress", "Portfolio", "Problem", "Reflection", "Requirement",
    "RequirementGroup", "ResultItem", "Skill",
]
