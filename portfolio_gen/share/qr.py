"""QR code of a credential page as SVG (segno), for the page and its print view.

segno's output is deterministic; the title makes the code accessible (it names what the code
opens), and the SVG is sized in CSS pixels for print. Each URL's QR is shown twice (credential
page at scale 4, printable summary at scale 2, with different titles), so segno's SVG writer
runs once per URL, at scale 1 in a viewBox, and each variant adds its size and title to that.

segno picks the data mask in pure Python (8 masked matrices, each scored), which dominated a
cohort build. We score all 8 masks at once with numpy, mirroring segno's rules and tie-break
exactly, then have segno build the code with that mask: the matrix is segno's own.
"""

from __future__ import annotations

import functools
import html
import importlib
import io
import re

import numpy as np
import segno
from numpy.typing import NDArray

# Mask of the first build, from which the unmasked data is recovered; segno picks mask 2 for
# about half of our URLs, and then that build is the result.
_PROBE_MASK = 2
_N3_PATTERN = 0b1011101  # dark:light:dark dark dark:light:dark, 1:1:3:1:1
_BORDER = 4  # quiet zone, in modules
_SVG_CLASS = "portfolio-qr"


@functools.lru_cache(maxsize=64)
def _layout(size: int) -> tuple[NDArray[np.bool_], NDArray[np.uint8]]:
    """(encoding region, module values outside it) of a ``size``-wide QR code, as segno scores
    masks: function patterns drawn, format and version areas (and the dark module) still 0.

    Uses segno internals, exactly as ``segno.encoder.find_and_apply_best_mask`` does; checked
    against segno 1.6.x (1.6.6), tests compare every chosen mask with segno's own.
    """
    enc = importlib.import_module("segno.encoder")
    matrix = enc.make_matrix(size, size)
    enc.add_finder_patterns(matrix, size, size)
    enc.add_alignment_patterns(matrix, size, size)
    values = np.frombuffer(b"".join(matrix), dtype=np.uint8).reshape(size, size)
    region = values > 1  # 0x2: not yet written, i.e. the encoding region
    region[-8, 8] = False  # the dark module (segno marks it as a function pattern)
    return region, np.where(region, 0, values).astype(np.uint8)


@functools.lru_cache(maxsize=64)
def _masks(size: int) -> NDArray[np.uint8]:
    """The 8 QR data masks (ISO/IEC 18004 table 10) restricted to the encoding region."""
    i, j = np.indices((size, size))
    ij = i * j
    masks = np.stack([
        (i + j) % 2 == 0,
        i % 2 == 0,
        j % 3 == 0,
        (i + j) % 3 == 0,
        (i // 2 + j // 3) % 2 == 0,
        ij % 2 + ij % 3 == 0,
        (ij % 2 + ij % 3) % 2 == 0,
        ((i + j) % 2 + ij % 3) % 2 == 0,
    ])
    return (masks & _layout(size)[0]).astype(np.uint8)


def _n3_hits(lines: NDArray[np.uint8]) -> NDArray[np.intp]:
    """Finder-like patterns counted per mask, as segno's scan counts them.

    ``lines`` is (mask, line, module). A 1:1:3:1:1 run counts if the 4 modules before or after
    it are light (past the symbol edge counts as light). segno scans left to right and resumes
    after a counted pattern, so a pattern overlapping a counted one (4 or 6 modules on) is
    skipped.
    """
    n = lines.shape[-1]
    word = lines[..., : n - 6] << 6  # the 7 modules from p as a 7-bit number
    for t in range(1, 7):
        word |= lines[..., t : n - 6 + t] << (6 - t)
    match = word == _N3_PATTERN
    if not match.any():
        return np.zeros(lines.shape[0], dtype=np.intp)
    padded = np.pad(lines, ((0, 0), (0, 0), (4, 4)))
    dark4 = padded[..., :-3] | padded[..., 1:-2] | padded[..., 2:-1] | padded[..., 3:]
    # dark4[q]: a dark module in line[q-4 .. q-1]; before p is q = p, after p is q = p + 11
    qualifies = match & ~(dark4[..., : n - 6] & dark4[..., 11:])
    counted = qualifies
    while True:  # usually one pass; each pass settles one more overlapping pattern
        hidden = np.zeros_like(counted)
        hidden[..., 4:] = counted[..., :-4]
        hidden[..., 6:] |= counted[..., :-6]
        now = qualifies & ~hidden
        if np.array_equal(now, counted):
            break
        counted = now
    hits: NDArray[np.intp] = np.count_nonzero(counted, axis=(1, 2))
    return hits


def _penalties(m: NDArray[np.uint8]) -> list[tuple[int, int, int, int]]:
    """segno's penalty scores (N1, N2, N3, N4) of each square matrix in ``m`` (k, n, n)."""
    size = m.shape[-1]
    lines = np.concatenate([m, m.transpose(0, 2, 1)], axis=1)  # rows, then columns
    # N1: a run of k >= 5 same-coloured modules scores k - 2, i.e. 1 per 5-module window
    # inside it, plus 2 for the window that starts it.
    same = lines[..., 1:] == lines[..., :-1]
    run5 = same[..., :-3] & same[..., 1:-2] & same[..., 2:-1] & same[..., 3:]
    starts = np.count_nonzero(run5[..., 1:] & ~same[..., :-4], axis=(1, 2))
    n1 = np.count_nonzero(run5, axis=(1, 2)) + 2 * (starts + np.count_nonzero(run5[..., 0],
                                                                               axis=1))
    # N2: 3 per 2x2 block of one colour (overlapping blocks each count).
    top = m[:, :-1, :-1]
    block = (top == m[:, 1:, :-1]) & (top == m[:, :-1, 1:]) & (top == m[:, 1:, 1:])
    n2 = 3 * np.count_nonzero(block, axis=(1, 2))
    n3 = 40 * _n3_hits(lines)
    dark = np.count_nonzero(m, axis=(1, 2))
    scores: list[tuple[int, int, int, int]] = []
    for a, b, c, d in zip(n1.tolist(), n2.tolist(), n3.tolist(), dark.tolist(), strict=True):
        # N4 in segno's float arithmetic, so rounding at the 5 % steps matches.
        percent = float(d) / (size ** 2)
        scores.append((a, b, c, 10 * int(abs(percent * 100 - 50) / 5)))
    return scores


def _candidates(matrix: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The 8 matrices segno scores, from ``matrix`` (a built code masked with _PROBE_MASK)."""
    region, outside = _layout(matrix.shape[0])
    masks = _masks(matrix.shape[0])
    unmasked = np.where(region, matrix ^ masks[_PROBE_MASK], outside)
    return unmasked ^ masks


def _best_mask(matrix: NDArray[np.uint8]) -> int:
    """The mask segno would choose: the lowest total penalty, the first mask on ties."""
    totals = [sum(p) for p in _penalties(_candidates(matrix))]
    return totals.index(min(totals))


def _matrix(code: segno.QRCode) -> NDArray[np.uint8]:
    rows = code.matrix
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), -1)


@functools.lru_cache(maxsize=4096)
def _code(url: str) -> segno.QRCode:
    """The QR matrix of ``url``, with the mask segno would choose. A page's QR is drawn
    twice (the credential page and the printable summary), so it is made once."""
    probe = segno.make(url, error="m", micro=False, boost_error=False, mask=_PROBE_MASK)
    best = _best_mask(_matrix(probe))
    if best == _PROBE_MASK:
        return probe
    return segno.make(url, error="m", micro=False, boost_error=False, mask=best)


# Version of what svg_body returns, for on-disk caches of it: bump when the mask choice or the
# segno call changes; segno's own version is part of it.
BODY_VERSION = f"qr-body-1/segno-{segno.__version__}"
_SVG_HEAD = re.compile(r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="0 0 (\d+) \1" '
                       rf'class="{_SVG_CLASS}">')


@functools.lru_cache(maxsize=4096)
def svg_body(url: str) -> str:
    """segno's SVG of ``url`` at scale 1, with a ``viewBox`` and no size or title: the one
    drawing every (title, scale) variant is derived from (:func:`svg_variant`). segno's SVG
    writer is pure Python, so it runs once per URL."""
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=1, border=_BORDER, xmldecl=False, nl=False,
                    omitsize=True, svgclass=_SVG_CLASS, lineclass=None,
                    dark="#000000", light="#ffffff")
    return out.getvalue().decode("utf-8")


def svg_variant(body: str, *, url: str, title: str | None = None, scale: int = 4) -> str:
    """``body`` (from :func:`svg_body`) as the QR of ``url`` drawn at ``scale`` CSS pixels per
    module, named by ``title`` (default: "QR code linking to ``url``").

    The drawing stays segno's: stroke paths at integer module coordinates in the ``viewBox``,
    so it is sharp at its natural ``width``/``height`` and scales to any CSS size. The title
    is escaped as segno escapes titles (``&``, ``<``, ``>``; it is element text, not an
    attribute).
    """
    if scale < 1:
        raise ValueError(f"scale must be a positive integer, not {scale!r}")
    head = _SVG_HEAD.match(body)
    if head is None:  # not svg_body's output (or segno's writer changed): fail loudly
        raise ValueError(f"not a QR SVG body from segno {segno.__version__}: {body[:120]!r}")
    modules = int(head.group(1))  # symbol plus quiet zone, in modules
    size = modules * scale
    label = html.escape(title or f"QR code linking to {url}", quote=False)
    # Name the image for assistive technology; the <title> then labels it.
    return (f'<svg role="img" xmlns="http://www.w3.org/2000/svg" width="{size}" '
            f'height="{size}" viewBox="0 0 {modules} {modules}" class="{_SVG_CLASS}">'
            f"<title>{label}</title>{body[head.end():]}")


def qr_svg(url: str, *, title: str | None = None, scale: int = 4) -> str:
    """An SVG QR code (error correction M, quiet zone of 4 modules) encoding ``url``,
    ``scale`` CSS pixels per module (see :func:`svg_variant`)."""
    return svg_variant(svg_body(url), url=url, title=title, scale=scale)
