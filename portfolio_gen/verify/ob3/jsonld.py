"""JSON-LD for OB 3.0 / CLR 2.0: pinned contexts, canonicalization, data-loss check.

Canonical forms depend on the exact bytes of every context, so contexts come only
from files bundled in ``contexts/`` (taken from npm packages by
``scripts/fetch_contexts.py``), each checked against the SHA-256 in
``contexts/manifest.json`` when loaded. A context URL that is not pinned raises
:class:`ContextError`; nothing is ever fetched (the Open Badges verification rules: VC Data
Integrity §Validating Contexts; security item 2).

Public API (used by ``verify/ob3``):

- ``canonicalize(document, *, variant=None, store=None) -> str``: URDNA2015
  (RDFC-1.0) N-Quads with a null base (§2.4 step 2, §7.6).
- ``find_data_loss(document, *, variant=None, store=None) -> list[Loss]``: the
  data-loss check of §4 and §7.15 (:mod:`.lossless`): undefined terms (the
  sentinel ``@vocab``), malformed IRIs, language tags and values, and anything
  else that does not reach the N-Quads. ``find_dropped_terms`` gives the same as
  strings: ``$.path.term`` for an undefined property, ``$.path@type=T`` for an
  undefined or relative type, ``$.path@id=X`` for a relative or
  vocabulary-relative identifier, ``$.path… (why)`` for the rest.
- ``context_variant_for(document) -> str | None``: the variant used by default for
  a document naming a context URL with several published copies (``None`` when it
  names none); ``variants_for(document)`` lists all of them, default first.
- ``ContextStore``: the pinned contexts plus pyld's caches. ``default_store()`` is
  the bundle; ``store.extended(...)`` adds caller-pinned contexts (e.g. the
  conformance fixtures' CLR and examples contexts, which no npm package ships).

Variants: published copies of one OB context URL differ (§4 "Context drift"); the
manifest records each copy as a ``variant`` of the URL. ``published`` is the
primary; other variants replace only the URLs they define.

Speed: pyld re-processes every context on every call unless its resolved-context
cache is reused. Each (store, variant) keeps one shared cache and one lock, so
the expensive processing happens once per process (the lock also makes the
non-thread-safe caches safe to share).
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from frozendict import frozendict
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver

from portfolio_gen.errors import BadInput, ContextError
from portfolio_gen.ingest.jsontext import parse_json_object
from portfolio_gen.verify.ob3 import lossless
from portfolio_gen.verify.ob3.lossless import Loss

BUNDLE_DIR = Path(__file__).with_name("contexts")
PRIMARY_VARIANT = "published"
SENTINEL = lossless.SENTINEL
PATH_KEY = lossless.PATH_KEY

#: Safety caps: the document as a whole, and contexts written inline in it.
MAX_DOCUMENT_NODES = 200_000
MAX_DOCUMENT_DEPTH = 64
MAX_INLINE_CONTEXT_NODES = 2_000
MAX_INLINE_CONTEXT_DEPTH = 8
MAX_CONTEXT_ENTRIES = 64
#: URDNA2015 work bounds (poison graphs make N-degree hashing explode).
MAX_NDEGREE_CALLS = 20_000
MAX_CANON_SECONDS = 5.0
_RESOLVED_CACHE_SIZE = 256
_PROCESSED_MEMO_SIZE = 2048




@dataclass(frozen=True)
class PinnedContext:
    """One pinned copy of a context URL."""

    url: str
    variant: str
    sha256: str
    document: Mapping[str, Any]
    source: str


class _BoundedCache(OrderedDict[str, Any]):
    """pyld's shared resolved-context cache: least recently used entries go first."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.maxsize:
            self.popitem(last=False)


class _MemoProcessor(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """pyld processor that remembers processed scoped contexts.

    pyld caches processed contexts by the active context's ``_uuid``, but clones
    made for type-scoped contexts get a fresh ``_uuid`` on every call, so OB's
    many type-scoped contexts are re-processed for every credential. Results of
    processing a context over a *frozen* active context are frozen and depend only
    on that context and the local context's content, so they are memoised here,
    keyed by the active context's ``_uuid`` and the local context's JSON.
    """

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self._memo = _BoundedCache(maxsize)

    def _process_context(self, active_ctx: Any, local_ctx: Any, options: Any,
                         override_protected: bool = False, propagate: bool = True,
                         validate_scoped: bool = True, cycles: Any = None) -> Any:
        if not isinstance(active_ctx, frozendict) or "_uuid" not in active_ctx:
            return super()._process_context(active_ctx, local_ctx, options, override_protected,
                                            propagate, validate_scoped, cycles)
        try:
            local_key = json.dumps(local_ctx, sort_keys=True, default=dict)
        except (TypeError, ValueError):
            local_key = None
        key = f"{active_ctx['_uuid']}|{override_protected:d}{propagate:d}{validate_scoped:d}|"
        if local_key is not None:
            hit = self._memo.get(key + local_key)
            if hit is not None:
                return hit
        result = super()._process_context(active_ctx, local_ctx, options, override_protected,
                                          propagate, validate_scoped, cycles)
        if local_key is not None and isinstance(result, frozendict):
            self._memo[key + local_key] = result
        return result


class _VariantState:
    """pyld state for one variant: loader, shared resolved-context cache, lock."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        self.documents = documents
        self.cache = _BoundedCache(_RESOLVED_CACHE_SIZE)
        self.processor = _MemoProcessor(_PROCESSED_MEMO_SIZE)
        self.lock = threading.Lock()

    def load(self, url: str, options: Any = None) -> dict[str, Any]:
        doc = self.documents.get(url)
        if doc is None:
            raise ContextError(url, "context is not pinned (never fetched)")
        return {"contextUrl": None, "documentUrl": url, "contentType": "application/ld+json",
                "document": copy.deepcopy(doc), "tag": "static"}

    def options(self, **extra: Any) -> dict[str, Any]:
        opts: dict[str, Any] = {
            "base": None,  # null base (vc-data-integrity); "" makes pyld use example.org/base/
            "documentLoader": self.load,
            "contextResolver": ContextResolver(self.cache, self.load),
            "processingMode": "json-ld-1.1",
        }
        opts.update(extra)
        return opts


class ContextStore:
    """Pinned contexts by URL and variant, with per-variant pyld caches."""

    def __init__(self, contexts: Iterable[PinnedContext], primary: str = PRIMARY_VARIANT) -> None:
        self.primary = primary
        self._by_url: dict[str, dict[str, PinnedContext]] = {}
        for ctx in contexts:
            self._by_url.setdefault(ctx.url, {})[ctx.variant] = ctx
        for url, variants in self._by_url.items():
            if primary not in variants:
                raise ContextError(url, f"no {primary!r} copy of this context is pinned")
        self._states: dict[str, _VariantState] = {}
        self._states_lock = threading.Lock()

    # -- construction ---------------------------------------------------------------
    @classmethod
    def from_directory(cls, directory: Path) -> ContextStore:
        """Load ``manifest.json`` and every file it names, checking each SHA-256."""
        try:
            manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ContextError(None, f"cannot read the context manifest ({exc})") from None
        pinned = []
        for entry in manifest["contexts"]:
            data = _read_pinned(directory / entry["file"], entry["url"])
            pinned.append(_pin(entry["url"], entry["variant"], data, entry["sha256"],
                               f"{entry['package']}@{entry['version']}:{entry['package_path']}"))
        return cls(pinned, manifest.get("primary_variant", PRIMARY_VARIANT))

    def extended(self, extra: Iterable[tuple[str, bytes, str]], source: str = "caller",
                 variant: str | None = None) -> ContextStore:
        """A new store with more pinned contexts: ``(url, file bytes, expected sha256)``.

        Refuses a URL this store already pins (one URL, one meaning per variant).
        """
        added = [_pin(url, variant or self.primary, data, sha, source) for url, data, sha in extra]
        for ctx in added:
            if ctx.variant in self._by_url.get(ctx.url, {}):
                raise ContextError(ctx.url, "context is already pinned")
        return ContextStore([*self.contexts(), *added], self.primary)

    # -- queries ------------------------------------------------------------------------
    def contexts(self) -> Iterator[PinnedContext]:
        for variants in self._by_url.values():
            yield from variants.values()

    def urls(self) -> frozenset[str]:
        return frozenset(self._by_url)

    def variants_of(self, url: str) -> list[str]:
        """Variant names pinned for ``url``, primary first."""
        names = sorted(self._by_url.get(url, {}))
        return sorted(names, key=lambda n: n != self.primary)

    def variants_for(self, document: Mapping[str, Any]) -> list[str]:
        """Variants that change how ``document`` is read, primary first."""
        names = {self.primary}
        for url in _context_urls(document):
            names.update(self._by_url.get(url, {}))
        return sorted(names, key=lambda n: (n != self.primary, n))

    def pinned(self, url: str, variant: str | None = None) -> PinnedContext:
        variants = self._by_url.get(url)
        if variants is None:
            raise ContextError(url, "context is not pinned (never fetched)")
        return variants.get(variant or self.primary) or variants[self.primary]

    def _state(self, variant: str | None) -> _VariantState:
        name = variant or self.primary
        with self._states_lock:
            state = self._states.get(name)
            if state is None:
                docs = {url: (v.get(name) or v[self.primary]).document
                        for url, v in self._by_url.items()}
                state = self._states[name] = _VariantState(docs)
            return state

    # -- processing -----------------------------------------------------------------------
    def canonicalize(self, document: Mapping[str, Any], variant: str | None = None) -> str:
        """URDNA2015 N-Quads of ``document`` (null base, pinned contexts only)."""
        self.check_document(document)
        state = self._state(variant)
        with state.lock, _jsonld_errors():
            dataset = state.processor.to_rdf(dict(document), state.options())
            result = _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})
        return str(result)

    def expand(self, document: Mapping[str, Any], variant: str | None = None) -> list[Any]:
        self.check_document(document)
        state = self._state(variant)
        with state.lock, _jsonld_errors():
            expanded = state.processor.expand(dict(document), state.options())
        return list(expanded)

    def find_dropped_terms(self, document: Mapping[str, Any],
                           variant: str | None = None) -> list[str]:
        """What :meth:`find_data_loss` finds, as strings (tests, messages)."""
        return [str(loss) for loss in self.find_data_loss(document, variant)]

    def find_data_loss(self, document: Mapping[str, Any],
                       variant: str | None = None) -> list[Loss]:
        """Fields and values the canonical N-Quads would not cover (§4, §7.3, §7.15).

        The sentinel ``@vocab`` goes *first* in each context list that names a URL
        (top level, embedded credentials), so a ``@vocab`` the document's own
        contexts declare still counts as a definition; inline ``"@vocab": null``
        and null contexts are re-armed, and terms an inline context maps to null
        are reported when the document uses them. Then the expanded probe is
        walked (:mod:`.lossless`): identifiers, types, predicates and datatypes
        must be well-formed absolute IRIs (or blank nodes), language tags
        well-formed, value objects well-shaped, every JSON object must survive
        expansion, and every expanded statement must come out as a quad.
        """
        self.check_document(document)
        armer = lossless.Armer()
        probe = armer.arm(document)
        state = self._state(variant)
        with state.lock, _jsonld_errors():
            expanded = state.processor.expand(probe, state.options())
            losses = lossless.check_expanded(expanded, armer, state.processor)
        return losses

    def check_document(self, document: Mapping[str, Any]) -> None:
        """Refuse oversized documents, unpinned context URLs and context bombs."""
        if not isinstance(document, Mapping):
            raise ContextError(None, "a JSON-LD document must be a JSON object")
        nodes = 0
        contexts = 0
        stack: list[tuple[Any, int]] = [(document, 0)]
        while stack:
            value, depth = stack.pop()
            nodes += 1
            if nodes > MAX_DOCUMENT_NODES:
                raise ContextError(None, f"document has more than {MAX_DOCUMENT_NODES} values")
            if depth > MAX_DOCUMENT_DEPTH:
                raise ContextError(None, f"document nests deeper than {MAX_DOCUMENT_DEPTH}")
            if isinstance(value, Mapping):
                for key, item in value.items():
                    if key == "@context":
                        contexts += self._check_context_value(item)
                        if contexts > MAX_CONTEXT_ENTRIES:
                            raise ContextError(None, "document names too many contexts")
                    else:
                        stack.append((item, depth + 1))
            elif isinstance(value, list):
                stack.extend((item, depth + 1) for item in value)

    def _check_context_value(self, value: Any) -> int:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str):
                if item not in self._by_url:
                    raise ContextError(item, "unknown context (not pinned; never fetched)")
            elif isinstance(item, Mapping):
                _check_inline_context(item, self._by_url)
            elif item is not None:
                raise ContextError(None, "@context entries must be URLs, objects or null")
        return len(items)


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]
    """URDNA2015 with a work bound: poison graphs fail instead of running for hours."""

    def __init__(self) -> None:
        super().__init__()
        self._calls = 0
        self._deadline = time.monotonic() + MAX_CANON_SECONDS

    def hash_n_degree_quads(self, id_: Any, issuer: Any) -> Any:
        self._calls += 1
        if self._calls > MAX_NDEGREE_CALLS or time.monotonic() > self._deadline:
            raise ContextError(None, "canonicalization exceeded its work bound "
                                     "(blank-node structure too complex)")
        return super().hash_n_degree_quads(id_, issuer)


class _jsonld_errors:
    """Turn pyld failures into :class:`ContextError` (naming our own cause if any)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> Literal[False]:
        if exc is None or isinstance(exc, ContextError):
            return False
        if isinstance(exc, RecursionError):
            raise ContextError(None, "JSON-LD processing recursed too deeply") from None
        if isinstance(exc, OverflowError):  # an integer no xsd:double can hold
            raise ContextError(None, "a number is too large for JSON-LD") from None
        if isinstance(exc, jsonld.JsonLdError):
            cause: BaseException | None = exc
            seen = 0
            while cause is not None and seen < 32:
                if isinstance(cause, ContextError):
                    raise cause from None
                cause = cause.__cause__ or getattr(cause, "cause", None)
                seen += 1
            raise ContextError(None, f"invalid JSON-LD: {_describe(exc)}") from None
        return False


def _describe(exc: BaseException) -> str:
    parts: list[str] = []
    cause: BaseException | None = exc
    while cause is not None and len(parts) < 4:
        code = getattr(cause, "code", None)
        first = cause.args[0] if cause.args else ""
        msg = (first if isinstance(first, str) else str(cause)).split("\n")[0][:200]
        parts.append(f"{msg} ({code})" if code else msg)
        cause = cause.__cause__
    return "; ".join(parts)


def _read_pinned(path: Path, url: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ContextError(url, f"pinned context file is missing ({exc.strerror})") from None


def _pin(url: str, variant: str, data: bytes, expected: str, source: str) -> PinnedContext:
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected.lower():
        raise ContextError(url, f"pinned context file does not match its SHA-256 "
                                f"(expected {expected}, found {digest})")
    try:  # strict, like every pinned document: a duplicated term has no single meaning
        doc = parse_json_object(data, "pinned context file")
    except BadInput as exc:
        raise ContextError(url, exc.reason.rstrip(".")) from None
    return PinnedContext(url, variant, digest, doc, source)


def _check_inline_context(ctx: Mapping[str, Any], pinned: Mapping[str, Any]) -> None:
    """Inline contexts are allowed, but small and shallow; URLs inside must be pinned."""
    nodes = 0
    stack: list[tuple[Any, int]] = [(ctx, 0)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_INLINE_CONTEXT_NODES:
            raise ContextError(None, f"inline @context is too large (over "
                                     f"{MAX_INLINE_CONTEXT_NODES} values)")
        if depth > MAX_INLINE_CONTEXT_DEPTH:
            raise ContextError(None, f"inline @context nests deeper than "
                                     f"{MAX_INLINE_CONTEXT_DEPTH}")
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key in ("@context", "@import"):
                    for ref in item if isinstance(item, list) else [item]:
                        if isinstance(ref, str) and ref not in pinned:
                            raise ContextError(ref, "unknown context (not pinned; never fetched)")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _context_urls(document: Mapping[str, Any]) -> list[str]:
    ctx = document.get("@context")
    items = ctx if isinstance(ctx, list) else [ctx]
    return [c for c in items if isinstance(c, str)]


_default_lock = threading.Lock()
_default: ContextStore | None = None


def default_store() -> ContextStore:
    """The bundled contexts (hash-checked once per process)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ContextStore.from_directory(BUNDLE_DIR)
        return _default


def canonicalize(document: Mapping[str, Any], *, variant: str | None = None,
                 store: ContextStore | None = None) -> str:
    """URDNA2015 N-Quads; raises :class:`ContextError` for anything not pinned or invalid."""
    return (store or default_store()).canonicalize(document, variant)


def find_dropped_terms(document: Mapping[str, Any], *, variant: str | None = None,
                       store: ContextStore | None = None) -> list[str]:
    """Undefined terms / relative types and ids; pass the variant a proof verified with."""
    return (store or default_store()).find_dropped_terms(document, variant)


def find_data_loss(document: Mapping[str, Any], *, variant: str | None = None,
                   store: ContextStore | None = None) -> list[Loss]:
    """Everything the canonical form would not cover, with the reason for each."""
    return (store or default_store()).find_data_loss(document, variant)


def variants_for(document: Mapping[str, Any], *, store: ContextStore | None = None) -> list[str]:
    return (store or default_store()).variants_for(document)


def context_variant_for(document: Mapping[str, Any], *,
                        store: ContextStore | None = None) -> str | None:
    """Default variant for a document naming a drifting context URL, else ``None``."""
    names = variants_for(document, store=store)
    return names[0] if len(names) > 1 else None
