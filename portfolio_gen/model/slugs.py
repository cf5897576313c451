"""Stable, readable, unique URL slugs.

A slug comes from the name; when names collide, the oldest credential keeps the plain
slug and the others get a suffix from a hash of their credential id (or file name), so
URLs do not depend on the order files are read and do not change when a newer duplicate
is added.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

_MAX_LEN = 60
RESERVED = frozenset({"index", "assets", "search"})


def slugify(text: str, fallback: str = "item") -> str:
    """ASCII, lower case, hyphen-separated; ``fallback`` when nothing readable is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:_MAX_LEN].rstrip("-")
    return slug or fallback


def unique_slugs(items: Sequence[tuple[str, str, str]]) -> list[str]:
    """Slugs for ``(name, identity key, seniority key)`` triples, in the same order.

    The seniority key (e.g. an ISO issue date then the identity) decides who keeps the
    plain slug within a collision; the identity key feeds the hash suffix.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (name, _, _) in enumerate(items):
        groups[slugify(name, "credential")].append(index)
    out = [""] * len(items)
    taken: set[str] = set(groups) | set(RESERVED)
    for base, members in sorted(groups.items()):
        ordered = sorted(members, key=lambda i: (items[i][2], items[i][1]))
        for rank, index in enumerate(ordered):
            if rank == 0 and base not in RESERVED:
                out[index] = base
                continue
            out[index] = _suffixed(base, items[index][1], taken)
    return out


def _suffixed(base: str, identity: str, taken: set[str]) -> str:
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    for width in range(6, len(digest) + 1):
        candidate = f"{base}-{digest[:width]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise ValueError(f"cannot make a unique slug for {base!r}")  # pragma: no cover


def join_unique(names: Iterable[str]) -> list[str]:
    """Unique slugs for plain names (skills): ``-2``, ``-3`` in the given (sorted) order."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        base = slugify(name, "skill")
        count = seen.get(base, 0) + 1
        seen[base] = count
        out.append(base if count == 1 else f"{base}-{count}")
    return out
