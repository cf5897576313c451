"""Relative URLs between site files, so a site works from any sub-path."""

from __future__ import annotations

import posixpath


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The site path a Markdown source becomes (``a/b.md`` → ``a/b/`` or ``a/b.html``)."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if not src_uri.endswith(".md"):
        return src_uri
    name = posixpath.basename(stem)
    if not use_directory_urls:
        return stem + ".html"
    if name in ("index", "README"):
        parent = posixpath.dirname(stem)
        return parent + "/" if parent else ""
    return stem + "/"


def relative(from_src: str, to_src: str, use_directory_urls: bool) -> str:
    """URL of ``to_src`` (a page source or a plain file path) as seen from page ``from_src``."""
    here = page_url(from_src, use_directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    target = page_url(to_src, use_directory_urls)
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return rel
