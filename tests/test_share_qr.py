"""QR SVG: parsed with defusedxml; the drawn modules must encode exactly the page URL, every
(title, scale) variant is the same drawing, and the title is escaped text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import segno
from defusedxml import ElementTree

from portfolio_gen.share import artifacts, qr
from portfolio_gen.share.cache import RenderCache
from portfolio_gen.share.qr import qr_svg

NS = "{http://www.w3.org/2000/svg}"
URL = "https://learner.example.net/portfolio/credentials/caf%C3%A9/"
PAGE_TITLE = f"QR code linking to this credential: {URL}"
SUMMARY_TITLE = f"QR code linking to Café basics: {URL}"


def _segno(url: str) -> segno.QRCode:
    """segno's own code for ``url`` (segno choosing the mask itself)."""
    return segno.make(url, error="m", micro=False, boost_error=False)


def _stroke_path(svg: str) -> str:
    root = ElementTree.fromstring(svg)
    return next(p for p in root.iter(f"{NS}path") if p.get("stroke")).get("d") or ""


def _modules(svg: str) -> set[tuple[int, int]]:
    """Dark (column, row) cells from segno's run-length path (border included)."""
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", _stroke_path(svg)):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(float(a))))
            x += float(a)
    return dark


def _children(svg: str) -> list[str]:
    """The root's children, serialized, after the <title> (the drawing)."""
    root = ElementTree.fromstring(svg)
    return [ElementTree.tostring(child, encoding="unicode") for child in root
            if child.tag != f"{NS}title"]


def test_qr_svg_encodes_the_url_and_is_accessible() -> None:
    svg = qr_svg(URL, title='Open "Ada" <page> & more')
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and root.get("class") == "portfolio-qr"
    title = root.find(f"{NS}title")
    assert title is not None and title.text == 'Open "Ada" <page> & more'
    assert root[0] is title  # first child: it names the image
    expected = _segno(URL)
    want = {(c + 4, r + 4) for r, row in enumerate(expected.matrix)
            for c, v in enumerate(row) if v}
    assert _modules(svg) == want
    other = _segno(URL + "x")
    assert other.matrix != expected.matrix  # the comparison above can tell URLs apart


def test_the_drawing_is_segnos_own_scale_1_svg() -> None:
    out = io.BytesIO()
    _segno(URL).save(out, kind="svg", scale=1, border=4, xmldecl=False, nl=False,
                     omitsize=True, svgclass="portfolio-qr", lineclass=None,
                     dark="#000000", light="#ffffff")
    reference = out.getvalue().decode("utf-8")
    assert qr.svg_body(URL) == reference
    # Every variant draws exactly segno's paths, in the viewBox (no transform, no group).
    for scale in (1, 2, 4):
        assert _children(qr_svg(URL, scale=scale)) == _children(reference)
    assert "transform" not in qr_svg(URL) and "<g" not in qr_svg(URL)


@pytest.mark.parametrize("scale", [2, 4])
def test_size_and_viewbox(scale: int) -> None:
    code = _segno(URL)
    modules = code.symbol_size(scale=1, border=4)[0]
    assert modules == code.symbol_size(scale=1, border=4)[1] == len(code.matrix) + 8
    root = ElementTree.fromstring(qr_svg(URL, scale=scale))
    # width/height: what segno writes at this scale; the viewBox: the modules, quiet zone too
    width, height = code.symbol_size(scale=scale, border=4)
    assert (root.get("width"), root.get("height")) == (str(width), str(height))
    assert width == height == modules * scale
    assert root.get("viewBox") == f"0 0 {modules} {modules}"
    background = next(p for p in root.iter(f"{NS}path") if p.get("fill"))
    assert background.get("fill") == "#fff"
    assert background.get("d") == f"M0 0h{modules}v{modules}h-{modules}z"


def test_page_and_summary_variants_share_the_drawing() -> None:
    page = qr_svg(URL, title=PAGE_TITLE, scale=4)
    summary = qr_svg(URL, title=SUMMARY_TITLE, scale=2)
    assert _stroke_path(page) == _stroke_path(summary) != ""
    assert _children(page) == _children(summary)
    page_root, summary_root = ElementTree.fromstring(page), ElementTree.fromstring(summary)
    assert int(page_root.get("width") or 0) == 2 * int(summary_root.get("width") or 0)
    assert page_root.get("viewBox") == summary_root.get("viewBox")
    assert page_root.find(f"{NS}title").text == PAGE_TITLE
    assert summary_root.find(f"{NS}title").text == SUMMARY_TITLE


def test_title_is_escaped_text() -> None:
    hostile = '<script>alert("x")</script></title><svg onload="alert(1)"> & Ada'
    svg = qr_svg(URL, title=hostile)
    assert "<script" not in svg and "</title><svg" not in svg and "<svg onload" not in svg
    assert ('<title>&lt;script&gt;alert("x")&lt;/script&gt;&lt;/title&gt;'
            '&lt;svg onload="alert(1)"&gt; &amp; Ada</title>') in svg
    root = ElementTree.fromstring(svg)
    assert root.find(f"{NS}title").text == hostile  # shown as text, exactly
    assert [c.tag for c in root] == [f"{NS}title", f"{NS}path", f"{NS}path"]
    assert not list(root.iter(f"{NS}script")) and root.get("onload") is None


def test_qr_is_deterministic_and_has_default_title() -> None:
    assert qr_svg(URL) == qr_svg(URL)
    title = ElementTree.fromstring(qr_svg(URL)).find(f"{NS}title")
    assert title is not None and title.text == f"QR code linking to {URL}"


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        qr_svg(URL, scale=0)
    with pytest.raises(ValueError, match="not a QR SVG body"):
        qr.svg_variant("<svg/>", url=URL)


def test_cached_artifact_keeps_one_drawing_per_url(tmp_path: Path) -> None:
    cold = RenderCache(tmp_path)
    page = artifacts.qr_svg(URL, title=PAGE_TITLE, cache=cold)
    summary = artifacts.qr_svg(URL, title=SUMMARY_TITLE, scale=2, cache=cold)
    assert page == qr_svg(URL, title=PAGE_TITLE)
    assert summary == qr_svg(URL, title=SUMMARY_TITLE, scale=2)
    # One entry for the URL, holding the drawing only; the summary variant is derived in
    # memory, neither read back nor counted as a hit.
    assert (cold.hits, cold.misses) == (0, 1)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].read_text("utf-8") == qr.svg_body(URL)
    # A later build (a new cache object over the same folder) reads it back once per URL.
    qr.svg_body.cache_clear()
    warm = RenderCache(tmp_path)
    assert artifacts.qr_svg(URL, title=SUMMARY_TITLE, scale=2, cache=warm) == summary
    assert artifacts.qr_svg(URL, title=PAGE_TITLE, cache=warm) == page
    assert (warm.hits, warm.misses, warm.rendered) == (1, 0, [])
    assert qr.svg_body.cache_info().currsize == 0  # served from disk, not recomputed
    assert artifacts.qr_svg(URL, title=PAGE_TITLE) == page  # no cache: the same bytes
