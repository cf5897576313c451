"""The state icons as SVG markup, drawn like :func:`imaging.draw_icon` (no font glyphs)."""

from __future__ import annotations

from markupsafe import Markup

from portfolio_gen.share.state import Icon


def icon_svg(icon: Icon, x: float, y: float, r: float, colour: str) -> Markup:
    """A disc with a white glyph centred on ``(x, y)``; built from numbers only, so safe."""
    sw = max(1.5, round(r * 0.28, 2))
    disc = f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="{colour}"/>'
    stroke = (f'fill="none" stroke="#ffffff" stroke-width="{sw:g}" stroke-linecap="round" '
              f'stroke-linejoin="round"')
    if icon is Icon.CHECK:
        glyph = (f'<path d="M{x - r * 0.5:.2f} {y + r * 0.02:.2f}L{x - r * 0.12:.2f} '
                 f'{y + r * 0.42:.2f}L{x + r * 0.52:.2f} {y - r * 0.38:.2f}" {stroke}/>')
    elif icon is Icon.CROSS:
        k = r * 0.42
        glyph = (f'<path d="M{x - k:.2f} {y - k:.2f}L{x + k:.2f} {y + k:.2f}M{x - k:.2f} '
                 f'{y + k:.2f}L{x + k:.2f} {y - k:.2f}" {stroke}/>')
    elif icon is Icon.CLOCK:
        k = r * 0.62
        glyph = (f'<circle cx="{x:g}" cy="{y:g}" r="{k:.2f}" {stroke}/>'
                 f'<path d="M{x:.2f} {y - k * 0.7:.2f}V{y:.2f}L{x + k * 0.55:.2f} '
                 f'{y + k * 0.3:.2f}" {stroke}/>')
    else:
        glyph = (f'<text x="{x:g}" y="{y + r * 0.5:.2f}" font-size="{r * 1.4:.2f}" '
                 f'font-weight="bold" text-anchor="middle" fill="#ffffff" '
                 f'font-family="DejaVu Sans, Verdana, Arial, sans-serif">?</text>')
    return Markup(f'<g aria-hidden="true">{disc}{glyph}</g>')


def icon_svg_standalone(icon: Icon, size: int, colour: str) -> Markup:
    """The icon as its own ``<svg>`` element for HTML pages."""
    r = size / 2
    inner = icon_svg(icon, r, r, r, colour)
    return Markup(f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
                  f'aria-hidden="true" focusable="false">{inner}</svg>')
