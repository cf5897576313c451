"""Local sources for ``add``: a badge file, a baked image, a wallet export, or a folder.

Each file becomes one or more :class:`Candidate` s (a wallet export one per credential,
see :mod:`portfolio_gen.importer.wallet`); whether a candidate really is a badge is
decided later by the same ingestion the build uses. Files are read with a size cap and
nothing is ever written next to them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from portfolio_gen.importer.wallet import split_wallet
from portfolio_gen.ingest.png import MAX_PNG_BYTES

#: The largest file any reader accepts (baked PNGs); larger files are refused unread.
MAX_SOURCE_BYTES = MAX_PNG_BYTES
#: Credentials taken from one wallet export; a learner's wallet holds dozens, not thousands.
MAX_PARTS = 500

BACKUP_WARNING = ("{name} is a wallet backup: it holds your private keys. Only its {n} "
                  "credential(s) were taken. Never publish the backup or put it in your "
                  "portfolio folder; keep it somewhere private.")


@dataclass(frozen=True)
class Candidate:
    """Bytes that may hold one credential, where they came from, and a fallback name."""

    data: bytes
    suffix: str         # file extension to save with, lower case, with the dot
    origin: str         # the path or URL as the learner gave it (plus "#n" inside a set)
    stem: str           # readable fallback for the saved file's name


@dataclass
class Loaded:
    """What one source gave: candidates, warnings for the learner, and sources that failed."""

    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def load_local(path: Path, given: str) -> Loaded:
    """A file or a folder (recursively, hidden names skipped, sorted) as candidates."""
    loaded = Loaded()
    if path.is_dir():
        for file in _files(path):
            shown = os.path.join(given, file.relative_to(path).as_posix())
            _load_file(file, shown, loaded)
    elif path.is_file():
        _load_file(path, given, loaded)
    else:
        loaded.failures.append(f"{given}: no such file or folder")
    return loaded


def split_candidates(data: bytes, suffix: str, origin: str, stem: str, loaded: Loaded) -> None:
    """One candidate, or one per credential when ``data`` is a wallet export."""
    split = split_wallet(data) if data.lstrip()[:1] in (b"{", b"[", b"\xef") else None
    if split is None:
        loaded.candidates.append(Candidate(data, suffix, origin, stem))
        return
    if split.backup:
        loaded.warnings.append(BACKUP_WARNING.format(name=origin, n=len(split.parts)))
    if not split.parts:
        loaded.failures.append(f"{origin}: this {split.kind} holds no credentials")
    if len(split.parts) > MAX_PARTS:
        loaded.failures.append(f"{origin}: holds {len(split.parts)} credentials; only the first "
                               f"{MAX_PARTS} were read")
    for number, part in enumerate(split.parts[:MAX_PARTS], 1):
        loaded.candidates.append(Candidate(part.data, part.suffix, f"{origin}#{number}",
                                           f"{stem}-{number}"))


def _load_file(path: Path, given: str, loaded: Loaded) -> None:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        loaded.failures.append(f"{given}: cannot be read ({exc.strerror or exc})")
        return
    if len(data) > MAX_SOURCE_BYTES:
        loaded.failures.append(f"{given}: larger than {MAX_SOURCE_BYTES} bytes; not a badge")
        return
    split_candidates(data, path.suffix.lower(), given, path.stem, loaded)


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / name for name in filenames if not name.startswith("."))
    return sorted(found)
