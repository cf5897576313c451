"""Make untrusted text safe for HTML: issuer Markdown, links and image sources.

Issuer Markdown is rendered with raw HTML disabled (it stays visible as text), then
sanitised with nh3 as a second line of defence. Links may only be http/https; images
only ``data:image/…`` (remote images would be outside requests from the site).
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

_ALLOWED_TAGS = {"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
                 "a", "img", "table", "thead", "tbody", "tr", "th", "td"}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
#: The issuer allow-list, shared by learner content on cohort sites (render/learner_html.py).
ALLOWED_TAGS = frozenset(_ALLOWED_TAGS)
ALLOWED_ATTRS = {tag: frozenset(attrs) for tag, attrs in _ALLOWED_ATTRS.items()}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)


def safe_link(url: object) -> str | None:
    """The URL if it is an absolute http(s) URL without tricks, else ``None``."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if re.match(r"https?://[^\s/?#]+", url, re.IGNORECASE) and not re.search(r"[\s<>\"']", url):
        return url
    return None


def is_data_image(src: object) -> bool:
    return isinstance(src, str) and bool(_DATA_IMAGE.match(src.strip()))


def _filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href":
        return safe_link(value)
    if tag == "img" and attr == "src":
        return value if is_data_image(value) else None
    return value


def _markdown_without_html() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def clean_fragment(html: str) -> str:
    """An HTML fragment cut down to the issuer allow-list (tags, attributes, URL rules)."""
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     attribute_filter=_filter, url_schemes={"http", "https", "data"},
                     link_rel="noopener noreferrer nofollow")


def render_untrusted(text: str | None) -> Markup:
    """Issuer Markdown → sanitised HTML fragment (raw HTML shown as text, unsafe URLs dropped)."""
    if not text:
        return Markup("")
    return Markup(clean_fragment(_markdown_without_html().convert(text)))  # sanitised
