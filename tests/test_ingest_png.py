"""Baked PNG badges: chunk walking, keyword rules and hostile files (verification.md §3, §7.8)."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from portfolio_gen.encoding import b64url_encode
from portfolio_gen.ingest import Container, IngestProblem, Kind, RawCredential, read_file
from portfolio_gen.testing.bake import bake_png, insert_after_ihdr, itxt_chunk, make_png, png_chunk
from portfolio_gen.verify.crypto import verify_raw

OB2 = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                  "id": "https://issuer.example/a/1", "recipient": {"identity": "x"},
                  "badge": "https://issuer.example/b/1", "verification": {"type": "hosted"}})
OB3 = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential", "OpenBadgeCredential"],
                  "credentialSubject": {"name": "Zoë ✓"}}, ensure_ascii=False)
IMAGE = make_png(16, 16)


def _read(tmp_path: Path, data: bytes, name: str = "badge.png") -> RawCredential | IngestProblem:
    path = tmp_path / name
    path.write_bytes(data)
    [item] = read_file(path)
    return item


def _ok(tmp_path: Path, data: bytes, name: str = "badge.png") -> RawCredential:
    item = _read(tmp_path, data, name)
    assert isinstance(item, RawCredential), item
    return item


def _problem(tmp_path: Path, data: bytes) -> IngestProblem:
    item = _read(tmp_path, data)
    assert isinstance(item, IngestProblem), item
    assert item.container == "png"
    return item


def test_baked_png_is_still_an_image() -> None:
    baked = bake_png(IMAGE, OB3, "openbadgecredential")
    with Image.open(io.BytesIO(baked)) as image:
        image.load()
        assert image.size == (16, 16)
        assert image.info.get("openbadgecredential") == OB3


@pytest.mark.parametrize(("text", "keyword", "kind"), [
    (OB2, "openbadges", Kind.OB2_ASSERTION),
    (OB3, "openbadgecredential", Kind.OB3_CREDENTIAL),
    ("https://issuer.example/a/1", "openbadges", Kind.OB2_HOSTED_URL),
])
def test_baked_json_and_url(tmp_path: Path, text: str, keyword: str, kind: Kind) -> None:
    baked = bake_png(IMAGE, text, keyword)
    item = _ok(tmp_path, baked)
    assert (item.container, item.kind) == (Container.PNG, kind)
    assert item.payload == text.encode("utf-8")
    assert item.file_bytes == baked
    if kind is Kind.OB2_HOSTED_URL:
        assert item.url == text


def test_baked_vc_jwt_keeps_signing_input(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    head = b64url_encode(b'{"alg":"EdDSA"}')
    body = b64url_encode(json.dumps({"vc": json.loads(OB3), "iss": "did:x"}).encode())
    jws = f"{head}.{body}.{b64url_encode(key.sign(f'{head}.{body}'.encode()))}"
    item = _ok(tmp_path, bake_png(IMAGE, jws, "openbadgecredential"))
    assert (item.container, item.kind) == (Container.PNG, Kind.OB3_JWT)
    assert item.jws is not None
    assert verify_raw(key.public_key(), item.jws.signing_input, item.jws.signature)


def test_ob3_keyword_wins_over_ob2(tmp_path: Path) -> None:
    baked = insert_after_ihdr(IMAGE, itxt_chunk("openbadges", OB2),
                              itxt_chunk("openbadgecredential", OB3))
    assert _ok(tmp_path, baked).kind is Kind.OB3_CREDENTIAL


def test_itxt_with_language_and_translated_keyword(tmp_path: Path) -> None:
    chunk = png_chunk(b"iTXt", b"openbadges\0\0\0en-GB\0Open Badges\0" + OB2.encode())
    item = _ok(tmp_path, insert_after_ihdr(IMAGE, chunk))
    assert item.payload == OB2.encode()


def test_legacy_text_chunk_with_hosted_url(tmp_path: Path) -> None:
    url = "http://issuer.example/assertions/legacy.json"
    chunk = png_chunk(b"tEXt", b"openbadges\0" + url.encode())
    item = _ok(tmp_path, insert_after_ihdr(IMAGE, chunk))
    assert (item.container, item.kind, item.url) == (Container.PNG, Kind.OB2_HOSTED_URL, url)


def test_itxt_wins_over_legacy_text(tmp_path: Path) -> None:
    baked = insert_after_ihdr(IMAGE, png_chunk(b"tEXt", b"openbadges\0https://x.example/1"),
                              itxt_chunk("openbadges", OB2))
    assert _ok(tmp_path, baked).kind is Kind.OB2_ASSERTION


def test_detected_by_content_not_extension(tmp_path: Path) -> None:
    item = _ok(tmp_path, bake_png(IMAGE, OB2), name="assertion.json")
    assert item.container is Container.PNG
    as_json = _ok(tmp_path, OB3.encode(), name="badge.png")
    assert (as_json.container, as_json.kind) == (Container.JSON, Kind.OB3_CREDENTIAL)


def test_png_without_badge(tmp_path: Path) -> None:
    problem = _problem(tmp_path, IMAGE)
    assert (problem.code, problem.unsupported) == ("no_badge", True)
    assert "without a baked badge" in problem.reason


def test_keyword_is_exact(tmp_path: Path) -> None:
    baked = insert_after_ihdr(IMAGE, itxt_chunk("OpenBadges", OB2), itxt_chunk("openbadges2", OB2))
    assert _problem(tmp_path, baked).code == "no_badge"


def test_duplicate_badge_chunks(tmp_path: Path) -> None:
    baked = insert_after_ihdr(IMAGE, itxt_chunk("openbadges", OB2), itxt_chunk("openbadges", OB2))
    problem = _problem(tmp_path, baked)
    assert problem.code == "duplicate"
    assert "openbadges" in problem.reason


def test_compressed_itxt_is_never_decompressed(tmp_path: Path) -> None:
    # ~20 MB of zeros compress to ~20 kB: a decompression bomb if anyone inflated it.
    bomb = zlib.compress(b"\0" * (20 * 1024 * 1024), 9)
    chunk = png_chunk(b"iTXt", b"openbadgecredential\0\1\0\0\0" + bomb)
    problem = _problem(tmp_path, insert_after_ihdr(IMAGE, chunk))
    assert (problem.code, problem.unsupported) == ("png_compressed_badge", True)
    assert "compressed iTXt" in problem.reason


def test_compressed_itxt_is_ignored_next_to_a_plain_one(tmp_path: Path) -> None:
    baked = insert_after_ihdr(IMAGE, itxt_chunk("openbadges", '{"decoy": 1}', compressed=True),
                              itxt_chunk("openbadges", OB2))
    item = _ok(tmp_path, baked)
    assert item.payload == OB2.encode()


def test_ztxt_is_never_decompressed(tmp_path: Path) -> None:
    chunk = png_chunk(b"zTXt", b"openbadges\0\0" + zlib.compress(OB2.encode()))
    problem = _problem(tmp_path, insert_after_ihdr(IMAGE, chunk))
    assert problem.code == "png_compressed_badge"
    assert "zTXt" in problem.reason


@pytest.mark.parametrize("cut", [8, 20, 40, -13, -1])
def test_truncated_png(tmp_path: Path, cut: int) -> None:
    baked = bake_png(IMAGE, OB2)
    problem = _problem(tmp_path, baked[:cut])
    assert problem.code == "png_truncated"
    assert "truncated" in problem.reason


def test_bad_crc(tmp_path: Path) -> None:
    baked = bytearray(bake_png(IMAGE, OB2))
    at = baked.index(b"openbadges") + 20  # inside the badge text
    baked[at] ^= 0x01
    problem = _problem(tmp_path, bytes(baked))
    assert problem.code == "png_bad_crc"
    assert "iTXt" in problem.reason


def test_bad_crc_in_image_data_is_also_refused(tmp_path: Path) -> None:
    baked = bytearray(bake_png(IMAGE, OB2))
    at = baked.index(b"IDAT") + 6
    baked[at] ^= 0xFF
    assert _problem(tmp_path, bytes(baked)).code == "png_bad_crc"


@pytest.mark.parametrize(("ctype", "length", "code"), [
    (b"abCd", 2**31 - 1, "png_truncated"),  # allowed by the format, but the file ends first
    (b"tEXt", 2**31 - 1, "too_large"),      # a text chunk we would read is capped first
    (b"abCd", 2**31, "png_malformed"),      # beyond the format's maximum
    (b"iTXt", 2**32 - 1, "png_malformed"),
])
def test_absurd_chunk_length(tmp_path: Path, ctype: bytes, length: int, code: str) -> None:
    chunk = struct.pack(">I", length) + ctype + b"openbadges\0x" + b"\0\0\0\0"
    problem = _problem(tmp_path, insert_after_ihdr(IMAGE, chunk))
    assert problem.code == code


def test_oversized_text_chunk(tmp_path: Path) -> None:
    chunk = itxt_chunk("openbadges", " " * (4 * 1024 * 1024 + 1))
    problem = _problem(tmp_path, insert_after_ihdr(IMAGE, chunk))
    assert problem.code == "too_large"


def test_oversized_png(tmp_path: Path) -> None:
    filler = png_chunk(b"abCd", b"\0" * (21 * 1024 * 1024))
    assert _problem(tmp_path, insert_after_ihdr(IMAGE, filler)).code == "too_large"


def test_too_many_chunks(tmp_path: Path) -> None:
    filler = png_chunk(b"abCd", b"") * 100_001
    problem = _problem(tmp_path, insert_after_ihdr(IMAGE, filler))
    assert problem.code == "png_malformed"
    assert "100000 chunks" in problem.reason


def test_ihdr_must_come_first(tmp_path: Path) -> None:
    data = IMAGE[:8] + itxt_chunk("openbadges", OB2) + IMAGE[8:]
    assert _problem(tmp_path, data).code == "png_malformed"


def test_nothing_after_iend_is_read(tmp_path: Path) -> None:
    after = IMAGE + itxt_chunk("openbadges", OB2) + b"trailing garbage"
    assert _problem(tmp_path, after).code == "no_badge"


@pytest.mark.parametrize(("text", "code"), [
    (b"\xff\xfe{}", "unknown_format"),
    (b'{"a": "\xff"}', "not_utf8"),
    (b'{"a": 1, "a": 1}', "json_duplicate_key"),
    (b"", "empty"),
])
def test_bad_badge_text(tmp_path: Path, text: bytes, code: str) -> None:
    chunk = png_chunk(b"iTXt", b"openbadges\0\0\0\0\0" + text)
    problem = _problem(tmp_path, insert_after_ihdr(IMAGE, chunk))
    assert problem.code == code
    assert "PNG iTXt chunk 'openbadges'" in problem.reason


def test_without_text_chunks_gives_every_holder_the_same_image() -> None:
    """Two learners' baked copies of one badge differ only in the baked assertion; without
    the text chunks they are the same bytes, decode to the same pixels, and keep no
    assertion (the renderers key and draw on these bytes)."""
    import io

    from PIL import Image

    from portfolio_gen.ingest.png import iter_chunks, without_text_chunks
    from portfolio_gen.testing.bake import bake_png, make_png

    image = make_png(48, 48)
    ada = bake_png(image, '{"recipient": "ada@example.org"}')
    bob = bake_png(image, '{"recipient": "bob@example.org"}', keyword="openbadgecredential")
    assert ada != bob
    clean_ada, clean_bob = without_text_chunks(ada), without_text_chunks(bob)
    assert clean_ada == clean_bob
    assert b"example.org" not in clean_ada
    assert [t for t, _ in iter_chunks(clean_ada)] == [t for t, _ in iter_chunks(image)]
    with Image.open(io.BytesIO(ada)) as a, Image.open(io.BytesIO(clean_ada)) as c:
        assert a.convert("RGBA").tobytes() == c.convert("RGBA").tobytes()
    broken = ada[:-20]
    assert without_text_chunks(broken) == broken      # unparseable: left as it was
