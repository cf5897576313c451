"""Learner paths stay inside the learner's folder.

Why: a portfolio folder is read by people who did not write it (a careers office builds
hundreds into one cohort site; a learner may copy a shared template). A path in
``mkdocs.yml`` or ``profile.yml`` that is absolute, climbs out with ``..``, or a symlink
that leads elsewhere would publish whatever it reaches: a system file, a staff folder, a
classmate who did not consent. Every path a learner supplies is resolved (symlinks
followed) and must still lie inside the folder; anything else is refused with a sentence
saying why, and the build goes on without it.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symlink resolved, is ``root`` or lies below it."""
    try:
        target = path.resolve()
        base = root.resolve()
    except (OSError, RuntimeError):   # a symlink loop
        return False
    return target == base or base in target.parents


def confine(value: str, root: Path) -> tuple[Path | None, str | None]:
    """``(path, None)`` for a learner-written relative path that resolves inside ``root``,
    else ``(None, why)``."""
    text = value.strip()
    if text.startswith("~") or PurePath(text).is_absolute() or os.path.isabs(text):
        return None, (f"{text!r} is an absolute path; only paths inside the portfolio folder "
                      "are read")
    path = root / text
    if not inside(path, root):
        how = "climbs out of" if ".." in PurePath(text).parts else "leads (through a link) out of"
        return None, f"{text!r} {how} the portfolio folder; only paths inside it are read"
    return path.resolve(), None


def link_leaves(path: Path, root: Path) -> str | None:
    """Why an entry found while walking ``root`` must not be read (a link out of it), else
    ``None``."""
    if inside(path, root):
        return None
    return "is a link leading out of the folder"
