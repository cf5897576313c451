"""RFC 3987 IRIs, blank node labels and RFC 5646 language tags (the data-loss check's rules)."""

from __future__ import annotations

import pytest

from portfolio_gen.verify.ob3.iri import is_absolute_iri, is_blank_node, is_language_tag


@pytest.mark.parametrize("iri", [
    "urn:uuid:7f4c1e2a-1111-4c8e-9d7a-0d7a1b2c3d4e", "did:key:z6Mkabc#z6Mkabc",
    "did:web:learner.example%3A8443:u:ana", "https://example.org/a%20b?x=1&y#frag",
    "https://[::1]:8443/x", "data:image/png;base64,iVBOR+/=", "mailto:ana@example.org",
    "https://example.org/réussite", "http://a", "urn:x-dropped:foo",
    "https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "did:example:ebfeb1f712ebc6f1c276e12ec21",
    "https://user:pw@example.org:8080/p/a;b=c/", "tag:example.org,2024:x"])
def test_well_formed_absolute_iris(iri: str) -> None:
    assert is_absolute_iri(iri)


@pytest.mark.parametrize("iri", [
    "urn:r x", "http://a b", "urn:a>", "relative", "1a:b", "https://x/%zz", "https://x/%2",
    "https://x/a<b", 'urn:a"b', "https://x/{a}", "urn:a\nb", "", "https://x/a|b",
    "https://x/a\\b", "https://x/a^b", "https://x/a`b", "urn:a\u0000",
    "urn:a\u00a0b", "urn:a\u2028b", "urn:a\u3000b",   # whitespace pyld drops, RFC 3987 not
    "_:b0", "urn:a b", ":nothing"])
def test_malformed_or_relative_iris(iri: str) -> None:
    assert not is_absolute_iri(iri)


def test_blank_node_labels() -> None:
    assert is_blank_node("_:b0") and is_blank_node("_:c14n-1.x")
    for bad in ("_:", "_:b 0", "_:a.", "b0", "_:a>b"):
        assert not is_blank_node(bad), bad


@pytest.mark.parametrize("tag", ["en", "en-US", "zh-Hant-TW", "x-klingon", "i-klingon",
                                 "de-CH-1901", "sgn-BE-FR", "en-a-bbb-x-a-ccc", "es-419",
                                 "EN-gb"])
def test_well_formed_language_tags(tag: str) -> None:
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["en US", "en_US", "", "en-", "a", "toolongxx", "en-US-",
                                 "e1", "en--US", "en-US\n"])
def test_malformed_language_tags(tag: str) -> None:
    assert not is_language_tag(tag)
