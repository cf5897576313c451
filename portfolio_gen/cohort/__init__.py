"""Cohort showcase sites: many learners' portfolios, verified on a pool, one directory.

Engine-free: ``config`` (cohort.yml), ``verify_pool`` (any Executor, content-addressed
cache), ``directory`` (figures, cards, facets), ``search_index`` (sharded JSON),
``charts`` (SVG), ``staff`` (report + CSV), ``prepare`` (one run, streaming).
"""

from portfolio_gen.cohort.config import CohortConfig, load_cohort
from portfolio_gen.cohort.prepare import PreparedCohort, pool_settings, prepare_cohort
from portfolio_gen.cohort.verify_pool import LearnerTask, PoolSettings, verify_cohort

__all__ = ["CohortConfig", "LearnerTask", "PoolSettings", "PreparedCohort", "load_cohort",
           "pool_settings", "prepare_cohort", "verify_cohort"]
