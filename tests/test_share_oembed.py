"""oEmbed JSON against the oEmbed 1.0 rules for a ``rich`` response, and its discovery link."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from portfolio_gen.share import cards, oembed
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict

HOSTILE = 'A "b" <script>x</script> & c'


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def _doc() -> dict[str, object]:
    doc = oembed.oembed(
        sample_info(Verdict.REVOKED, name=HOSTILE),
        card_url="https://l.example/p/c/card-wide.html",
        thumbnail_url="https://l.example/p/c/card.png",
        provider_name="Ada's portfolio", provider_url="https://l.example/p/",
        author_url="https://l.example/p/")
    return dict(json.loads(oembed.oembed_json(doc)))


def test_oembed_rich_response_has_the_required_fields() -> None:
    doc = _doc()
    assert doc["version"] == "1.0" and doc["type"] == "rich"
    for key in ("html", "width", "height"):        # required for type=rich
        assert key in doc
    assert isinstance(doc["width"], int) and isinstance(doc["height"], int)
    thumbs = {"thumbnail_url", "thumbnail_width", "thumbnail_height"}
    assert thumbs <= set(doc)                      # all three or none
    assert "thumnail_width" not in doc
    assert (doc["thumbnail_width"], doc["thumbnail_height"]) == (
        cards.WIDTH * cards.PNG_SCALE, cards.HEIGHT * cards.PNG_SCALE)
    assert doc["author_name"] == "Ada Lovelace" and doc["provider_name"] == "Ada's portfolio"
    assert isinstance(doc["cache_age"], int)
    allowed = {"version", "type", "html", "width", "height", "title", "author_name",
               "author_url", "provider_name", "provider_url", "cache_age", "thumbnail_url",
               "thumbnail_width", "thumbnail_height"}
    assert set(doc) <= allowed


def test_oembed_html_is_the_iframe_at_the_declared_size() -> None:
    doc = _doc()
    parser = _Collect()
    parser.feed(str(doc["html"]))
    ((tag, attrs),) = parser.tags
    assert tag == "iframe"
    assert attrs["src"] == "https://l.example/p/c/card-wide.html"
    assert (int(attrs["width"]), int(attrs["height"])) == (doc["width"], doc["height"])
    assert HOSTILE in attrs["title"] and "Revoked" in attrs["title"]
    assert "allow-popups" in attrs["sandbox"].split()
    assert attrs["loading"] == "lazy"


def test_oembed_refuses_relative_urls() -> None:
    with pytest.raises(ValueError, match="absolute"):
        oembed.oembed(sample_info(), card_url="card-wide.html", thumbnail_url="https://x/y",
                      provider_name="p", provider_url="https://x/")


def test_discovery_link() -> None:
    parser = _Collect()
    parser.feed(str(oembed.discovery_link("https://l.example/p/c/oembed.json?x=1&y=2",
                                          HOSTILE)))
    ((tag, attrs),) = parser.tags
    assert tag == "link" and attrs["rel"] == "alternate"
    assert attrs["type"] == "application/json+oembed"
    assert attrs["href"] == "https://l.example/p/c/oembed.json?x=1&y=2"
    assert attrs["title"] == HOSTILE
