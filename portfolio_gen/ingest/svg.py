"""Baked SVG: find the badge element by namespace URI (the Open Badges verification rules: Open
Badges Baking Specification; security item 7).

Parsed with defusedxml: entity declarations and external references are refused
before expansion (billion laughs, ``file://`` reads), while a plain public
``<!DOCTYPE svg …>`` is allowed because real baked SVGs carry one. The element is
matched by namespace, not by the ``openbadges:`` prefix, and the first one wins.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import fromstring

from portfolio_gen.errors import BadInput
from portfolio_gen.ingest.classify import credential_from_text, is_hosted_url
from portfolio_gen.ingest.jws import looks_like_jws
from portfolio_gen.ingest.raw import Container, Kind, RawCredential

MAX_SVG_BYTES = 5 * 1024 * 1024
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
OB2_NS = "http://openbadges.org"
_OB3_TAG = f"{{{OB3_NS}}}credential"
_OB2_TAG = f"{{{OB2_NS}}}assertion"


def _parse(data: bytes) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=False, forbid_entities=True,
                                   forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise BadInput("xml_entities_forbidden", "The SVG declares XML entities, which are "
                       "refused (they enable entity-expansion attacks).") from None
    except defusedxml.ExternalReferenceForbidden:
        raise BadInput("xml_external_reference", "The SVG refers to an external XML resource, "
                       "which is never loaded.") from None
    except (defusedxml.DTDForbidden, defusedxml.NotSupportedError) as exc:
        raise BadInput("xml_forbidden", f"The SVG uses a refused XML feature ({exc}).") from None
    except ParseError as exc:
        raise BadInput("xml_malformed", f"The SVG is not well-formed XML ({exc}).") from None
    return root


def _find(root: Element) -> Element | None:
    first_ob2: Element | None = None
    for element in root.iter():
        if element.tag == _OB3_TAG:
            return element
        if element.tag == _OB2_TAG and first_ob2 is None:
            first_ob2 = element
    return first_ob2


def read_svg(data: bytes, source: str) -> RawCredential:
    """The credential baked into an SVG, or :class:`BadInput` saying why there is none."""
    if len(data) > MAX_SVG_BYTES:
        raise BadInput("too_large", f"The SVG is {len(data)} bytes; at most {MAX_SVG_BYTES} "
                       "are accepted.")
    root = _parse(data)
    if root.tag.rpartition("}")[2] != "svg":
        raise BadInput("unknown_format", "The XML document is not an SVG image.",
                       unsupported=True)
    element = _find(root)
    if element is None:
        raise BadInput("no_badge", "The SVG is an image without a baked badge (no "
                       "openbadges credential or assertion element).", unsupported=True)
    where = "SVG openbadges:" + element.tag.rpartition("}")[2]
    verify = (element.get("verify") or element.get(f"{{{OB3_NS}}}verify")
              or element.get(f"{{{OB2_NS}}}verify") or "").strip()
    body = (element.text or "").strip().encode("utf-8")
    if verify and looks_like_jws(verify.encode("ascii", "replace")):
        return credential_from_text(verify.encode("ascii"), source=source,
                                    container=Container.SVG, file_bytes=data,
                                    what=f"verify attribute of the {where} element")
    if verify and (element.tag == _OB3_TAG or not is_hosted_url(verify.encode("utf-8"))):
        expected = "a compact JWS" if element.tag == _OB3_TAG else "a compact JWS or an http(s) URL"
        raise BadInput("svg_bad_verify", f"The verify attribute of the {where} element is not "
                       f"{expected}.")
    if not body:
        if verify:
            return RawCredential(source, Container.SVG, Kind.OB2_HOSTED_URL,
                                 verify.encode("utf-8"), url=verify, file_bytes=data)
        raise BadInput("empty", f"The {where} element is empty and has no verify attribute.")
    found = credential_from_text(body, source=source, container=Container.SVG,
                                 file_bytes=data, what=f"{where} element")
    if verify and found.url is None:
        return RawCredential(found.source, found.container, found.kind, found.payload,
                             document=found.document, jws=found.jws, url=verify,
                             file_bytes=data)
    return found
