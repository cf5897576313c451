"""A sharded, compact search index for the learner directory.

Why sharded: a single index for 5,000 learners is megabytes, and MkDocs-style "load
everything on first search" freezes the page. Here the first search loads a small
manifest plus one name shard or a few posting lists:

* ``manifest.json`` — learner count, card block size, the name shard letters, and per
  facet kind the values ``[id, slug, label, count]`` (ids are positions).
* ``names/<c>.json`` — ``[[learner id, "folded name"], …]`` for every learner with a
  name word starting with ``c`` (``a`` to ``z``, ``0`` to ``9``, ``_`` for the rest): typing
  "lov" loads only ``names/l.json``.
* ``facets/<kind>/<value id>.json`` — sorted learner ids holding that value; a filter
  is the intersection of the chosen lists.
* ``cards/<block>.json`` — ``[slug, name, headline, verified, [top skills], photo]``
  for learner ids ``block*size … block*size+size-1``; results pages load only the
  blocks they show.

Learner ids are positions in slug order, so the same cohort gives the same files.
Only consenting learners and verified, unhidden credentials are in the data it gets.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portfolio_gen.model.directory import FACET_KINDS, Card, DirectoryData, fold, shard_letter

CARD_BLOCK = 100
FORMAT = 1


@dataclass(frozen=True)
class IndexStats:
    files: int
    total_bytes: int
    manifest_bytes: int
    largest_name_shard: int
    largest_facet_list: int
    card_block_bytes: int

    def line(self) -> str:
        return (f"search index: {self.files} files, {self.total_bytes / 1024:.0f} KiB in all; "
                f"manifest {self.manifest_bytes / 1024:.1f} KiB, largest name shard "
                f"{self.largest_name_shard / 1024:.1f} KiB, largest facet list "
                f"{self.largest_facet_list / 1024:.1f} KiB, card block "
                f"{self.card_block_bytes / 1024:.1f} KiB")


def default_photo_url(card: Card) -> str | None:
    """Where the site puts a learner's photo: ``learners/<slug>/photo<ext>``."""
    return f"learners/{card.slug}/photo{Path(card.photo).suffix.lower()}" if card.photo else None


def write_search_index(data: DirectoryData, out: Path, *,
                       photo_url: Callable[[Card], str | None] = default_photo_url) -> IndexStats:
    """Write the index below ``out`` (created; existing index files are replaced)."""
    out.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}

    def dump(rel: str, value: Any) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        path.write_bytes(body)
        sizes[rel] = len(body)

    ids = {card.slug: i for i, card in enumerate(data.cards)}
    shards: dict[str, list[list[Any]]] = defaultdict(list)
    for i, card in enumerate(data.cards):
        folded = fold(card.name)
        for letter in sorted({shard_letter(w) for w in folded.split()} or {"_"}):
            shards[letter].append([i, folded])
    for letter, rows in sorted(shards.items()):
        dump(f"names/{letter}.json", rows)
    facets: dict[str, list[list[Any]]] = {}
    for kind in FACET_KINDS:
        facets[kind] = []
        for vid, value in enumerate(data.facets.get(kind, ())):
            facets[kind].append([vid, value.slug, value.label, value.count])
            dump(f"facets/{kind}/{vid}.json", sorted(ids[s] for s in value.learners))
    for block in range(0, len(data.cards), CARD_BLOCK):
        dump(f"cards/{block // CARD_BLOCK}.json",
             [[c.slug, c.name, c.headline, c.verified, list(c.top_skills), photo_url(c)]
              for c in data.cards[block:block + CARD_BLOCK]])
    dump("manifest.json", {"format": FORMAT, "learners": len(data.cards),
                           "card_block": CARD_BLOCK, "name_shards": sorted(shards),
                           "facets": facets})
    return IndexStats(
        files=len(sizes), total_bytes=sum(sizes.values()), manifest_bytes=sizes["manifest.json"],
        largest_name_shard=max((v for k, v in sizes.items() if k.startswith("names/")),
                               default=0),
        largest_facet_list=max((v for k, v in sizes.items() if k.startswith("facets/")),
                               default=0),
        card_block_bytes=max((v for k, v in sizes.items() if k.startswith("cards/")),
                             default=0))
