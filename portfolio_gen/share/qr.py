"""QR code of a credential page as SVG (segno), for the page and its print view.

segno's output is deterministic and escapes the title; the title makes the code accessible
(it names what the code opens), and the SVG is sized in CSS pixels for print.
"""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, *, title: str | None = None, scale: int = 4) -> str:
    """An SVG QR code (error correction M, quiet zone of 4 modules) encoding ``url``."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=4, xmldecl=False, nl=False,
              title=title or f"QR code linking to {url}", svgclass="portfolio-qr",
              lineclass=None, dark="#000000", light="#ffffff")
    svg = out.getvalue().decode("utf-8")
    # Name the image for assistive technology; segno's <title> then labels it.
    return svg.replace("<svg ", '<svg role="img" ', 1)
