"""Rendering, engine-free: the model → page bodies, site plans and files, from our Jinja2
templates (``themes/portfolio/`` at the repository's top level, found by
:mod:`portfolio_gen.theme` with a portfolio's override). No module here imports a site
engine: the MkDocs layer (``portfolio_gen/mkdocs_plugin/``) turns a plan into a site, so the
chrome can be swapped.
"""
