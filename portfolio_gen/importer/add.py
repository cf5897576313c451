"""``portfolio-gen add``: sources → checked, verified, de-duplicated files in ``badges/``.

Every candidate goes through the build's own ingestion first (so only what the build can
read is copied), is verified on the spot, then saved under a readable name taken from the
achievement. Nothing is ever overwritten: identical bytes are a no-op, another credential
wanting the same name gets the name plus a short content hash, and a credential already
in the folder (same ``id``, or same bytes when it has none) is not added twice. The
documents verification needed are pinned beside the portfolio for offline builds.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from portfolio_gen.errors import FetchError, ImportRefused
from portfolio_gen.importer.local import Candidate, Loaded, load_local, split_candidates
from portfolio_gen.importer.platforms import (
    DEFAULT_BASES,
    ApiBases,
    download,
    shown_url,
)
from portfolio_gen.importer.target import Portfolio
from portfolio_gen.ingest import IngestProblem, Kind, RawCredential, read_file, read_paths
from portfolio_gen.ingest.hints import explain
from portfolio_gen.ingest.png import PNG_SIGNATURE
from portfolio_gen.ingest.sniff import Sniffed, sniff
from portfolio_gen.net.fetch import Fetcher
from portfolio_gen.net.store import PinStore, pin_urls
from portfolio_gen.progress import Progress, silent
from portfolio_gen.verify.context import VerifyContext
from portfolio_gen.verify.pinning import urls_to_pin
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report import VerificationReport

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Added:
    """One credential handled: ``added`` (new file), ``present`` (same file already there)
    or ``duplicate`` (the same credential is already in another file)."""

    status: Literal["added", "present", "duplicate"]
    path: Path
    origin: str
    report: VerificationReport | None = None


@dataclass(frozen=True)
class Skipped:
    """A source, or a file inside one, that gave no credential; ``hint`` says what to do."""

    origin: str
    reason: str
    hint: str = ""


@dataclass(frozen=True)
class Warning:
    """Something the learner must know (a wallet backup holds private keys)."""

    message: str


Event = Added | Skipped | Warning


class Importer:
    """Adds sources to one portfolio; ``pinned``/``pin_failures`` collect across sources."""

    def __init__(self, portfolio: Portfolio, *, fetcher: Fetcher, ctx: VerifyContext,
                 pin: bool = True, bases: ApiBases = DEFAULT_BASES,
                 progress: Progress = silent) -> None:
        self.portfolio = portfolio
        self.progress = progress   # ("adding <source>", done, total) within a many-file source
        self.fetcher = fetcher
        self.ctx = ctx
        self.pin = pin
        self.bases = bases
        self.pinned: list[str] = []
        self.pin_failures: list[str] = []
        self._by_hash: dict[str, Path] = {}
        self._by_key: dict[str, Path] = {}
        self._index_existing()

    def add(self, source: str) -> Iterator[Event]:
        """Handle one source (path or URL) and say what happened to each credential in it."""
        path = Path(source).expanduser()
        shown = source
        if path.exists() or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source):
            loaded = load_local(path, source)
        else:
            shown = shown_url(source)  # queries may carry an email address
            loaded = self._load_url(source)
        for message in loaded.warnings:
            yield Warning(message)
        for failure in loaded.failures:
            yield Skipped(shown, failure)
        total = len(loaded.candidates)
        for done, candidate in enumerate(loaded.candidates, 1):
            yield self._add_candidate(candidate)
            if total > 1:
                self.progress(f"adding {shown}", done, total)

    # -- one candidate -------------------------------------------------------------------------
    def _load_url(self, url: str) -> Loaded:
        loaded = Loaded()
        try:
            downloads = download(url, self.fetcher, self.bases)
        except ImportRefused as exc:
            loaded.failures.append(str(exc))
            return loaded
        for number, got in enumerate(downloads, 1):
            stem = f"{got.platform.split()[0].lower()}-{number}"
            split_candidates(got.data, got.suffix, shown_url(got.url), stem, loaded)
        return loaded

    def _add_candidate(self, candidate: Candidate) -> Event:
        digest = hashlib.sha256(candidate.data).hexdigest()
        if digest in self._by_hash:
            return Added("present", self._by_hash[digest], candidate.origin)
        item = _ingest(candidate)
        if isinstance(item, IngestProblem):
            return Skipped(candidate.origin, explain(item, candidate.data[:4096]))
        key = credential_key(item)
        if key in self._by_key:
            return Added("duplicate", self._by_key[key], candidate.origin)
        report = verify_item(item, self.ctx)
        name = _slug(report.achievement_name or "") or _slug(candidate.stem) or "badge"
        path = self._save(candidate.data, name, _suffix(candidate, item), digest)
        self._by_key[key] = path
        if self.pin:
            self._pin(item)
        return Added("added", path, candidate.origin, report)

    def _save(self, data: bytes, name: str, suffix: str, digest: str) -> Path:
        folder = self.portfolio.badges_dir
        folder.mkdir(parents=True, exist_ok=True)
        for file_name in (f"{name}{suffix}", f"{name}-{digest[:8]}{suffix}",
                          f"{name}-{digest}{suffix}"):
            path = folder / file_name
            try:
                with path.open("xb") as out:  # "x": never overwrite
                    out.write(data)
            except FileExistsError:
                if path.is_file() and path.read_bytes() == data:
                    break
                continue
            break
        else:  # pragma: no cover - three distinct names all taken by other content
            raise FileExistsError(f"{folder}: no free name for {name}{suffix}")
        self._by_hash[digest] = path
        return path

    def _pin(self, item: RawCredential) -> None:
        try:
            urls = [u for u in urls_to_pin(item, self.fetcher) if u not in self.pinned]
        except FetchError as exc:
            self.pin_failures.append(f"{exc.url}: {exc.reason}")
            return
        for url, outcome in pin_urls(urls, self.fetcher, PinStore(self.portfolio.pins_dir)):
            if isinstance(outcome, FetchError):
                self.pin_failures.append(f"{url}: {outcome.reason}")
            elif outcome.status < 300 or outcome.status == 410:
                self.pinned.append(url)
            else:
                self.pin_failures.append(f"{url}: HTTP {outcome.status}")

    def _index_existing(self) -> None:
        folder = self.portfolio.badges_dir
        if not folder.is_dir():
            return
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            try:
                self._by_hash.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
            except OSError:
                continue
        for item in read_paths([folder]):
            if isinstance(item, RawCredential):
                self._by_key.setdefault(credential_key(item), Path(item.source))


def credential_key(item: RawCredential) -> str:
    """What makes two files the same credential: its ``id`` (or ``jti``), else its bytes."""
    doc: Mapping[str, object] = item.document or {}
    vc = doc.get("vc")
    ident = vc.get("id") if isinstance(vc, Mapping) else None
    ident = ident or doc.get("id") or doc.get("jti")
    if item.kind is Kind.OB2_HOSTED_URL:
        ident = item.url
    if isinstance(ident, str) and ident.strip():
        return "id:" + ident.strip()
    return "sha256:" + hashlib.sha256(item.payload).hexdigest()


def _ingest(candidate: Candidate) -> RawCredential | IngestProblem:
    """Read the candidate with the build's own ingestion (through a private temp file)."""
    with tempfile.TemporaryDirectory(prefix="pg-add-") as tmp:
        path = Path(tmp) / f"candidate{candidate.suffix if len(candidate.suffix) < 12 else ''}"
        path.write_bytes(candidate.data)
        items = read_file(path, display=candidate.origin)
    if not items:
        return IngestProblem(candidate.origin, "empty", "Nothing was found in it.")
    return items[0]


def _suffix(candidate: Candidate, item: RawCredential) -> str:
    kind = sniff(candidate.data[:4096], candidate.suffix)
    if candidate.data.startswith(PNG_SIGNATURE):
        return ".png"
    if kind is Sniffed.SVG:
        return ".svg"
    if kind is Sniffed.JSON:
        return ".json"
    if item.kind is Kind.OB3_JWT:
        return ".jwt"
    if item.kind is Kind.OB2_SIGNED:
        return ".jws"
    return candidate.suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", candidate.suffix) else ".txt"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")[:60].strip("-")
