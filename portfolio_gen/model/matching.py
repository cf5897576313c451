"""How learners refer to credentials: by id, achievement id, badge file name, slug or name."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from portfolio_gen.model.credential import Credential


def refers_to(ref: str, credential: Credential) -> bool:
    """True when ``ref`` (from front matter or pathways.yml) names ``credential``."""
    ref = ref.strip()
    exact = {credential.credential_id, credential.achievement_id, credential.source,
             PurePosixPath(credential.source).name, credential.slug}
    if ref in exact:
        return True
    return ref.casefold() == credential.name.casefold()


def find(ref: str, credentials: Iterable[Credential]) -> list[Credential]:
    return [c for c in credentials if refers_to(ref, c)]
