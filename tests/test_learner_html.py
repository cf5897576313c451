"""Issue #11 (2): learner Markdown on a cohort site is rendered like issuer content.

Raw HTML is cut to the issuer allow-list by the chrome's Markdown extension; the rendered
body is cleaned again (``javascript:`` links from Markdown syntax, handlers). The
browser test of a whole hostile cohort is tests/browser/test_cohort_hostile_browser.py.
"""

from __future__ import annotations

import markdown
import pytest

from portfolio_gen.render.learner_html import RawHtmlExtension, clean_learner_html


def _render(text: str) -> str:
    return markdown.Markdown(extensions=["toc", "tables", "fenced_code",
                                         RawHtmlExtension()]).convert(text)


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "Text <img src=x onerror=alert(1)> text",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<div><iframe srcdoc="<script>alert(1)</script>"></iframe></div>',
    "<svg onload=alert(1)></svg>",
    '<a href="java\tscript:alert(1)">x</a>',
    '<details open ontoggle=alert(1)><summary>x</summary></details>',
])
def test_raw_html_is_cut_to_the_issuer_allow_list(source: str) -> None:
    html = _render(source)
    for bad in ("<script", "onerror", "<iframe", "onload", "javascript:", "ontoggle",
                "<details", "srcdoc"):
        assert bad not in html, (source, html)


def test_markdown_structure_and_safe_links_survive() -> None:
    text = ("# Title\n\n## Part two\n\n[rel](../credentials/x/) [web](https://ex.org) "
            "[frag](#part-two) ![chart](chart.png)\n\n```python\nprint(1)\n```\n\n"
            "<b>bold</b> <em>raw</em>\n")
    html = clean_learner_html(_render(text))
    assert '<h2 id="part-two">Part two</h2>' in html
    assert 'href="../credentials/x/"' in html and 'href="https://ex.org"' in html
    assert 'href="#part-two"' in html and 'src="chart.png"' in html
    assert "<pre><code>print(1)" in html
    assert "<strong>bold</strong>" not in html and "<b>" not in html   # b is not allowed
    assert "bold" in html and "<em>raw</em>" in html


@pytest.mark.parametrize("markdown_link", [
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](data:text/html,<script>)",
    "![x](//evil.example/track.png)", "[x](vbscript:msgbox)",
])
def test_markdown_links_that_run_or_track_are_dropped(markdown_link: str) -> None:
    html = clean_learner_html(_render(markdown_link))
    assert "javascript" not in html.lower() and "vbscript" not in html
    assert "data:text" not in html and "evil.example" not in html
