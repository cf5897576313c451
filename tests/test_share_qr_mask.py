"""The numpy mask choice in share.qr must be exactly segno's own: same scores, same mask, same
matrix and the same SVG drawing bytes. segno (unpatched, or with its scorer wrapped only to record
what it computed) is the oracle."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import segno
import segno.encoder

from portfolio_gen.share import qr


def _urls() -> list[str]:
    """~360 deterministic URLs: QR versions 1 to 15, query strings, percent-encoded and raw
    non-ASCII paths."""
    rng = random.Random(20240518)
    words = ["data", "learning", "web-dev", "caf%C3%A9", "na%C3%AFve", "%E5%AD%A6%E7%BF%92",
             "first-aid", "python-3", "badge", "capstone", "r%C3%A9sum%C3%A9", "x"]
    raw = ["café", "学習", "ŽluťoučkýKůň", "naïve", "Ærø", "😀"]
    urls = ["http://a.b/", "https://x.io", "HTTPS://EX.ORG/A1", "https://a.b/?q=1"]
    for i in range(380):
        host = rng.choice(["careers.example.edu", "learner.example.net", "e.co"])
        depth = rng.randint(0, 3 + i // 12)
        path = "/".join(rng.choice(words) + (str(rng.randint(0, 999)) if rng.random() < 0.5
                                              else "") for _ in range(depth))
        url = f"https://{host}/{path}"
        if i % 3 == 0:
            url += "/"
        if i % 4 == 1:
            url += "?" + "&".join(f"{rng.choice(words)}={rng.randint(0, 10**rng.randint(1, 9))}"
                                  for _ in range(rng.randint(1, 2 + i // 40)))
        if i % 7 == 2:
            url += "/" + rng.choice(raw)
        if i % 11 == 3:
            url += "#" + rng.choice(words)
        urls.append(url)
    urls += [f"https://careers.example.edu/showcase/learners/firstname-lastname-{i}/credentials/"
             f"some-credential-slug-{i * 37}/" for i in range(20)]
    return list(dict.fromkeys(urls))


URLS = _urls()
ENCODER: Any = segno.encoder  # segno's internal encoder: the reference scorer


def _segno_reference(url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[Any]]:
    """segno's own code for ``url`` and, in mask order, each (matrix, score) it evaluated."""
    seen: list[Any] = []
    real: Callable[..., int] = ENCODER.evaluate_mask

    def recording(matrix: Any, width: int, height: int) -> int:
        score = real(matrix, width, height)
        seen.append((np.array([list(row) for row in matrix], dtype=np.uint8), score))
        return score

    with monkeypatch.context() as patch:
        patch.setattr(segno.encoder, "evaluate_mask", recording)
        code = segno.make(url, error="m", micro=False, boost_error=False)
    return code, seen


def _segno_body(code: Any) -> str:
    """segno's own SVG of ``code`` at scale 1 in a viewBox, untitled: what share.qr draws."""
    out = io.BytesIO()
    code.save(out, kind="svg", scale=1, border=4, xmldecl=False, nl=False, omitsize=True,
              svgclass="portfolio-qr", lineclass=None, dark="#000000", light="#ffffff")
    return out.getvalue().decode("utf-8")


def test_corpus_is_varied() -> None:
    versions = {segno.make(u, error="m", micro=False, boost_error=False, mask=0).version
                for u in URLS}
    assert set(range(1, 11)) <= versions, sorted(versions)
    assert len(URLS) >= 300 and len(set(URLS)) == len(URLS)


def test_mask_scores_matrix_and_svg_match_segno(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen: list[int] = []
    ties = 0
    for url in URLS:
        expected, seen = _segno_reference(url, monkeypatch)
        assert len(seen) == 8
        probe = segno.make(url, error="m", micro=False, boost_error=False, mask=qr._PROBE_MASK)
        candidates = qr._candidates(qr._matrix(probe))
        # The 8 matrices segno scores (masked, before format/version info) and their scores.
        for k, (matrix, _) in enumerate(seen):
            assert np.array_equal(candidates[k], matrix), (url, k)
        ours = [sum(p) for p in qr._penalties(candidates)]
        assert ours == [score for _, score in seen], url
        ties += ours.count(min(ours)) > 1
        code = qr._code.__wrapped__(url)
        assert code.mask == expected.mask, url
        assert code.version == expected.version and code.error == expected.error
        assert code.matrix == expected.matrix, url
        body = _segno_body(expected)
        assert qr.svg_body(url) == body, url
        # the page's variant: segno's drawing after the added size and title
        assert qr.qr_svg(url).endswith(body[body.index(">") + 1:]), url
        chosen.append(code.mask)
    # Both paths run: the probe build kept, and a second build with another mask.
    assert set(chosen) == set(range(8)), sorted(set(chosen))
    assert ties > 0  # tie-breaking (first mask wins) is exercised


def _lines(rng: random.Random, size: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """Rows rich in 1:1:3:1:1 patterns, chained and overlapping, near edges and light runs."""
    pieces = ["1011101", "0000", "1011", "101", "0", "1", "11111", "000000",
              "10111011101", "1011101011101", "00001011101", "10111010000"]
    rows = []
    for _ in range(size):
        s = ""
        while len(s) < size:
            s += rng.choice(pieces)
        rows.append([int(c) for c in s[:size]])
    return np.array(rows, dtype=np.uint8)


@pytest.mark.parametrize("seed", range(40))
def test_penalty_components_match_segno_on_hard_matrices(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.choice([21, 25, 29, 33, 41, 45, 57, 77])
    batch = [_lines(rng, size), _lines(rng, size).T.copy(),
             (np.random.default_rng(seed).random((size, size)) < rng.random()).astype(np.uint8)]
    ours = qr._penalties(np.stack(batch))
    for matrix, scores in zip(batch, ours, strict=True):
        rows = tuple(bytearray(r) for r in matrix.tolist())
        assert scores == tuple(ENCODER.mask_scores(rows, size, size))


def test_the_hard_matrices_exercise_segnos_n3_details() -> None:
    """A plain reading of N3 (count every pattern; require 4 light modules inside the symbol)
    scores these differently from segno, so the test above checks those details."""
    def plain(line: list[int], edge_is_light: bool) -> int:
        s, n, count = "".join(map(str, line)), len(line), 0
        for p in range(n - 6):
            if s[p:p + 7] != "1011101":
                continue
            before = s[max(p - 4, 0):p] if edge_is_light or p >= 4 else "1"
            after = s[p + 7:p + 11] if edge_is_light or p + 11 <= n else "1"
            count += 40 * ("1" not in before or "1" not in after)
        return count

    overlap = edge = 0
    for seed in range(40):
        rng = random.Random(seed)
        size = rng.choice([21, 25, 29, 33, 41, 45, 57, 77])
        matrix = _lines(rng, size)
        lines = matrix.tolist() + matrix.T.tolist()
        n3 = qr._penalties(matrix[None])[0][2]
        overlap += n3 != sum(plain(line, True) for line in lines)
        edge += n3 != sum(plain(line, False) for line in lines)
    assert overlap > 0 and edge > 0
