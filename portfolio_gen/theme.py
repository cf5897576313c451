"""Where the theme's files are: ours, and a portfolio's or a cohort's own overrides.

Why one place: the theme (Jinja2 templates, CSS/JS, fonts) lives at the repository's top
level in ``themes/portfolio/``; the wheel ships it as ``portfolio_gen/themes/portfolio/``
(pyproject maps it), a source checkout or an editable install reads it where it is. Every
reader of a theme file asks here, so neither layout is written twice.

Overrides (like MkDocs' ``custom_dir``): a portfolio (the folder of ``mkdocs.yml``) or a
cohort (the folder of ``cohort.yml``) may hold ``themes/portfolio/`` with the same layout
(``templates/``, ``assets/``); each file there replaces ours of the same path, one by one.
An override folder, or a file in it, that leads (through a link) out of the folder that
holds it is not read. The override is passed around as data (a ``Path`` or ``None``).
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from portfolio_gen.confine import inside

NAME = "portfolio"
#: The folder a portfolio or cohort adds beside its configuration file.
OVERRIDE_DIR = "themes"
TEMPLATES = "templates"
ASSETS = "assets"
FONTS = "fonts"

_HERE = Path(__file__).resolve().parent
_PACKAGED = _HERE / "themes" / NAME            # an installed wheel
_SOURCE = _HERE.parent / "themes" / NAME       # a source checkout or an editable install


@functools.cache
def builtin() -> Path:
    """Our theme folder (``templates/``, ``assets/``, ``fonts/``)."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE


def find_override(folder: Path) -> tuple[Path | None, str | None]:
    """``(<folder>/themes/portfolio, None)`` when ``folder`` has one, ``(None, None)`` when
    not, ``(None, why)`` when it leads out of ``folder`` or its files sit one level too high
    (``themes/templates/``). Our own theme (the source checkout's ``themes/``, beside the
    sample's ``mkdocs.yml``) is no override."""
    top = folder / OVERRIDE_DIR
    candidate = top / NAME
    if not (candidate.is_dir() or top.is_symlink()):
        if top.is_dir() and any((top / kind).exists() for kind in (TEMPLATES, ASSETS, FONTS)):
            return None, (f"{top}: theme files go in {OVERRIDE_DIR}/{NAME}/{TEMPLATES}/ and "
                          f"{OVERRIDE_DIR}/{NAME}/{ASSETS}/ (the layout of ours); nothing in "
                          f"{top} was read")
        return None, None
    if not inside(candidate, folder) or not candidate.is_dir():
        return None, (f"{candidate}: the theme override folder leads (through a link) out "
                      f"of {folder}; it was not read, the built-in theme is used")
    if candidate.resolve() == builtin().resolve():
        return None, None
    return candidate.resolve(), None


def file(kind: str, name: str, override: Path | None = None) -> Path:
    """The file that serves ``<kind>/<name>``: the override's when it has one inside it."""
    if override is not None:
        mine = override / kind / name
        if mine.is_file() and inside(mine, override):
            return mine
    return builtin() / kind / name


def read(kind: str, name: str, override: Path | None = None) -> bytes:
    return file(kind, name, override).read_bytes()


def override_files(override: Path | None) -> list[Path]:
    """Every file of an override that would be read (links leading out of it are not)."""
    if override is None or not override.is_dir():
        return []
    found: list[Path] = []
    # not following links to folders; a file in a real folder below the override lies in it,
    # so only links are resolved (digested on every render: this stays cheap)
    for folder, dirs, names in os.walk(override):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file() and (not path.is_symlink() or inside(path, override)):
                found.append(path)
    return found


def digest(override: Path | None) -> str:
    """SHA-256 of an override's files (path and content); ``""`` for none. Cache keys of
    anything rendered include it, so editing an override file re-renders what it shows."""
    if override is None:
        return ""
    h = hashlib.sha256(b"theme-override-1\0")
    for path in override_files(override):
        h.update(path.relative_to(override).as_posix().encode() + b"\0")
        h.update(_file_hash(path))
    return h.hexdigest()


#: path → (its stat signature, SHA-256 of its bytes): a file is read again only when its
#: size, mtime or inode changed, as git's index does.
_HASHES: dict[str, tuple[tuple[int, int, int], bytes]] = {}


def _file_hash(path: Path) -> bytes:
    st = path.stat()
    sig = (st.st_size, st.st_mtime_ns, st.st_ino)
    known = _HASHES.get(str(path))
    if known is not None and known[0] == sig:
        return known[1]
    value = hashlib.sha256(path.read_bytes()).digest()
    _HASHES[str(path)] = (sig, value)
    return value


def builtin_files() -> list[Path]:
    """Every file of our theme (for the digest of rendered output)."""
    root = builtin()
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
