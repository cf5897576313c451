"""Trust registries: issuer ids the site owner has chosen to vouch for.

A signature proves which key signed, not who holds it (the Open Badges verification rules:
security item 17). A registry is a local file the site owner picks (none is trusted by default)
listing issuer ids exactly as credentials state them, each with the name the registry knows it by.
Two shapes are read:

- portfolio_gen's own (YAML or JSON)::

      name: Careers office trusted issuers
      issuers:
        "did:key:z6Mk...": {name: Civic Data Lab, url: https://civicdatalab.example}

- the Digital Credentials Consortium's static registry files (``{"meta": {...},
  "registry": {"did:...": {"name", "location", "url"}}}``; older files say ``entries``).
  They carry no name of their own, so the registry is named after the file.

Registries are configuration: parsed strictly (duplicate keys, NaN, size and depth caps,
unknown keys), and any problem is a :class:`ConfigError` naming the file.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from portfolio_gen.errors import BadInput, ConfigError
from portfolio_gen.ingest.jsontext import MAX_JSON_BYTES, parse_json_object

MAX_REGISTRY_BYTES = MAX_JSON_BYTES
_OWN_KEYS = frozenset({"name", "issuers"})
_OWN_ENTRY_KEYS = frozenset({"name", "url"})
_DCC_KEYS = frozenset({"meta", "registry", "entries", "name"})
_DCC_ENTRY_KEYS = frozenset({"name", "url", "location"})


@dataclass(frozen=True)
class RegistryEntry:
    """What a registry says about one issuer id."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Registry:
    """One loaded registry. ``digest`` is the SHA-256 of the file, for cache keys."""

    name: str
    source: str
    issuers: Mapping[str, RegistryEntry] = field(default_factory=dict)
    digest: str = ""

    def lookup(self, issuer_id: str | None) -> RegistryEntry | None:
        """The entry for exactly this issuer id (no normalisation: ids are compared as
        credentials state them, so a look-alike id is never matched)."""
        if not issuer_id:
            return None
        return self.issuers.get(issuer_id)


def registries_digest(registries: Sequence[Registry]) -> str:
    """One digest of every registry's name, content and order (order decides which entry
    wins; a DCC registry's name comes from its file name, not its content)."""
    h = hashlib.sha256()
    for reg in registries:
        for part in (reg.name, reg.digest):
            data = part.encode("utf-8")
            h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def load_registries(paths: Sequence[Path]) -> tuple[Registry, ...]:
    return tuple(load_registry(Path(p)) for p in paths)


def load_registry(path: Path) -> Registry:
    """Read and validate one registry file (YAML, or JSON when it ends in ``.json``)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_REGISTRY_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the registry file "
                          f"({exc.strerror or exc})") from None
    if len(data) > MAX_REGISTRY_BYTES:
        raise ConfigError(f"{path}: the registry file is larger than {MAX_REGISTRY_BYTES} bytes")
    doc = _parse(path, data)
    digest = hashlib.sha256(data).hexdigest()
    if not isinstance(doc, Mapping):
        raise ConfigError(f"{path}: expected a registry mapping with 'name' and 'issuers' (or a "
                          "DCC registry with 'registry'), got "
                          f"{type(doc).__name__ if doc is not None else 'an empty file'}")
    if "issuers" in doc:
        return _own(path, doc, digest)
    if "registry" in doc or "entries" in doc:
        return _dcc(path, doc, digest)
    raise ConfigError(f"{path}: expected the key 'issuers' (or 'registry' in a DCC registry "
                      "file)")


def _parse(path: Path, data: bytes) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return parse_json_object(data, "registry file")
        except BadInput as exc:
            raise ConfigError(f"{path}: {exc.reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not a valid registry ({_yaml_where(exc)})") from None


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _mapping_no_duplicates(loader: _StrictLoader, node: yaml.MappingNode,
                           deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            seen = key in out
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key is not a plain value", key_node.start_mark) from None
        if seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears more than once", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=deep)
    return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                              _mapping_no_duplicates)


def _yaml_where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "syntax error"
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return str(problem)


def _own(path: Path, doc: Mapping[str, Any], digest: str) -> Registry:
    unknown = sorted(str(k) for k in set(doc) - _OWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; expected 'name' and 'issuers'")
    name = _name(doc.get("name"), path, "name")
    return Registry(name, str(path), _entries(doc["issuers"], path, "issuers", _OWN_ENTRY_KEYS),
                    digest)


def _dcc(path: Path, doc: Mapping[str, Any], digest: str) -> Registry:
    unknown = sorted(str(k) for k in set(doc) - _DCC_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} in a DCC registry file; "
                          "expected 'meta' and 'registry'")
    if "registry" in doc and "entries" in doc:
        raise ConfigError(f"{path}: both 'registry' and 'entries'; a DCC registry has one")
    key = "registry" if "registry" in doc else "entries"
    meta = doc.get("meta", {})
    if not isinstance(meta, Mapping):
        raise ConfigError(f"{path}: meta: expected a mapping")
    name = _name(doc["name"], path, "name") if "name" in doc else path.stem
    return Registry(name, str(path), _entries(doc[key], path, key, _DCC_ENTRY_KEYS), digest)


def _name(value: Any, path: Path, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {where}: expected a non-empty name, got {value!r}")
    text = " ".join(value.split())
    if any(unicodedata.category(ch)[0] == "C" for ch in text):
        raise ConfigError(f"{path}: {where}: a name may not hold control or bidirectional "
                          f"formatting characters, got {value!r}")
    if len(text) > 200:
        raise ConfigError(f"{path}: {where}: a name of at most 200 characters is expected")
    return text


def _entries(value: Any, path: Path, where: str,
             allowed: frozenset[str]) -> dict[str, RegistryEntry]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{path}: {where}: expected a mapping of issuer id to "
                          "{name, url}")
    out: dict[str, RegistryEntry] = {}
    for issuer_id, entry in value.items():
        here = f"{where}.{issuer_id}"
        if (not isinstance(issuer_id, str) or not issuer_id
                or any(ch.isspace() for ch in issuer_id) or ":" not in issuer_id):
            raise ConfigError(f"{path}: {where}: {issuer_id!r} is not an issuer id (a DID or "
                              "URL exactly as credentials state it)")
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{path}: {here}: expected a mapping with 'name'")
        extra = sorted(str(k) for k in set(entry) - allowed)
        if extra:
            raise ConfigError(f"{path}: {here}: unknown key {extra[0]!r}; expected "
                              f"{', '.join(sorted(allowed))}")
        url = entry.get("url")
        if url is not None and (not isinstance(url, str)
                                or not url.startswith(("https://", "http://"))):
            raise ConfigError(f"{path}: {here}.url: expected an http(s) URL, got {url!r}")
        out[issuer_id] = RegistryEntry(_name(entry.get("name"), path, f"{here}.name"), url)
    return out
