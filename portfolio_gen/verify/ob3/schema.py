"""``credentialSchema``: JSON Schema checks of a credential (VCDM, OB 3.0 / CLR 2.0).

Why a conformance check: a schema describes the data model, not who signed the
credential, so a mismatch is a ``conformance.schema`` warning (a failure under
``strict``) and the verdict stays what proof, binding, status and dates say.

Schemas are never fetched at verify time (issue #12, the Open Badges verification rules: security
item 16): a schema is applied only when a :class:`SchemaStore` holds it, keyed by the URL the
credential names. The bundled store is empty: no npm or PyPI package we could
find publishes the 1EdTech OB 3.0 / CLR 2.0 JSON Schemas (see README,
"credentialSchema"), so a credential naming one is reported as "not checked:
schema not bundled". Callers may extend the store with hash-checked copies
(:meth:`SchemaStore.extended`); ``$ref`` resolves only inside the store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from portfolio_gen.verify.checks import CONFORMANCE_SCHEMA
from portfolio_gen.verify.jsonvalues import as_list
from portfolio_gen.verify.report import Check, nonconformant, passed

#: credentialSchema types whose ``id`` is a plain JSON Schema document
JSON_SCHEMA_TYPES = frozenset({"1EdTechJsonSchemaValidator2019", "JsonSchema",
                               "JsonSchemaValidator2018"})
MAX_SCHEMAS = 8    # credentialSchema entries looked at per credential
MAX_ERRORS = 5     # schema errors kept in a report


@dataclass(frozen=True)
class SchemaStore:
    """JSON Schemas by the URL credentials name them with (never fetched)."""

    schemas: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def get(self, url: str) -> Mapping[str, Any] | None:
        return self.schemas.get(url)

    def extended(self, extra: Iterable[tuple[str, bytes, str]]) -> SchemaStore:
        """A store with ``(url, bytes, sha256)`` added; a copy whose hash differs is refused."""
        schemas = dict(self.schemas)
        for url, data, digest in extra:
            if hashlib.sha256(data).hexdigest() != digest.lower():
                raise ValueError(f"schema {url}: SHA-256 does not match {digest}")
            parsed = json.loads(data)
            if not isinstance(parsed, dict):
                raise ValueError(f"schema {url}: not a JSON object")
            schemas[url] = parsed
        return SchemaStore(schemas)


#: What the package bundles: nothing yet (no registry package carries the 1EdTech schemas).
BUNDLED = SchemaStore()


def check_schema(doc: Mapping[str, Any], store: SchemaStore | None,
                 strict: bool) -> list[Check]:
    """One ``conformance.schema`` check when the credential names schemas, else none."""
    if "credentialSchema" not in doc:
        return []
    store = store if store is not None else BUNDLED
    entries = as_list(doc.get("credentialSchema"))
    malformed = [e for e in entries if not (isinstance(e, Mapping) and isinstance(e.get("id"), str)
                                             and isinstance(e.get("type"), str))]
    if malformed or not entries:
        return [nonconformant(CONFORMANCE_SCHEMA, "schema_malformed", "credentialSchema must list "
                              "objects with an id and a type; this one does not.", strict)]
    failures: list[tuple[str, list[str]]] = []
    unchecked: list[str] = []
    beyond = max(0, len(entries) - MAX_SCHEMAS)  # past the limit: not looked at, not checked
    checked: list[str] = []
    for entry in entries[:MAX_SCHEMAS]:
        url, kind = entry["id"], entry["type"]
        schema = store.get(url) if kind in JSON_SCHEMA_TYPES else None
        if schema is None:
            unchecked.append(url)
            continue
        errors = _errors(doc, schema, store)
        if errors is None:
            unchecked.append(url)
        elif errors:
            failures.append((url, errors))
        else:
            checked.append(url)
    if failures:
        url, errors = failures[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return [nonconformant(CONFORMANCE_SCHEMA, "schema_invalid",
                              f"The credential does not match "
                              f"the JSON Schema {_short(url)} it names: {errors[0]}{more}.",
                              strict,
                              schema=url, errors=errors, not_checked=unchecked)]
    if unchecked or beyond:
        listed = ", ".join(_short(u) for u in unchecked[:3])
        rest = len(unchecked[3:]) + beyond
        if rest:
            listed += f"{' and' if listed else ''} {rest} more"
        return [nonconformant(CONFORMANCE_SCHEMA, "schema_not_bundled", f"credentialSchema names "
                              f"{listed}; the credential was not checked against it: the "
                              "schema is not bundled with portfolio_gen, and schemas are "
                              "never fetched while verifying.", strict,
                              not_checked=unchecked, checked=checked)]
    return [passed(CONFORMANCE_SCHEMA, "schema_ok", "The credential matches the JSON Schema "
                   f"{', '.join(_short(u) for u in checked)} it names.", checked=checked)]


def _errors(doc: Mapping[str, Any], schema: Mapping[str, Any],
            store: SchemaStore) -> list[str] | None:
    """Schema errors as ``path: message`` sentences (format keywords are annotations only);
    ``None`` when the schema is broken or ``$ref``s a document the store does not hold."""
    # imported here: jsonschema costs about half a second to import, and most runs hold
    # no schema at all
    from jsonschema import Draft201909Validator, validators
    from jsonschema.exceptions import SchemaError
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT201909

    registry: Registry[Any] = Registry().with_resources(
        (url, Resource.from_contents(dict(s), default_specification=DRAFT201909))
        for url, s in store.schemas.items())
    cls = validators.validator_for(dict(schema), default=Draft201909Validator)
    try:
        cls.check_schema(dict(schema))
        found = list(cls(dict(schema), registry=registry).iter_errors(doc))
    except (Unresolvable, SchemaError):
        return None
    out: list[str] = []
    for error in sorted(found, key=lambda e: list(map(str, e.path))):
        where = "/".join(str(p) for p in error.absolute_path) or "(the credential)"
        out.append(f"{where}: {_short(error.message)}")
        if len(out) >= MAX_ERRORS:
            break
    return out


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[:limit - 1] + "…"
