"""Prove the canonical N-Quads cover everything a page could show (the Open Badges verification
rules: VC Data Integrity §Validating Contexts; security items 3, 15).

Why: an RDFC proof signs the N-Quads, not the JSON. JSON-LD processing silently
drops whatever does not become RDF: undefined terms, identifiers that are not
well-formed absolute IRIs (``"urn:r x"``), keys that expand to no IRI, nodes
under such keys. The JSON still carries them and a page would show them as
verified. So the document is expanded once with a sentinel ``@vocab`` and a
JSON-path tag on every object (:class:`Armer`), and :func:`check_expanded`
proves, on that expansion:

1. no term, type or identifier fell back to the sentinel vocabulary or stayed
   relative (undefined by the contexts);
2. every ``@id`` is an RFC 3987 absolute IRI or a blank node; every ``@type``,
   predicate and datatype an absolute IRI; every language tag well-formed
   (RFC 5646); every value object well-shaped, with numbers that survive the
   canonical ``xsd:double``/``xsd:integer`` forms exactly;
3. every JSON object of the document is still there (none dropped by expansion);
4. the statements of every node, counted from the node map, all come out of
   pyld's own RDF conversion (a net under 1 to 3, for drops we did not foresee).

The tags and sentinel only add statements, so a document that passes has lost
nothing to the real (untagged) canonicalization either.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyld import jsonld as _pyld
from pyld.identifier_issuer import IdentifierIssuer

from portfolio_gen.verify.ob3.iri import is_absolute_iri, is_blank_node, is_language_tag

SENTINEL = "urn:x-dropped:"
PATH_KEY = "urn:x-portfolio-gen:json-path"
SENTINEL_CONTEXT = {"@vocab": SENTINEL}
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
_VALUE_KEYS = frozenset({"@value", "@list", "@set", "@graph"})
_VALUE_MEMBERS = frozenset({"@value", "@type", "@language", "@direction", "@index"})
_KEYWORDS = frozenset(_pyld.KEYWORDS)
_KEYWORD_FORM = re.compile(r"@[A-Za-z]+")
_NOT_IN_IRI = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f]")
_RDF_OPTIONS = {"produceGeneralizedRdf": False, "rdfDirection": None,
                "processingMode": "json-ld-1.1"}


@dataclass(frozen=True)
class Loss:
    """One field the canonical form does not cover.

    ``kind`` is ``undefined`` (the contexts do not define it: the legacy form
    ``$.path.term``, ``$.path@type=T``, ``$.path@id=X``) or ``dropped`` (defined,
    but not a well-formed IRI, language tag or value, or lost on the way to RDF).
    """

    field: str
    kind: str = "undefined"
    why: str = ""

    def __str__(self) -> str:
        return f"{self.field} ({self.why})" if self.why else self.field


# -- arming: sentinel vocabulary and JSON-path tags ------------------------------------------

class Armer:
    """Makes the probe: a copy with the sentinel armed in every context and paths tagged."""

    def __init__(self) -> None:
        self.nulled: list[str] = []
        self.used: set[str] = set()
        self.objects: list[str] = []
        self.bad_keys: list[Loss] = []

    def arm(self, document: Mapping[str, Any]) -> dict[str, Any]:
        out = self._arm(document, "$")
        assert isinstance(out, dict)
        return out

    def _arm(self, value: Any, path: str) -> Any:
        if isinstance(value, list):
            return [self._arm(item, f"{path}[{i}]" if len(value) > 1 else path)
                    for i, item in enumerate(value)]
        if not isinstance(value, Mapping):
            return value
        if "@value" in value:
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "@context":
                out[key] = self._arm_context(item, path, top=path == "$")
                continue
            self.used.add(key)
            self._check_key(key, item, path)
            out[key] = self._arm(item, f"{path}.{key}")
        if path == "$" and "@context" not in out:
            out["@context"] = SENTINEL_CONTEXT
        if not _VALUE_KEYS.intersection(value):
            out[PATH_KEY] = path  # lets the expanded form name the original JSON path
            self.objects.append(path)
        return out

    def _check_key(self, key: str, item: Any, path: str) -> None:
        """Keys JSON-LD ignores or cannot turn into an IRI vanish with their values."""
        if item is None or key in _KEYWORDS or key == PATH_KEY:
            return
        if _KEYWORD_FORM.fullmatch(key):
            self.bad_keys.append(Loss(f"{path}.{key}", "dropped",
                                      "a keyword-like key JSON-LD ignores"))
        elif _NOT_IN_IRI.search(key):
            self.bad_keys.append(Loss(f"{path}.{key}", "dropped",
                                      "a key that cannot form an IRI"))

    def _arm_context(self, ctx: Any, path: str, top: bool) -> list[Any]:
        items = ctx if isinstance(ctx, list) else [ctx]
        out: list[Any] = []
        for item in items:
            if item is None:
                out.extend([None, SENTINEL_CONTEXT])
            elif isinstance(item, Mapping):
                out.append(self._arm_inline(item, path))
            else:
                out.append(item)
        if top or any(isinstance(item, str) for item in items):
            out.insert(0, SENTINEL_CONTEXT)
        return out

    def _arm_inline(self, ctx: Mapping[str, Any], path: str) -> dict[str, Any]:
        out = dict(ctx)
        if "@vocab" in out and out["@vocab"] is None:
            out["@vocab"] = SENTINEL
        for term, definition in ctx.items():
            if term.startswith("@"):
                continue
            if definition is None or (isinstance(definition, Mapping)
                                      and "@id" in definition and definition["@id"] is None):
                self.nulled.append(f"{path}.{term}")
            elif isinstance(definition, Mapping) and "@context" in definition:
                scoped = definition["@context"]
                out[term] = {**definition,
                             "@context": self._arm_context(scoped, f"{path}.{term}", top=False)}
        return out


# -- checking the expansion ------------------------------------------------------------------

def check_expanded(expanded: list[Any], armer: Armer, processor: Any) -> list[Loss]:
    """All losses of the armed document, given its expansion (see the module docstring)."""
    losses = [Loss(entry) for entry in armer.nulled if entry.rsplit(".", 1)[-1] in armer.used]
    losses += armer.bad_keys
    walker = _Walker()
    walker.walk(expanded, "$")
    losses += walker.losses
    named = [loss.field for loss in losses]
    for path in armer.objects:
        if path not in walker.seen and not any(_within(path, f) for f in named):
            losses.append(Loss(path, "dropped", "an object JSON-LD expansion drops"))
    if not losses:
        losses += _unemitted(expanded, processor)
    unique: dict[str, Loss] = {}
    for loss in losses:
        unique.setdefault(str(loss), loss)
    return list(unique.values())


def _within(path: str, field: str) -> bool:
    base = re.split(r"@(?:id|type)(?:=|$)", field, maxsplit=1)[0]
    return path == base or path.startswith((base + ".", base + "["))


def _local_name(iri: str) -> str:
    if iri.startswith(SENTINEL):
        return iri[len(SENTINEL):]
    for sep in ("#", "/", ":"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def _undefined(iri: str) -> bool:
    return iri.startswith(SENTINEL) or ":" not in iri


class _Walker:
    def __init__(self) -> None:
        self.losses: list[Loss] = []
        self.seen: set[str] = set()

    def walk(self, node: Any, path: str) -> None:
        if isinstance(node, list):
            for item in node:
                self.walk(item, path)
            return
        if not isinstance(node, dict):
            return
        if "@value" in node:
            self._value(node, path)
            return
        tags = node.get(PATH_KEY)
        if isinstance(tags, list):
            for tag in tags:
                if isinstance(tag, dict) and isinstance(tag.get("@value"), str):
                    self.seen.add(tag["@value"])
            if tags and isinstance(tags[0], dict):
                path = str(tags[0].get("@value", path))
        for key, value in node.items():
            if key == PATH_KEY:
                continue
            if key == "@type":
                for t in value if isinstance(value, list) else [value]:
                    self._type(t, path)
            elif key == "@id":
                self._id(value, path)
            elif key == "@reverse" and isinstance(value, dict):
                for prop, items in value.items():
                    self._property(prop, items, path)
            elif key.startswith("@"):
                if key != "@index":
                    self.walk(value, path)
            else:
                self._property(key, value, path)

    def _drop(self, field: str, why: str) -> None:
        self.losses.append(Loss(field, "dropped", why))

    def _property(self, key: str, items: Any, path: str) -> None:
        name = f"{path}.{_local_name(key)}"
        if _undefined(key):
            self.losses.append(Loss(name))
        elif not is_absolute_iri(key):
            self._drop(name, f"the property IRI {key!r} is not well-formed")
        self.walk(items, name)

    def _id(self, value: Any, path: str) -> None:
        if not isinstance(value, str):
            self._drop(f"{path}@id", "not a string")
        elif _undefined(value):
            self.losses.append(Loss(f"{path}@id={_local_name(value)}"))
        elif not (is_absolute_iri(value) or is_blank_node(value)):
            self._drop(f"{path}@id", f"{value!r} is not a well-formed absolute IRI")

    def _type(self, value: Any, path: str) -> None:
        if not isinstance(value, str):
            self._drop(f"{path}@type", "not a string")
        elif _undefined(value):
            self.losses.append(Loss(f"{path}@type={_local_name(value)}"))
        elif not is_absolute_iri(value):
            self._drop(f"{path}@type", f"{value!r} is not a well-formed absolute IRI")

    def _value(self, node: dict[str, Any], path: str) -> None:
        value, datatype, language = node.get("@value"), node.get("@type"), node.get("@language")
        extra = set(node) - _VALUE_MEMBERS
        if extra:
            self._drop(path, f"a value object with {', '.join(sorted(extra))}")
        if datatype == "@json":
            self._seen_in_json(value)
            return
        if datatype is not None and (not isinstance(datatype, str)
                                     or not is_absolute_iri(datatype)):
            self._drop(path, f"the datatype {datatype!r} is not a well-formed absolute IRI")
        if language is not None:
            if not isinstance(language, str) or not is_language_tag(language):
                self._drop(path, f"the language tag {language!r} is not well-formed")
            if not isinstance(value, str):
                self._drop(path, "a language tag on a value that is not a string")
        if isinstance(value, bool | str) and not (isinstance(value, str)
                                                  and datatype == XSD_DOUBLE):
            return
        if not _number_survives(value, datatype):
            self._drop(path, f"the value {value!r} does not survive canonicalization exactly")

    def _seen_in_json(self, value: Any) -> None:
        """Objects armed inside a JSON literal are covered by it (the literal is signed)."""
        if isinstance(value, list):
            for item in value:
                self._seen_in_json(item)
        elif isinstance(value, dict):
            tag = value.get(PATH_KEY)
            if isinstance(tag, str):
                self.seen.add(tag)
            for item in value.values():
                self._seen_in_json(item)


def _number_survives(value: Any, datatype: Any) -> bool:
    """Does pyld's lexical form of this number (or xsd:double string) read back as the same?"""
    try:
        if isinstance(value, str):  # an xsd:double string: pyld rewrites it canonically
            try:
                number = float(value)
            except ValueError:
                return True  # not a number: written as given
            return bool(_pyld._canonicalize_double(number) == value)
        if isinstance(value, int):
            if abs(value) < 1e21 and datatype != XSD_DOUBLE:
                return True
            return math.isfinite(float(value)) and int(float(value)) == value
        if isinstance(value, float):
            return math.isfinite(value) and float(_pyld._canonicalize_double(value)) == value
    except (OverflowError, ValueError):
        return False
    return False


# -- the net: every statement of the node map is emitted as a quad ---------------------------

def _unemitted(expanded: list[Any], processor: Any) -> list[Loss]:
    issuer = IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    losses: list[Loss] = []
    for graph_name, graph in sorted(node_map.items()):
        emits = graph_name == "@default" or is_absolute_iri(graph_name) \
            or is_blank_node(graph_name)
        for node_id, node in sorted(graph.items()):
            expected = _statements(node)
            emitted = len(processor._graph_to_rdf({node_id: node}, issuer, _RDF_OPTIONS)) \
                if emits else 0
            if emitted < expected:
                losses.append(Loss(_node_path(node), "dropped",
                                   f"{expected - emitted} of its {expected} statements are "
                                   "not in the canonical form"))
    return losses


def _statements(node: Mapping[str, Any]) -> int:
    count = 0
    for prop, items in node.items():
        if prop == "@type":
            count += len(items)
        elif not prop.startswith("@"):
            count += sum(1 + _list_statements(item) for item in items)
    return count


def _list_statements(item: Any) -> int:
    if isinstance(item, dict) and isinstance(item.get("@list"), list):
        return sum(2 + _list_statements(member) for member in item["@list"])
    return 0


def _node_path(node: Mapping[str, Any]) -> str:
    tags = node.get(PATH_KEY)
    if isinstance(tags, list) and tags and isinstance(tags[0], dict):
        return str(tags[0].get("@value", "$"))
    return str(node.get("@id", "$"))
