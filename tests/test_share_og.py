"""OG images (Pillow-decoded) and tags (parsed with html.parser, not string search)."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from PIL import Image

from portfolio_gen.share import og
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict

from .test_share_cards import png_chunks

HOSTILE = 'Evil "name" <script>alert(1)</script> & co'


def _check_og_png(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG" and img.size == (1200, 630)
    assert set(png_chunks(data)) <= {b"IHDR", b"IDAT", b"IEND"}


def test_credential_og_image_is_1200x630_png_and_deterministic() -> None:
    info = sample_info(name=HOSTILE)
    first = og.render_og_png(info, "Ada's portfolio")
    _check_og_png(first)
    assert first == og.render_og_png(info, "Ada's portfolio")
    assert first != og.render_og_png(sample_info(Verdict.REVOKED, name=HOSTILE),
                                     "Ada's portfolio")


def test_summary_og_image() -> None:
    infos = [sample_info(v, seed=i) for i, v in enumerate(
        [Verdict.VERIFIED, Verdict.VERIFIED, Verdict.EXPIRED])]
    data = og.render_og_summary_png("Ada Lovelace", "Learning portfolio", infos, "example")
    _check_og_png(data)
    assert data == og.render_og_summary_png("Ada Lovelace", "Learning portfolio", infos,
                                            "example")
    assert og.summary_counts(infos) == "3 credentials \u00b7 2 verified \u00b7 1 not verified"


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.attr_of: dict[str, str] = {}
        self.canonical: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = a.get("property") or a.get("name") or ""
            assert key not in self.meta, f"duplicate {key}"
            self.meta[key] = a["content"]
            self.attr_of[key] = "property" if "property" in a else "name"
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])


def _parse(tags: og.OgTags) -> _Head:
    head = _Head()
    head.feed(str(og.og_html(tags)))
    return head


def test_tags_with_site_url() -> None:
    info = sample_info(Verdict.REVOKED, name=HOSTILE, page_path="credentials/evil/")
    page = og.credential_page(info, "credentials/evil/og.png", site_name="Ada & co")
    tags = og.og_tags(page, "https://learner.example.net/portfolio")
    assert tags.warning is None
    head = _parse(tags)
    url = "https://learner.example.net/portfolio/credentials/evil/"
    image = "https://learner.example.net/portfolio/credentials/evil/og.png"
    assert head.canonical == [url]
    m = head.meta
    assert m["og:url"] == url and m["og:image"] == image and m["twitter:image"] == image
    assert (m["og:image:width"], m["og:image:height"]) == ("1200", "630")
    assert m["twitter:card"] == "summary_large_image"
    assert m["og:title"] == m["twitter:title"] == f"{HOSTILE} \u2014 Example University"
    assert m["og:site_name"] == "Ada & co" and m["og:type"] == "website"
    assert "revoked" in m["og:description"].lower()
    assert HOSTILE in m["og:image:alt"] and m["twitter:image:alt"] == m["og:image:alt"]
    assert all(head.attr_of[k] == ("name" if k.startswith("twitter:") else "property")
               for k in m)


def test_without_site_url_absolute_tags_are_omitted_with_one_warning() -> None:
    page = og.credential_page(sample_info(), "credentials/x/og.png")
    tags = og.og_tags(page, None)
    assert tags.warning == og.NO_SITE_URL_WARNING and "site_url" in tags.warning
    head = _parse(tags)
    assert head.canonical == []
    assert not {"og:url", "og:image", "twitter:image", "og:image:alt"} & set(head.meta)
    assert head.meta["twitter:card"] == "summary"
    assert head.meta["og:title"].startswith("Data Analysis")


def test_description_is_flattened_and_capped() -> None:
    text = "word " * 200
    assert len(og.short_description(text)) == og.DESCRIPTION_MAX
    assert "\n" not in og.short_description("a\n\nb")
