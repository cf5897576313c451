"""Share links: every value must survive URL encoding exactly (parsed back, not string-matched)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from portfolio_gen.share import links
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict

HOSTILE = "Café & Crème #1 \"quoted\" 'single' 🎓 100% +plus a=b?c"
ISSUER = "Ünïversité d'Été & Co #2"
PAGE = "https://learner.example.net/p/cr%C3%A8me/?a=1&b=2#frag"


def _query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert " " not in url and "+" not in parts.query, url
    return parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)


def _single(q: dict[str, list[str]]) -> dict[str, str]:
    assert all(len(v) == 1 for v in q.values()), q
    return {k: v[0] for k, v in q.items()}


def test_linkedin_add_to_profile_round_trips_hostile_names() -> None:
    info = sample_info(name=HOSTILE, issuer_name=ISSUER, page_url=PAGE,
                       issued=datetime(2024, 12, 31, 23, 0, tzinfo=UTC),
                       expires=datetime(2027, 1, 15, tzinfo=UTC))
    url = links.linkedin_add_to_profile(info)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com",
                                                        "/profile/add")
    q = _single(_query(url))
    assert q == {
        "startTask": "CERTIFICATION_NAME", "name": HOSTILE, "organizationName": ISSUER,
        "issueYear": "2024", "issueMonth": "12", "expirationYear": "2027",
        "expirationMonth": "1", "certUrl": PAGE,
    }


def test_linkedin_months_are_one_based() -> None:
    q = _single(_query(links.linkedin_add_to_profile(
        sample_info(issued=datetime(2025, 1, 3, tzinfo=UTC)))))
    assert q["issueMonth"] == "1"
    assert "expirationYear" not in q and "expirationMonth" not in q


def test_linkedin_organization_id_replaces_name_only_when_numeric() -> None:
    q = _single(_query(links.linkedin_add_to_profile(sample_info(), organization_id="1234567")))
    assert q["organizationId"] == "1234567" and "organizationName" not in q
    q = _single(_query(links.linkedin_add_to_profile(
        sample_info(issuer_linkedin_org_id="acme&x=1"))))
    assert "organizationId" not in q and q["organizationName"] == "Example University"
    assert "x" not in q


@pytest.mark.parametrize(("credential_id", "expected"), [
    ("urn:uuid:6c5a1f0e-9f6e-4b4a-8d1e-2f3c4b5a6d7e", None),
    ("6c5a1f0e-9f6e-4b4a-8d1e-2f3c4b5a6d7e", None),
    ("https://badges.example.org/assertions/3f2c", None),
    ("did:example:123", None),
    (None, None),
    ("CERT-2025-00042", "CERT-2025-00042"),
])
def test_cert_id_only_when_meaningful_to_a_person(credential_id: str | None,
                                                  expected: str | None) -> None:
    q = _single(_query(links.linkedin_add_to_profile(sample_info(credential_id=credential_id))))
    assert q.get("certId") == expected


def test_feed_x_facebook_keep_page_url_with_query_and_fragment() -> None:
    info = sample_info(name=HOSTILE, issuer_name=ISSUER, page_url=PAGE)
    feed = links.linkedin_feed(PAGE)
    assert feed.startswith("https://www.linkedin.com/sharing/share-offsite/?")
    assert _single(_query(feed)) == {"url": PAGE}
    fb = links.facebook(PAGE)
    assert urlsplit(fb)[:3] == ("https", "www.facebook.com", "/sharer/sharer.php")
    assert _single(_query(fb)) == {"u": PAGE}
    x = _single(_query(links.x_post(info, PAGE)))
    assert x["url"] == PAGE
    assert x["text"] == f"I earned \u201c{HOSTILE}\u201d from {ISSUER} (example.org)"


def test_x_text_fits_one_post_and_admits_state() -> None:
    info = sample_info(Verdict.REVOKED, name="Very long name " * 40)
    text = _single(_query(links.x_post(info, PAGE)))["text"]
    assert len(text) + 1 + 23 <= 280
    assert text.endswith("\u2026")
    short = _single(_query(links.x_post(sample_info(Verdict.REVOKED), PAGE)))["text"]
    assert short.endswith("(revoked)")


def test_email_uses_percent_twenty_and_round_trips() -> None:
    info = sample_info(name=HOSTILE, issuer_name=ISSUER, page_url=PAGE)
    url = links.email(info, PAGE)
    assert url.startswith("mailto:?")
    assert "%20" in url and "+" not in url and "%0A" in url
    q = _single(parse_qs(url[len("mailto:?"):], strict_parsing=True))
    assert q["subject"] == f"{HOSTILE} \u2014 {ISSUER} (example.org)"
    assert q["body"].splitlines() == [f"I earned \u201c{HOSTILE}\u201d from {ISSUER} "
                                      "(example.org).",
                                      f"See and verify it: {PAGE}"]


def test_share_panel_without_absolute_url_keeps_only_links_that_work() -> None:
    assert [lk.id for lk in links.share_links(sample_info(page_url=None))] == [
        "linkedin-add", "email"]
    assert [lk.id for lk in links.share_links(sample_info())] == [
        "linkedin-add", "linkedin-feed", "x", "facebook", "email"]
