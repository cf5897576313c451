"""Reading paths: files and directory trees into raw credentials or problems.

The boundary where :class:`BadInput` becomes an :class:`IngestProblem`, so one bad
file never stops the others. Files are read with size caps before any parsing and
nothing is ever written next to the learner's files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from portfolio_gen.confine import link_leaves
from portfolio_gen.errors import BadInput
from portfolio_gen.ingest import presentation
from portfolio_gen.ingest.classify import credential_from_text, shortcut_url
from portfolio_gen.ingest.jsontext import MAX_JSON_BYTES
from portfolio_gen.ingest.png import MAX_PNG_BYTES, read_png
from portfolio_gen.ingest.raw import Container, IngestProblem, Kind, RawCredential
from portfolio_gen.ingest.sniff import CREDENTIAL_SUFFIXES, HEAD_BYTES, Sniffed, sniff
from portfolio_gen.ingest.svg import MAX_SVG_BYTES, read_svg

Item = RawCredential | IngestProblem

_CAPS = {Sniffed.PNG: MAX_PNG_BYTES, Sniffed.SVG: MAX_SVG_BYTES}
_CONTAINERS = {Sniffed.PNG: "png", Sniffed.SVG: "svg", Sniffed.JSON: "json",
               Sniffed.TEXT: "jws", Sniffed.BINARY: "unknown"}
#: Problems a directory walk does not report for files that were never meant as badges.
_QUIET_ALWAYS = frozenset({"no_badge", "not_a_badge"})
_QUIET_UNLESS_BADGE_SUFFIX = frozenset({"unknown_format", "empty", "too_large"})


def read_file(path: Path, display: str | None = None) -> list[Item]:
    """Everything readable in one named file (or directory); problems are reported, not raised."""
    source = display if display is not None else str(path)
    if path.is_dir():
        return list(_walk(path, source))
    return _read_one(path, source, explicit=True)


def read_paths(paths: Iterable[Path | str], *, report_all: bool = False) -> Iterator[Item]:
    """Each given path in order; a directory yields its badge files recursively, sorted.

    A directory walk skips files that are plainly not badges (a photo, notes) unless
    ``report_all``, which the build uses so every file in ``badges/`` is accounted for.
    """
    for given in paths:
        path = Path(given)
        source = given if isinstance(given, str) else str(given)
        if path.is_dir():
            yield from _walk(path, source, report_all=report_all)
        else:
            yield from _read_one(path, source, explicit=True)


def _walk(root: Path, source: str, *, report_all: bool = False) -> Iterator[Item]:
    """Non-hidden files below ``root`` in sorted path order; symlinked directories not followed,
    and a symlinked file leading out of ``root`` not read (it would publish what it reaches)."""
    found: list[tuple[str, ...]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=None):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel = Path(dirpath).relative_to(root).parts
        found.extend((*rel, name) for name in filenames if not name.startswith("."))
    for parts in sorted(found):
        path, where = root.joinpath(*parts), os.path.join(source, *parts)
        why = link_leaves(path, root)
        if why is not None:
            yield IngestProblem(where, "outside_folder", f"The file {why}; it was not read.")
            continue
        yield from _read_one(path, where, explicit=report_all)


def _read_one(path: Path, source: str, *, explicit: bool) -> list[Item]:
    """The credentials of one file: one, or each of a presentation's; ``[]`` if quietly skipped."""
    suffix = path.suffix.lower()
    container = "unknown"
    try:
        data, kind = _read_head_first(path, suffix)
        container = _CONTAINERS[kind]
        cap = _CAPS.get(kind, MAX_JSON_BYTES)
        if len(data) > cap:
            raise BadInput("too_large", f"The file is larger than {cap} bytes, the limit for "
                           f"{kind.value} input.")
        item = _decode(data, kind, source)
    except BadInput as exc:
        if not explicit and (exc.code in _QUIET_ALWAYS or (
                exc.code in _QUIET_UNLESS_BADGE_SUFFIX and suffix not in CREDENTIAL_SUFFIXES)):
            return []
        return [IngestProblem(source, exc.code, exc.reason, container, exc.unsupported)]
    if item.kind is Kind.PRESENTATION:
        return presentation.expand(item)
    return [item]


def _read_head_first(path: Path, suffix: str) -> tuple[bytes, Sniffed]:
    """Sniff the first bytes, then read at most one byte beyond that container's size cap."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
            kind = sniff(head, suffix)
            cap = _CAPS.get(kind, MAX_JSON_BYTES)
            rest = handle.read(cap + 1 - len(head)) if len(head) == HEAD_BYTES else b""
    except FileNotFoundError:
        raise BadInput("not_found", "No file or directory exists at this path.") from None
    except OSError as exc:
        raise BadInput("unreadable", f"The file cannot be read ({exc.strerror or exc}).") from None
    return head + rest, kind


def _decode(data: bytes, kind: Sniffed, source: str) -> RawCredential:
    if not data.strip():
        raise BadInput("empty", "The file is empty.")
    if kind is Sniffed.PNG:
        return read_png(data, source)
    if kind is Sniffed.SVG:
        return read_svg(data, source)
    if kind is Sniffed.BINARY:
        raise BadInput("unknown_format", "The file is not a badge: not JSON, a compact JWS, "
                       "a hosted URL, a PNG or an SVG.", unsupported=True)
    url = shortcut_url(data)
    if url is not None:
        return RawCredential(source, Container.URL, Kind.OB2_HOSTED_URL, url.encode("ascii"),
                             url=url, file_bytes=data)
    container = Container.JSON if kind is Sniffed.JSON else Container.JWS
    item = credential_from_text(data, source=source, container=container, file_bytes=data,
                                what="file")
    if item.kind is Kind.OB2_HOSTED_URL:
        return RawCredential(source, Container.URL, item.kind, item.payload, url=item.url,
                             file_bytes=data)
    return item
