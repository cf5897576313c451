"""Skills across credentials and reflections, merged into one list.

Alignments merge by framework URL (``targetUrl``), else by framework + code, else by
name; a reflection's plain skill name joins the skill with the same name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portfolio_gen.model.credential import Alignment, Credential
from portfolio_gen.model.reflection import Reflection
from portfolio_gen.model.slugs import join_unique


@dataclass(frozen=True)
class Skill:
    slug: str
    name: str
    url: str | None
    framework: str | None
    code: str | None
    description: str | None
    credential_slugs: tuple[str, ...]
    reflection_slugs: tuple[str, ...]


def _key(alignment: Alignment) -> str:
    if alignment.url:
        return "url:" + alignment.url.strip()
    if alignment.code:
        return f"code:{(alignment.framework or '').casefold()}|{alignment.code.casefold()}"
    return "name:" + alignment.name.casefold()


def _representative(found: list[Alignment]) -> Alignment:
    """The most used spelling (then the alphabetically first), with the fullest details."""
    names = sorted({a.name for a in found},
                   key=lambda n: (-sum(1 for a in found if a.name == n), n))
    richest = max(found, key=lambda a: (bool(a.framework), bool(a.code), bool(a.description)))
    return Alignment(names[0], richest.url, richest.framework, richest.code, richest.description)


def merge_skills(credentials: Iterable[Credential],
                 reflections: Iterable[Reflection]) -> tuple[Skill, ...]:
    """One skill per distinct alignment, sorted by name, with its evidence."""
    variants: dict[str, list[Alignment]] = {}
    creds: dict[str, set[str]] = {}
    refls: dict[str, set[str]] = {}
    for cred in sorted(credentials, key=lambda c: c.slug):
        for alignment in cred.alignments:
            key = _key(alignment)
            variants.setdefault(key, []).append(alignment)
            creds.setdefault(key, set()).add(cred.slug)
    first = {key: _representative(found) for key, found in variants.items()}
    for refl in sorted(reflections, key=lambda r: r.path):
        for name in refl.skills:
            key = next((k for k in sorted(first) if first[k].name.casefold() == name.casefold()),
                       "name:" + name.casefold())
            first.setdefault(key, Alignment(name))
            refls.setdefault(key, set()).add(refl.slug)
    keys = sorted(first, key=lambda k: (first[k].name.casefold(), k))
    slugs = join_unique(first[k].name for k in keys)
    return tuple(
        Skill(slug, first[k].name, first[k].url, first[k].framework, first[k].code,
              first[k].description, tuple(sorted(creds.get(k, ()))),
              tuple(sorted(refls.get(k, ()))))
        for slug, k in zip(slugs, keys, strict=True))
