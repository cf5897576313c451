"""Cohort showcase sites: many learners' portfolios, verified on a pool, one directory.

Engine-free orchestration: ``config`` (cohort.yml), ``learner`` (folders, consent),
``verify_pool`` (any Executor, content-addressed cache), ``learner_portfolio`` (a learner's
showcase portfolio and summary through ``model.assemble.assemble_portfolio``,
scrubbed), ``search_index`` (sharded JSON files), ``charts`` (SVG),
``staff`` (report + CSV), ``prepare`` (one run, streaming). The display data it streams
(learner summaries, directory cards and facets) is the model's:
:mod:`portfolio_gen.model.learner_summary`, :mod:`portfolio_gen.model.directory`.
"""

from portfolio_gen.cohort.config import CohortConfig, load_cohort
from portfolio_gen.cohort.prepare import PreparedCohort, pool_settings, prepare_cohort
from portfolio_gen.cohort.verify_pool import LearnerTask, PoolSettings, verify_cohort

__all__ = ["CohortConfig", "LearnerTask", "PoolSettings", "PreparedCohort", "load_cohort",
           "pool_settings", "prepare_cohort", "verify_cohort"]
