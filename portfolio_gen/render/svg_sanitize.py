"""Issuer SVG made safe to publish as an image a visitor may open directly.

An SVG opened at its own address (``…/badge.svg``) is a document on the portfolio's origin:
its scripts, event handlers, ``foreignObject`` HTML and ``javascript:`` links would run
there. ``<img>`` alone is not enough, so every issuer SVG the site shows is rebuilt from an
allow-list: the XML is parsed with defusedxml (no entity expansion, no external references),
only drawing elements and presentation attributes are copied into a fresh document, links
may only point inside the document (``#id``) or, for ``<image>``, at an inline raster
``data:`` URI, and CSS keeps only drawing properties whose values call no functions other
than colours, transforms and ``url(#id)``. Everything else is dropped. The original bytes
are never changed; they are offered as a download under a neutral name instead.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import fromstring

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 64
MAX_ELEMENTS = 50_000


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Elements that only draw. ``a`` becomes ``g`` (its drawing kept, its link dropped);
#: anything else (script, foreignObject, animate/set, feImage, iframe…) goes with its subtree.
_ELEMENTS = _words("""
svg g defs title desc symbol use switch path rect circle ellipse line polyline polygon
text tspan textPath linearGradient radialGradient stop clipPath mask pattern marker image
style filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight
feSpecularLighting feSpotLight feTile feTurbulence
""")
_TEXT_ELEMENTS = frozenset({"title", "desc", "text", "tspan", "textPath", "style"})
_INLINE_TEXT = frozenset({"text", "tspan", "textPath"})

#: Presentation properties: allowed as attributes and as CSS declarations.
_PROPERTIES = _words("""
fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap stroke-linejoin
stroke-miterlimit stroke-dasharray stroke-dashoffset opacity color stop-color stop-opacity
clip-path clip-rule mask filter font font-family font-size font-weight font-style
font-variant font-stretch text-anchor dominant-baseline alignment-baseline baseline-shift
letter-spacing word-spacing text-decoration writing-mode direction unicode-bidi display
visibility overflow marker marker-start marker-mid marker-end color-interpolation
color-interpolation-filters flood-color flood-opacity lighting-color shape-rendering
text-rendering image-rendering paint-order vector-effect mix-blend-mode isolation transform
transform-origin
""")
#: Geometry and filter parameters (no URLs in any of them).
_ATTRIBUTES = _PROPERTIES | _words("""
id class style version x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points viewBox
preserveAspectRatio gradientTransform gradientUnits patternUnits patternContentUnits
patternTransform clipPathUnits maskUnits maskContentUnits filterUnits primitiveUnits
markerUnits markerWidth markerHeight refX refY orient offset pathLength spreadMethod dx dy
rotate textLength lengthAdjust startOffset method spacing side in in2 result stdDeviation
values type operator k1 k2 k3 k4 mode scale xChannelSelector yChannelSelector kernelMatrix
order divisor bias targetX targetY edgeMode kernelUnitLength preserveAlpha surfaceScale
diffuseConstant specularConstant specularExponent azimuth elevation z pointsAtX pointsAtY
pointsAtZ limitingConeAngle baseFrequency numOctaves seed stitchTiles radius tableValues
slope intercept amplitude exponent
""")
_HREF_ELEMENTS = frozenset({"use", "linearGradient", "radialGradient", "pattern", "textPath",
                            "filter", "image"})

_PLAIN = re.compile(r"[\w\s.,#%+-]*")
_NOTHING_TO_ESCAPE = re.compile(r"[^&<>\"\n\t]*")
_FUNCTION = re.compile(r"([A-Za-z-]+)\s*\(")
_SAFE_FUNCTIONS = frozenset({"url", "rgb", "rgba", "hsl", "hsla", "matrix", "translate",
                             "translatex", "translatey", "scale", "scalex", "scaley", "rotate",
                             "skewx", "skewy"})
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_FRAGMENT = re.compile(r"#[A-Za-z_][\w.:-]*")
_RASTER_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+",
                          re.IGNORECASE)
_CSS_RULE = re.compile(r"([^{}@;]+)\{([^{}]*)\}")
_SELECTOR = re.compile(r"[\w\s.#,>+~*:()\[\]=\"'-]+")


def sanitize_svg(data: bytes) -> bytes | None:
    """A fresh, script-free SVG drawn like ``data``; ``None`` when it is not a usable SVG."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (ParseError, defusedxml.DefusedXmlException, ValueError):
        return None
    if root.tag != f"{{{SVG_NS}}}svg":
        return None
    out: list[str] = ['<svg xmlns="http://www.w3.org/2000/svg" '
                      'xmlns:xlink="http://www.w3.org/1999/xlink"']
    budget = [MAX_ELEMENTS]
    _attributes(root, "svg", out)
    out.append(">")
    _children(root, out, 1, budget)
    out.append("</svg>")
    return "".join(out).encode("utf-8")


def _children(element: Element, out: list[str], depth: int, budget: list[int]) -> None:
    in_text = _local(element.tag, SVG_NS) in _INLINE_TEXT
    for child in element:
        if depth >= MAX_DEPTH or budget[0] <= 0:
            return
        budget[0] -= 1
        name = _local(child.tag, SVG_NS)
        if name == "a":
            name = "g"
        if name in _ELEMENTS:
            out.append(f"<{name}")
            _attributes(child, name, out)
            out.append(">")
            if name == "style":
                out.append(_escape(clean_stylesheet(child.text or "")))
            else:
                if name in _TEXT_ELEMENTS and child.text:
                    out.append(_escape(child.text))
                _children(child, out, depth + 1, budget)
            out.append(f"</{name}>")
        if in_text and child.tail:
            out.append(_escape(child.tail))


def _attributes(element: Element, name: str, out: list[str]) -> None:
    for key, value in sorted(element.attrib.items()):
        attr = _attribute_name(key)
        if attr is None:
            continue
        if attr in ("href", "xlink:href"):
            if not _safe_href(name, value):
                continue
        elif attr == "style":
            value = clean_declarations(value)
            if not value:
                continue
        elif not safe_value(value):
            continue
        out.append(f' {attr}="{_escape(value, attribute=True)}"')


def _attribute_name(key: str) -> str | None:
    if key.startswith(f"{{{XLINK_NS}}}"):
        return "xlink:href" if key.endswith("}href") else None
    if key.startswith(f"{{{XML_NS}}}"):
        local = key.rsplit("}", 1)[1]
        return f"xml:{local}" if local in ("space", "lang") else None
    if key.startswith("{"):
        return None
    return key if key in _ATTRIBUTES or key == "href" else None


def _safe_href(element: str, value: str) -> bool:
    value = value.strip()
    if element not in _HREF_ELEMENTS:
        return False
    if element == "image":
        return bool(_RASTER_DATA.fullmatch(value))
    return bool(_FRAGMENT.fullmatch(value))


def safe_value(value: str) -> bool:
    """A CSS or attribute value that loads nothing: no escapes, no at-rules, only colour,
    transform and ``url(#id)`` functions."""
    if _PLAIN.fullmatch(value):        # numbers, path data, colours, names: most values
        return True
    if any(ch in value for ch in "\\<>@;{}") or "javascript" in value.lower():
        return False
    for function in _FUNCTION.findall(value):
        if function.lower() not in _SAFE_FUNCTIONS:
            return False
    return all(_FRAGMENT.fullmatch(target.strip()) for _, target in _URL.findall(value)) and (
        value.lower().count("url(") == len(_URL.findall(value)))


def clean_declarations(text: str) -> str:
    """``prop: value; …`` keeping only drawing properties with safe values."""
    kept = []
    for declaration in text.split(";"):
        prop, sep, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if sep and prop in _PROPERTIES and value and safe_value(value):
            kept.append(f"{prop}:{value}")
    return ";".join(kept)


def clean_stylesheet(text: str) -> str:
    """Plain ``selector { declarations }`` rules only: at-rules (``@import``,
    ``@font-face``…), comments and unknown properties are dropped."""
    text = re.sub(r"/\*.*?(\*/|$)", "", text, flags=re.DOTALL)
    rules = []
    for selector, body in _CSS_RULE.findall(text):
        selector = selector.strip()
        declarations = clean_declarations(body)
        if selector and declarations and _SELECTOR.fullmatch(selector) \
                and "\\" not in selector:
            rules.append(f"{selector}{{{declarations}}}")
    return "\n".join(rules)


def _local(tag: object, namespace: str) -> str:
    if not isinstance(tag, str) or not tag.startswith(f"{{{namespace}}}"):
        return ""
    return tag[len(namespace) + 2:]


def _escape(text: str, *, attribute: bool = False) -> str:
    if _NOTHING_TO_ESCAPE.fullmatch(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text
