"""The MkDocs layer: the only package that imports mkdocs or knows Material.

* :mod:`.plugin` — the ``portfolio`` MkDocs plugin (a learner's site);
* :mod:`.engine` — build, serve and deploy a portfolio folder (what the CLI calls);
* :mod:`.cohort_engine`, :mod:`.cohort_plugin`, :mod:`.chrome` — MkDocs + Material as the
  cohort build's site engine (:data:`MKDOCS`), its plugin and the learner-page chrome;
* :mod:`.serve_report`, :mod:`.git_check` — what ``serve`` prints, what ``deploy`` checks.
"""

from __future__ import annotations

from portfolio_gen.mkdocs_plugin.cohort_engine import MkDocsEngine

#: The site engine cohort builds are given (``build_cohort(MKDOCS, cohort.yml)``).
MKDOCS = MkDocsEngine()

__all__ = ["MKDOCS", "MkDocsEngine"]
