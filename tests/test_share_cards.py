"""Image card: real Pillow PNGs, SVG parsed with defusedxml, snippets parsed with html.parser."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

import pytest
from defusedxml import ElementTree
from PIL import Image

from portfolio_gen.share import cards, imaging
from portfolio_gen.share.samples import badge_png, sample_info
from portfolio_gen.verify.report import Verdict

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Evil <script>alert("x")</script> & \'quotes\' ]]> <!-- -->'
EVIL_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, out = 8, []
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        out.append(data[pos + 4:pos + 8])
        pos += 12 + length
    return out


def svg_texts(root: ElementTree.Element) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


def test_card_png_size_determinism_and_no_metadata() -> None:
    info = sample_info()
    first, second = cards.render_card_png(info), cards.render_card_png(info)
    assert first == second
    with Image.open(io.BytesIO(first)) as img:
        assert img.format == "PNG"
        assert img.size == (cards.WIDTH * cards.PNG_SCALE, cards.HEIGHT * cards.PNG_SCALE)
    assert set(png_chunks(first)) <= {b"IHDR", b"IDAT", b"IEND"}


def _band_pixel(data: bytes) -> tuple[int, ...]:
    with Image.open(io.BytesIO(data)) as img:
        pixel = img.convert("RGB").getpixel((int(cards.WIDTH * 1.5), 132 * 2))
    assert isinstance(pixel, tuple)
    return pixel


def test_png_state_band_differs_by_verdict() -> None:
    green = _band_pixel(cards.render_card_png(sample_info(Verdict.VERIFIED)))
    red = _band_pixel(cards.render_card_png(sample_info(Verdict.REVOKED)))
    assert green[1] > green[0]   # tinted green
    assert red[0] > red[1]       # tinted red


def test_svg_card_escapes_and_embeds_reencoded_png() -> None:
    info = sample_info(Verdict.REVOKED, name=HOSTILE, issuer_name="A & B <Ltd>")
    svg = cards.render_card_svg(info)
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img"
    assert not list(root.iter(f"{SVG_NS}script"))
    title = root.find(f"{SVG_NS}title")
    assert title is not None and HOSTILE in (title.text or "")
    texts = svg_texts(root)
    assert "A & B <Ltd>" in texts
    assert "Revoked" in texts and "The issuer has revoked this credential." in texts
    (image,) = list(root.iter(f"{SVG_NS}image"))
    href = image.get("href") or ""
    assert href.startswith("data:image/png;base64,")
    with Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))) as badge:
        assert badge.format == "PNG" and badge.size == (192, 192)


def test_svg_badge_is_never_inlined() -> None:
    info = sample_info(image_bytes=EVIL_SVG, image_mime="image/svg+xml")
    svg = cards.render_card_svg(info)
    assert "alert(1)" not in svg and "image/svg" not in svg
    root = ElementTree.fromstring(svg)
    (image,) = list(root.iter(f"{SVG_NS}image"))
    assert (image.get("href") or "").startswith("data:image/png;base64,")


def test_long_names_wrap_within_the_text_column_with_ellipsis() -> None:
    lay = cards.layout(sample_info(name="Supercalifragilistic " * 12))
    assert len(lay.name_lines) == 2 and lay.name_lines[-1].endswith("\u2026")
    from portfolio_gen.share.fonts import font
    for line in lay.name_lines:
        assert font(16, "bold").getlength(line) <= cards.WIDTH - 126 - 14


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_state_has_a_word_and_is_in_alt_text(verdict: Verdict) -> None:
    info = sample_info(verdict)
    alt = cards.card_alt(info)
    assert info.verdict_label in alt
    assert info.verdict_label in svg_texts(ElementTree.fromstring(cards.render_card_svg(info)))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_snippet_parses_to_link_around_image_with_alt() -> None:
    info = sample_info(Verdict.EXPIRED, name=HOSTILE)
    page = 'https://x.example/p?a=1&b="2"'
    snippet = str(cards.image_card_html(info, "https://x.example/card.svg", page))
    parser = _Tags()
    parser.feed(snippet)
    assert [t for t, _ in parser.tags] == ["a", "img"]
    assert parser.tags[0][1]["href"] == page
    img = parser.tags[1][1]
    assert img["src"] == "https://x.example/card.svg"
    assert HOSTILE in (img["alt"] or "") and "Expired" in (img["alt"] or "")
    assert "<script>" not in snippet


def test_markdown_snippet_escapes_alt_and_encodes_urls() -> None:
    info = sample_info(name="C [brackets] (parens) *stars*")
    md = cards.image_card_markdown(info, "https://x.example/my card (1).png",
                                   "https://x.example/p (2)/")
    m = re.fullmatch(r"\[!\[(?P<alt>(?:\\.|[^\]\\])*)\]\((?P<src>[^()\s]+)\)\]"
                     r"\((?P<href>[^()\s]+)\)", md)
    assert m, md
    assert m["src"] == "https://x.example/my%20card%20%281%29.png"
    assert m["href"] == "https://x.example/p%20%282%29/"
    assert re.sub(r"\\(.)", r"\1", m["alt"]).startswith(
        "Ada Lovelace's credential: C [brackets] (parens) *stars*")


def test_badge_decoding_refuses_bombs_and_strips_metadata() -> None:
    assert imaging.decode_badge(b"not an image", "image/png") is None
    assert imaging.decode_badge(EVIL_SVG, "image/svg+xml") is None
    big = io.BytesIO()
    Image.new("L", (4000, 3000)).save(big, format="PNG")
    assert imaging.decode_badge(big.getvalue(), "image/png") is None
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    jpeg = io.BytesIO()
    Image.open(io.BytesIO(badge_png())).convert("RGB").save(jpeg, format="JPEG", exif=exif)
    info = sample_info(image_bytes=jpeg.getvalue(), image_mime="image/jpeg")
    uri = cards.badge_data_uri(info, 96)
    png = base64.b64decode(uri.split(",", 1)[1])
    assert b"secret description" not in png
    assert set(png_chunks(png)) <= {b"IHDR", b"IDAT", b"IEND"}


def _clear_card_caches() -> None:
    cards._card_base.cache_clear()
    cards._card_png.cache_clear()


def test_png_card_from_a_cached_base_equals_a_fresh_render() -> None:
    """Classmates holding one credential share the drawn base; each card still shows its
    own dates, and a card drawn on a cached base is byte-identical to a fresh one."""
    from dataclasses import replace
    from datetime import UTC, datetime

    ada = replace(sample_info(), learner_name="Ada", issued=datetime(2025, 3, 14, tzinfo=UTC))
    bob = replace(ada, learner_name="Bob", issued=datetime(2024, 1, 2, tzinfo=UTC),
                  expires=datetime(2027, 1, 1, tzinfo=UTC))
    _clear_card_caches()
    fresh_bob = cards.render_card_png(bob)
    _clear_card_caches()
    first_ada = cards.render_card_png(ada)
    on_ada_base = cards.render_card_png(bob)
    assert cards._card_base.cache_info().hits >= 1
    assert on_ada_base == fresh_bob
    assert first_ada != on_ada_base      # the dates differ, so the images do


def test_png_card_shows_dates_to_the_month_and_is_shared_within_it() -> None:
    """The image card says "Issued Mar 2025": holders awarded in the same month get the
    same image (encoded once), another month gives another image; the alt text keeps the
    exact day."""
    from dataclasses import replace
    from datetime import UTC, datetime

    ada = replace(sample_info(), learner_name="Ada", issued=datetime(2025, 3, 3, tzinfo=UTC),
                  expires=None)
    cy = replace(ada, learner_name="Cy", issued=datetime(2025, 3, 28, tzinfo=UTC))
    dee = replace(ada, learner_name="Dee", issued=datetime(2025, 4, 1, tzinfo=UTC))
    assert cards.card_date_line(ada) == cards.card_date_line(cy) == "Issued Mar 2025"
    assert cards.date_line(ada) == "Issued 3 Mar 2025"
    _clear_card_caches()
    assert cards.render_card_png(ada) == cards.render_card_png(cy)
    assert cards._card_png.cache_info().hits == 1
    assert cards.render_card_png(dee) != cards.render_card_png(ada)
    assert "3 Mar 2025" in cards.card_alt(ada)
    assert ">Issued Mar 2025<" in cards.render_card_svg(ada)   # the SVG card says the same


def test_png_bytes_never_carries_metadata() -> None:
    """An image that arrives with metadata (an ICC profile, text) is written as pixels only;
    a fresh image is written as it is."""
    img = Image.new("RGBA", (8, 8), (10, 20, 30, 128))
    img.info.update({"icc_profile": b"\x00" * 64, "Comment": "from the badge"})
    data = imaging.png_bytes(img)
    assert [c for c in png_chunks(data) if c not in (b"IHDR", b"IDAT", b"IEND")] == []
    with Image.open(io.BytesIO(data)) as out:
        assert out.mode == "RGBA" and out.getpixel((0, 0)) == (10, 20, 30, 128)
        assert "icc_profile" not in out.info
    fresh = Image.new("RGB", (8, 8), (1, 2, 3))
    assert png_chunks(imaging.png_bytes(fresh)) == [b"IHDR", b"IDAT", b"IEND"]
