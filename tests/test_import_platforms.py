"""Badge page URL → JSON endpoint rewrites (import.md §8 B), without any network."""

from __future__ import annotations

import pytest

from portfolio_gen.errors import ImportRefused
from portfolio_gen.importer.platforms import rewrite

UUID = "0b9d7c2a-54f1-4e0e-8a77-3c2b1d0e9f11"
CREDLY_API = f"https://api.credly.com/v1/obi/v2/badge_assertions/{UUID}"


@pytest.mark.parametrize("page", [
    f"https://www.credly.com/badges/{UUID}", f"https://credly.com/badges/{UUID}/public_url",
    f"https://www.credly.com/badges/{UUID}/linked_in_profile",
    f"https://www.credly.com/badges/{UUID}/embedded",
    f"https://www.credly.com/embedded_badge/{UUID}",
    f"https://www.credly.com/earner/earned/badge/{UUID}",
    f"https://www.youracclaim.com/badges/{UUID.upper()}"])
def test_every_credly_form_gives_the_same_assertion_url(page: str) -> None:
    assert rewrite(page).url == CREDLY_API


@pytest.mark.parametrize(("page", "said"), [
    ("https://www.credly.com/org/acme/badge/robotics", "description, not your award"),
    ("https://www.credly.com/users/ada", "/badges/<long id>"),
    ("https://www.linkedin.com/in/ada/details/certifications/", "Show credential"),
    ("ftp://example.org/badge.json", "not a web address")])
def test_pages_that_are_not_awards_are_refused_with_advice(page: str, said: str) -> None:
    with pytest.raises(ImportRefused, match=said.replace("(", r"\(")):
        rewrite(page)


@pytest.mark.parametrize(("page", "target"), [
    ("https://badgr.com/public/assertions/AbC_1?identity__email=a%40b.org&action=download",
     "https://badgr.com/public/assertions/AbC_1.json"),
    ("https://api.eu.badgr.com/public/assertions/AbC_1.json?v=1_1&embedVersion=2",
     "https://api.eu.badgr.com/public/assertions/AbC_1.json?v=1_1"),
    ("https://badges.parchment.com/public/assertions/xyz/",
     "https://badges.parchment.com/public/assertions/xyz.json"),
    ("https://badgr.com/public/collections/h4sh",
     "https://badgr.com/public/collections/h4sh.json?expand=badges.badge&"
     "expand=badges.badge.issuer"),
    (f"https://www.credential.net/{UUID}",
     f"https://api.accredible.com/v1/obi/badge_assertions/{UUID}"),
    ("https://openbadgefactory.com/v1/assertion/" + "ab" * 20 + ".html",
     "https://openbadgefactory.com/v1/assertion/" + "ab" * 20),
    ("https://openbadgepassport.com/app/badge/info/12345",
     "https://openbadgepassport.com/obpv1/p/badge/info/12345"),
    (f"https://verifierplus.org/credentials/{UUID}",
     f"https://verifierplus.org/api/credentials/{UUID}"),
    ("https://verifierplus.org/#verify?vc=https%3A%2F%2Fissuer.example%2Fvc.json",
     "https://issuer.example/vc.json"),
    ("https://issuer.example/assertions/1#top", "https://issuer.example/assertions/1")])
def test_platform_pages_map_to_their_json(page: str, target: str) -> None:
    assert rewrite(page).url == target
