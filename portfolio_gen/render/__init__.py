"""Rendering: Jinja2 templates for portfolio content and the thin MkDocs layer.

Only ``plugin.py`` and ``engine.py`` import mkdocs; everything else here turns the model
into HTML fragments and files, so the site chrome can be swapped. The portfolio theme
(templates and CSS/JS assets) lives in ``portfolio_gen/themes/portfolio/`` inside the
package, so it ships in the wheel with no build mapping.
"""
