"""Baked SVG badges: namespace matching and hostile XML (verification.md §3, §7.7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portfolio_gen.encoding import b64url_encode
from portfolio_gen.ingest import Container, IngestProblem, Kind, RawCredential, read_file
from portfolio_gen.testing.bake import OB2_SVG_NS, OB3_SVG_NS, bake_svg, make_svg
from portfolio_gen.verify.crypto import verify_raw

KEY = Ed25519PrivateKey.generate()
OB2_DOC = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
           "id": "https://issuer.example/a/1", "recipient": {"identity": "x"},
           "badge": "https://issuer.example/b/1", "verification": {"type": "hosted"}}
OB3_DOC = {"@context": ["https://www.w3.org/ns/credentials/v2"],
           "type": ["VerifiableCredential", "OpenBadgeCredential"],
           "credentialSubject": {"narrative": "a <b> & c ]]> d"}}
OB2 = json.dumps(OB2_DOC)
OB3 = json.dumps(OB3_DOC)
PUBLIC_DOCTYPE = ('<?xml version="1.0" encoding="utf-8"?>\r\n<!DOCTYPE svg PUBLIC '
                  '"-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\r\n')


def _sign(claims: dict[str, object]) -> str:
    head = b64url_encode(b'{"alg":"EdDSA"}')
    body = b64url_encode(json.dumps(claims).encode())
    return f"{head}.{body}.{b64url_encode(KEY.sign(f'{head}.{body}'.encode()))}"


def _read(tmp_path: Path, text: str, name: str = "badge.svg") -> RawCredential | IngestProblem:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [item] = read_file(path)
    return item


def _ok(tmp_path: Path, text: str, name: str = "badge.svg") -> RawCredential:
    item = _read(tmp_path, text, name)
    assert isinstance(item, RawCredential), item
    assert item.container is Container.SVG
    assert item.file_bytes == text.encode("utf-8")
    return item


def _problem(tmp_path: Path, text: str) -> IngestProblem:
    item = _read(tmp_path, text)
    assert isinstance(item, IngestProblem), item
    assert item.container == "svg"
    return item


def test_ob3_json_in_cdata(tmp_path: Path) -> None:
    item = _ok(tmp_path, PUBLIC_DOCTYPE + bake_svg(None, credential_json=OB3, ob3=True))
    assert item.kind is Kind.OB3_CREDENTIAL
    assert item.document == OB3_DOC
    assert item.payload == OB3.encode()


def test_ob3_vc_jwt_in_verify(tmp_path: Path) -> None:
    jws = _sign({"vc": OB3_DOC})
    item = _ok(tmp_path, bake_svg(make_svg(), jws=jws, ob3=True))
    assert item.kind is Kind.OB3_JWT
    assert item.jws is not None and item.jws.text == jws
    assert verify_raw(KEY.public_key(), item.jws.signing_input, item.jws.signature)


def test_ob2_signed(tmp_path: Path) -> None:
    item = _ok(tmp_path, bake_svg(None, jws=_sign(OB2_DOC), ob3=False))
    assert item.kind is Kind.OB2_SIGNED


def test_ob2_hosted_url_only(tmp_path: Path) -> None:
    item = _ok(tmp_path, bake_svg(None, url="https://issuer.example/a/1", ob3=False))
    assert (item.kind, item.url) == (Kind.OB2_HOSTED_URL, "https://issuer.example/a/1")


def test_ob2_hosted_url_with_json_body(tmp_path: Path) -> None:
    item = _ok(tmp_path, bake_svg(None, url="https://issuer.example/a/1", credential_json=OB2,
                                  ob3=False))
    assert (item.kind, item.url) == (Kind.OB2_ASSERTION, "https://issuer.example/a/1")
    assert item.document == OB2_DOC


def test_matched_by_namespace_not_prefix(tmp_path: Path) -> None:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="{OB3_SVG_NS}">'
           f"<ob:credential><![CDATA[{OB3.replace(']]>', ']]]]><![CDATA[>')}]]></ob:credential>"
           "</svg>")
    assert _ok(tmp_path, svg).kind is Kind.OB3_CREDENTIAL
    default_ns = (f'<svg xmlns="http://www.w3.org/2000/svg"><assertion xmlns="{OB2_SVG_NS}" '
                  'verify="https://issuer.example/a/2"/></svg>')
    assert _ok(tmp_path, default_ns).url == "https://issuer.example/a/2"


def test_right_prefix_wrong_namespace_is_no_badge(tmp_path: Path) -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://example.org/x">'
           f"<openbadges:credential><![CDATA[{json.dumps(OB2_DOC)}]]></openbadges:credential>"
           "</svg>")
    problem = _problem(tmp_path, svg)
    assert (problem.code, problem.unsupported) == ("no_badge", True)


def test_first_element_wins_and_ob3_before_ob2(tmp_path: Path) -> None:
    svg = bake_svg(None, url="https://issuer.example/a/1", ob3=False)
    svg = bake_svg(svg, credential_json=OB3, ob3=True)
    svg = bake_svg(svg, jws=_sign({"vc": OB3_DOC}), ob3=True)
    assert _ok(tmp_path, svg).kind is Kind.OB3_JWT


def test_svg_detected_by_content(tmp_path: Path) -> None:
    text = PUBLIC_DOCTYPE + bake_svg(None, credential_json=OB3, ob3=True)
    assert _ok(tmp_path, text, name="badge.xml").kind is Kind.OB3_CREDENTIAL
    assert _ok(tmp_path, text, name="badge.png").kind is Kind.OB3_CREDENTIAL


def test_svg_without_badge(tmp_path: Path) -> None:
    problem = _problem(tmp_path, PUBLIC_DOCTYPE + make_svg())
    assert (problem.code, problem.unsupported) == ("no_badge", True)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
<openbadges:assertion verify="https://issuer.example/a/1">&lol9;</openbadges:assertion></svg>
"""


def test_billion_laughs(tmp_path: Path) -> None:
    problem = _problem(tmp_path, BILLION_LAUGHS)
    assert problem.code == "xml_entities_forbidden"
    assert "entities" in problem.reason


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE svg [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
])
def test_external_entity_is_not_read(tmp_path: Path, doctype: str) -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
           '<openbadges:assertion verify="https://issuer.example/a/1">&xxe;'
           "</openbadges:assertion></svg>")
    problem = _problem(tmp_path, '<?xml version="1.0"?>\n' + doctype + "\n" + svg)
    assert problem.code in ("xml_entities_forbidden", "xml_external_reference")
    assert "root:" not in problem.reason


def test_external_dtd_subset_is_not_loaded(tmp_path: Path) -> None:
    text = ('<?xml version="1.0"?>\n<!DOCTYPE svg SYSTEM "file:///etc/passwd">\n'
            + bake_svg(None, credential_json=OB3, ob3=True))
    item = _ok(tmp_path, text)
    assert b"root:" not in item.payload


@pytest.mark.parametrize(("text", "code"), [
    ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "xml_malformed"),
    ("<html><body>hello</body></html>", "unknown_format"),
    (bake_svg(None, url="ftp://issuer.example/a", ob3=False), "svg_bad_verify"),
    (f'<svg xmlns="http://www.w3.org/2000/svg"><credential xmlns="{OB3_SVG_NS}" '
     'verify="https://issuer.example/a/1"/></svg>', "svg_bad_verify"),
    (f'<svg xmlns="http://www.w3.org/2000/svg"><c xmlns="{OB3_SVG_NS}">'
     f'</c><credential xmlns="{OB3_SVG_NS}">  </credential></svg>', "empty"),
    (bake_svg(None, credential_json="[1, 2]", ob3=True), "json_not_object"),
    (bake_svg(None, credential_json='{"x": NaN}', ob3=True), "json_malformed"),
])
def test_bad_svg(tmp_path: Path, text: str, code: str) -> None:
    assert _problem(tmp_path, text).code == code


def test_huge_svg(tmp_path: Path) -> None:
    filler = "<!--" + "x" * (5 * 1024 * 1024) + "-->"
    svg = bake_svg(None, credential_json=OB3, ob3=True).replace("</svg>", filler + "</svg>")
    assert _problem(tmp_path, svg).code == "too_large"
