"""QR code of a credential page as SVG (segno), for the page and its print view.

segno's output is deterministic and escapes the title; the title makes the code accessible
(it names what the code opens), and the SVG is sized in CSS pixels for print.
"""

from __future__ import annotations

import functools
import io

import segno


@functools.lru_cache(maxsize=4096)
def _code(url: str) -> segno.QRCode:
    """The QR matrix of ``url``. Choosing the best mask is the slow part; a page's QR is
    drawn twice (the credential page and the printable summary), so it is made once."""
    return segno.make(url, error="m", micro=False, boost_error=False)


def qr_svg(url: str, *, title: str | None = None, scale: int = 4) -> str:
    """An SVG QR code (error correction M, quiet zone of 4 modules) encoding ``url``."""
    code = _code(url)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=4, xmldecl=False, nl=False,
              title=title or f"QR code linking to {url}", svgclass="portfolio-qr",
              lineclass=None, dark="#000000", light="#ffffff")
    svg = out.getvalue().decode("utf-8")
    # Name the image for assistive technology; segno's <title> then labels it.
    return svg.replace("<svg ", '<svg role="img" ', 1)
