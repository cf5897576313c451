"""OG images (Pillow-decoded) and tags (parsed with html.parser, not string search)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from PIL import Image, JpegImagePlugin

from portfolio_gen.share import imaging, og
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict

HOSTILE = 'Evil "name" <script>alert(1)</script> & co'


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the scan, read by the JPEG framing."""
    assert data[:2] == b"\xff\xd8", "no SOI"
    out: list[tuple[int, bytes]] = []
    pos = 2
    while True:
        assert data[pos] == 0xFF, f"no marker at {pos}"
        marker = data[pos + 1]
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        out.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return out


def _check_og_jpeg(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as img:
        assert (img.format, img.size, img.mode) == ("JPEG", (1200, 630), "RGB")
        assert not {"exif", "icc_profile", "comment", "xmp", "progressive",
                    "progression"} & set(img.info)
        assert img.info["jfif"]
        # 4:2:0, as social platforms store it (Pillow reports subsampling 2)
        assert JpegImagePlugin.get_sampling(img) == 2
        img.load()
    assert data.endswith(b"\xff\xd9") and b"Exif" not in data
    segments = jpeg_segments(data)
    app = [(m, payload[:5]) for m, payload in segments if 0xE0 <= m <= 0xEF]
    assert app == [(0xE0, b"JFIF\x00")]          # APP0 JFIF and no other APPn
    assert 0xFE not in {m for m, _ in segments}  # no COM
    assert 0xC0 in {m for m, _ in segments}      # baseline DCT, not progressive (C2)


def test_credential_og_image_is_1200x630_jpeg_and_deterministic() -> None:
    info = sample_info(name=HOSTILE)
    first = og.render_og_image(info, "Ada's portfolio")
    _check_og_jpeg(first)
    assert first == og.render_og_image(info, "Ada's portfolio")
    assert first != og.render_og_image(sample_info(Verdict.REVOKED, name=HOSTILE),
                                       "Ada's portfolio")
    assert first != og.render_og_image(replace(info, learner_name="Grace Hopper"),
                                       "Ada's portfolio")


def test_summary_og_image() -> None:
    infos = [sample_info(v, seed=i) for i, v in enumerate(
        [Verdict.VERIFIED, Verdict.VERIFIED, Verdict.EXPIRED])]
    data = og.render_og_summary_image("Ada Lovelace", "Learning portfolio", infos, "example")
    _check_og_jpeg(data)
    assert data == og.render_og_summary_image("Ada Lovelace", "Learning portfolio", infos,
                                              "example")
    assert og.summary_counts(infos) == "3 credentials \u00b7 2 verified \u00b7 1 not verified"


def test_shared_base_cache_does_not_change_the_bytes() -> None:
    """Learners holding the same credential share one cached base; the image is the same
    whether the base was drawn for this render or reused from another learner's."""
    ada = sample_info(Verdict.EXPIRED, seed=7, expires=datetime(2027, 1, 2, tzinfo=UTC))
    grace = replace(ada, learner_name="Grace Hopper", issued=datetime(2024, 5, 6, tzinfo=UTC),
                    credential_id="urn:other", page_path="credentials/other/")
    og._credential_base.cache_clear()
    cold = og.render_og_image(ada, "Ada's portfolio")
    og._credential_base.cache_clear()
    grace_cold = og.render_og_image(grace, "Grace's portfolio")
    warm = og.render_og_image(ada, "Ada's portfolio")
    info = og._credential_base.cache_info()
    assert (info.hits, info.misses) == (1, 1)
    assert warm == cold
    assert og.render_og_image(grace, "Grace's portfolio") == grace_cold != cold
    # without a learner the layout moves up: a different base, not a reused one
    anonymous = og.render_og_image(replace(ada, learner_name=""), "Ada's portfolio")
    assert og._credential_base.cache_info().misses == 2
    og._credential_base.cache_clear()
    assert og.render_og_image(replace(ada, learner_name=""), "Ada's portfolio") == anonymous


def test_jpeg_bytes_refuses_transparency_and_drops_metadata() -> None:
    with pytest.raises(ValueError, match="transparency"):
        imaging.jpeg_bytes(Image.new("RGBA", (4, 4), (255, 0, 0, 128)))
    opaque = Image.new("RGBA", (4, 4), (255, 0, 0, 255))
    opaque.info["comment"] = b"secret"
    data = imaging.jpeg_bytes(opaque)
    assert b"secret" not in data
    assert [m for m, _ in jpeg_segments(data) if 0xE0 <= m <= 0xEF or m == 0xFE] == [0xE0]


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
    page = og.credential_page(info, "credentials/evil/og.jpg", site_name="Ada & co")
    tags = og.og_tags(page, "https://learner.example.net/portfolio")
    assert tags.warning is None
    head = _parse(tags)
    url = "https://learner.example.net/portfolio/credentials/evil/"
    image = "https://learner.example.net/portfolio/credentials/evil/og.jpg"
    assert head.canonical == [url]
    m = head.meta
    assert m["og:url"] == url and m["og:image"] == image and m["twitter:image"] == image
    assert (m["og:image:width"], m["og:image:height"]) == ("1200", "630")
    assert m["og:image:type"] == "image/jpeg"
    assert m["twitter:card"] == "summary_large_image"
    assert m["og:title"] == m["twitter:title"] == (
        f"{HOSTILE} \u2014 Example University (example.org)")
    assert m["og:site_name"] == "Ada & co" and m["og:type"] == "website"
    assert "revoked" in m["og:description"].lower()
    assert HOSTILE in m["og:image:alt"] and m["twitter:image:alt"] == m["og:image:alt"]
    assert all(head.attr_of[k] == ("name" if k.startswith("twitter:") else "property")
               for k in m)


def test_without_site_url_absolute_tags_are_omitted_with_one_warning() -> None:
    page = og.credential_page(sample_info(), "credentials/x/og.jpg")
    tags = og.og_tags(page, None)
    assert tags.warning == og.NO_SITE_URL_WARNING and "site_url" in tags.warning
    head = _parse(tags)
    assert head.canonical == []
    assert not {"og:url", "og:image", "og:image:type", "twitter:image",
                "og:image:alt"} & set(head.meta)
    assert head.meta["twitter:card"] == "summary"
    assert head.meta["og:title"].startswith("Data Analysis")


def test_description_is_flattened_and_capped() -> None:
    text = "word " * 200
    assert len(og.short_description(text)) == og.DESCRIPTION_MAX
    assert "\n" not in og.short_description("a\n\nb")
