"""Learner Markdown on a cohort site: rendered like issuer content, never as live script.

Why: a cohort site is one origin (the careers office's) shared by every learner, so a
reflection's ``<script>``, ``<img onerror>``, ``<iframe src=javascript:>`` or
``[link](javascript:…)`` would run as the office, against every visitor. Two steps:

1. :class:`RawHtmlExtension` (listed in the cohort chrome's ``markdown_extensions``):
   every raw HTML block or inline tag the Markdown holds is cut down to the issuer
   allow-list (:func:`portfolio_gen.sanitize.clean_fragment`) before it reaches
   the page.
2. :func:`clean_learner_html`: the rendered page body is cleaned again with that
   allow-list plus the structure Markdown itself writes (headings with their anchors,
   code classes), with links limited to http(s), relative addresses and fragments, and
   images to relative addresses and ``data:image``.

Titles never come from the learner's front matter as HTML: the cohort passes MkDocs a
generated, escaped title (:func:`portfolio_gen.render.generated.front_matter`).
A learner's own single-learner site is their own origin and keeps their HTML.
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from portfolio_gen.sanitize import ALLOWED_ATTRS, ALLOWED_TAGS, clean_fragment, is_data_image

_HEADINGS = {f"h{n}" for n in range(1, 7)}
_TAGS = ALLOWED_TAGS | _HEADINGS | {"del", "ins", "sup", "sub", "dl", "dt", "dd", "abbr",
                                     "caption", "s", "kbd", "mark"}
_ATTRS: dict[str, set[str]] = {**{k: set(v) for k, v in ALLOWED_ATTRS.items()},
                               **{h: {"id"} for h in _HEADINGS}, "code": {"class"},
                               "abbr": {"title"}}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: Browsers drop these anywhere in a URL ("java\tscript:" is "javascript:").
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


def _scheme(value: str) -> str | None:
    found = _SCHEME.match(_IGNORED_IN_URLS.sub("", value))
    return found.group(1).lower() if found else None


def _relative(value: str) -> bool:
    """A same-site address: no scheme, not protocol-relative (``//host``)."""
    bare = _IGNORED_IN_URLS.sub("", value).replace("\\", "/")
    return _scheme(value) is None and not bare.startswith("//")


def _filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href":
        scheme = _scheme(value)
        return value if scheme is None or scheme in ("http", "https") else None
    if tag == "img" and attr == "src":
        return value if is_data_image(value) or _relative(value) else None
    if attr == "class":
        return value if re.fullmatch(r"language-[\w+-]{1,40}", value) else None
    return value


def clean_learner_html(html: str) -> str:
    """A rendered learner page body with nothing that can run script."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRS, attribute_filter=_filter,
                     url_schemes={"http", "https", "data"},
                     link_rel="noopener noreferrer nofollow")


_SINGLE_TAG = re.compile(r"^\s*<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>\s*$")


def _clean_raw(block: str) -> str:
    """One stashed piece of raw HTML, cut to the issuer allow-list. Inline HTML is stashed
    tag by tag (``<em>``, later ``</em>``), so a lone allowed tag is kept as a lone tag
    (its attributes cleaned); the page body is cleaned as a whole afterwards."""
    single = _SINGLE_TAG.match(block)
    if single is None:
        return clean_fragment(block)
    closing, tag = single.group(1), single.group(2).lower()
    if tag not in ALLOWED_TAGS:
        return ""
    if closing:
        return f"</{tag}>"
    return clean_fragment(f"{block.strip()}</{tag}>").removesuffix(f"</{tag}>")


class _CleanRawHtml(Postprocessor):
    """Cleans the raw HTML Markdown stashed aside, before it is put back (priority 30)."""

    def run(self, text: str) -> str:
        stash = self.md.htmlStash
        stash.rawHtmlBlocks = [_clean_raw(block) if isinstance(block, str) else block
                               for block in stash.rawHtmlBlocks]
        return text


class RawHtmlExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_CleanRawHtml(md), "portfolio_clean_raw_html", 35)


def makeExtension(**kwargs: Any) -> RawHtmlExtension:
    return RawHtmlExtension(**kwargs)
