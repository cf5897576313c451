"""The iframe card page: parsed with html.parser; size, no external requests, honest state."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from portfolio_gen.model.wording import VERDICTS
from portfolio_gen.share import artifacts, iframe_card
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict

HOSTILE = 'Evil "x" <script>alert(1)</script><img src=x onerror=alert(2)> & co'
PAGE = "https://learner.example.net/p/credentials/evil/"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style", "title"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        elif not self._in:
            self.text.append(data)

    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def _render(verdict: Verdict, size: str) -> tuple[str, _Page]:
    info = sample_info(verdict, name=HOSTILE)
    html = iframe_card.render_iframe_card(info, size=size, page_url=PAGE,
                                          image_src="badge.png")
    page = _Page()
    page.feed(html)
    return html, page


@pytest.mark.parametrize("size", ["wide", "tall"])
def test_card_is_small_self_contained_and_links_out(size: str) -> None:
    html, page = _render(Verdict.VERIFIED, size)
    assert len(html.encode("utf-8")) <= iframe_card.MAX_BYTES
    names = [t for t, _ in page.tags]
    assert "link" not in names and "iframe" not in names
    assert names.count("script") == 1
    for tag, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if tag == "script":
            assert "src" not in attrs
        if tag == "img":
            assert attrs["src"] == "badge.png" and attrs["alt"]
    (anchor,) = [a for t, a in page.tags if t == "a"]
    assert anchor["href"] == PAGE and anchor["target"] == "_blank"
    assert "noopener" in anchor["rel"].split()
    dims = iframe_card.SIZES[size]
    assert f"width:{dims.width}px;height:{dims.height}px" in html
    assert "prefers-color-scheme:dark" in html
    assert HOSTILE in page.visible()  # shown as text, not parsed as markup


def test_csp_pins_the_only_script() -> None:
    _, page = _render(Verdict.VERIFIED, "wide")
    (csp,) = [a["content"] for t, a in page.tags
              if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp
    (script,) = page.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert iframe_card.MESSAGE_TYPE in script


@pytest.mark.parametrize(("verdict", "word", "sentence"), [
    (v, VERDICTS[v].label, VERDICTS[v].card_sentence)
    for v in (Verdict.REVOKED, Verdict.EXPIRED, Verdict.INVALID, Verdict.UNVERIFIABLE)
])
@pytest.mark.parametrize("size", ["wide", "tall"])
def test_bad_states_are_visible_in_text(verdict: Verdict, word: str, sentence: str,
                                        size: str) -> None:
    _, page = _render(verdict, size)
    text = page.visible()
    assert word in text and sentence in text
    (anchor,) = [a for t, a in page.tags if t == "a"]
    # No aria-label: the link is named by its visible text (state word included), so what a
    # screen reader announces matches what is seen (axe label-content-name-mismatch).
    assert "aria-label" not in anchor


def test_iframe_snippet_sandbox_still_lets_the_link_open() -> None:
    snippet = str(iframe_card.iframe_snippet(sample_info(name=HOSTILE), "https://x/c.html",
                                             "tall"))
    page = _Page()
    page.feed(snippet)
    ((tag, attrs),) = page.tags
    assert tag == "iframe" and attrs["src"] == "https://x/c.html"
    assert (attrs["width"], attrs["height"]) == ("150", "270")
    assert attrs["loading"] == "lazy" and HOSTILE in attrs["title"]
    tokens = set(attrs["sandbox"].split())
    assert {"allow-popups", "allow-popups-to-escape-sandbox"} <= tokens
    assert "allow-same-origin" not in tokens


def test_badge_file_reencodes_raster_and_keeps_svg_as_a_file() -> None:
    data, ext = artifacts.badge_file(sample_info())
    assert ext == "png" and data[:8] == b"\x89PNG\r\n\x1a\n"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert artifacts.badge_file(sample_info(image_bytes=svg, image_mime="image/svg+xml")) == (
        svg, "svg")
    assert iframe_card.inline_image_src(b"x" * 10, "svg") is None
    small = iframe_card.inline_image_src(b"\x89PNG", "png")
    assert small is not None and re.match(r"^data:image/png;base64,", small)
