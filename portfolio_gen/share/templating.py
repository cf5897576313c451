"""The Jinja2 environment for this layer's own templates, autoescaping everything.

Badge text is untrusted, so every template (HTML and SVG alike) escapes by default; the
escapes Jinja2 emits (``&lt;``, ``&#34;``...) are valid in XML too.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("portfolio_gen.share", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,   # templates ship in the package: no stat per render
    )


def render(template: str, /, **context: object) -> str:
    return environment().get_template(template).render(**context)
