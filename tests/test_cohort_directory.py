"""Directory data, the sharded search index and the SVG charts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from portfolio_gen.cohort.charts import LINE_WIDTH, bar_chart_svg, text_width, wrap_label
from portfolio_gen.cohort.search_index import CARD_BLOCK, write_search_index
from portfolio_gen.model.directory import DirectoryBuilder, DirectoryData, fold
from portfolio_gen.model.learner_summary import CredentialFacts, FailedCredential, LearnerSummary

SVG = "{http://www.w3.org/2000/svg}"


def _cred(name: str, issuer: str, skills: tuple[str, ...], issued: str = "2025-03-01",
          ) -> CredentialFacts:
    return CredentialFacts(name.lower().replace(" ", "-"), name, f"https://a.example/{name}",
                           issuer, f"did:key:{issuer}", issued, None, skills)


def _summaries() -> list[LearnerSummary]:
    return [
        LearnerSummary("l/ada", "Ada Lovelace", "Analyst", None, "", (
            _cred("Python Basics", "Open", ("Python", "SQL")),
            _cred("Team Project", "City", ("teamwork",), "2025-06-01")),
            (FailedCredential("badges/x.json", "invalid", "bad"),),
            (("invalid", 1), ("verified", 2)), ("Data Analyst",)),
        LearnerSummary("l/ada2", "Ada Lovelace", "Designer", None, "", (
            _cred("Python Basics", "Open", ("python",)),), (), (("verified", 1),), ()),
        LearnerSummary("l/zed", "Zoë Žák", "", None, "", (
            _cred("Team Project", "City", ("Teamwork",), "2025-07-01"),), (),
            (("verified", 1),), ("data analyst",)),
        LearnerSummary("l/none", "Nobody Verified", "", None, "", (), (), (), ()),
    ]


def _build(order: list[LearnerSummary]) -> DirectoryData:
    builder = DirectoryBuilder(top=2, recent=2)
    for summary in order:
        builder.add(summary)
    return builder.finish()


def test_figures_facets_and_stable_slugs() -> None:
    data = _build(_summaries())
    assert data.headline.learners == 4 and data.headline.verified_credentials == 4
    assert data.headline.issuers == 2 and data.headline.skills == 3
    slugs = {c.rel: c.slug for c in data.cards}
    assert slugs["l/ada"] == "ada-lovelace" and slugs["l/ada2"].startswith("ada-lovelace-")
    assert slugs["l/zed"] == "zoe-zak"
    # same slugs and data whatever order results arrive in
    assert _build(list(reversed(_summaries()))) == data
    facet = {(v.kind, v.label): v.learners for k in data.facets for v in data.facets[k]}
    assert facet[("skill", "Python")] == tuple(sorted([slugs["l/ada"], slugs["l/ada2"]]))
    assert facet[("skill", "Teamwork")] == tuple(sorted([slugs["l/ada"], slugs["l/zed"]]))
    assert facet[("pathway", "Data Analyst")] == tuple(sorted([slugs["l/ada"], slugs["l/zed"]]))
    assert facet[("issuer", "City")] == tuple(sorted([slugs["l/ada"], slugs["l/zed"]]))
    assert [v.label for v in data.top_skills] == ["Python", "Teamwork"]
    assert [(r.learner_slug, r.name) for r in data.recent] == [("zoe-zak", "Team Project"),
                                                               ("ada-lovelace", "Team Project")]
    card = data.card(slugs["l/none"])
    assert card is not None and card.verified == 0 and card.top_skills == ()


def test_search_index_shards(tmp_path: Path) -> None:
    data = _build(_summaries())
    stats = write_search_index(data, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["learners"] == 4 and manifest["card_block"] == CARD_BLOCK
    assert manifest["name_shards"] == ["a", "l", "n", "v", "z"]
    ids = {c.slug: i for i, c in enumerate(data.cards)}
    l_shard = json.loads((tmp_path / "names" / "l.json").read_text())
    assert sorted(i for i, _ in l_shard) == sorted(
        ids[c.slug] for c in data.cards if "Lovelace" in c.name)
    assert [n for _, n in json.loads((tmp_path / "names" / "z.json").read_text())] == [
        "zoe zak"]
    skills = {label: vid for vid, _, label, _ in manifest["facets"]["skill"]}
    python = json.loads((tmp_path / "facets" / "skill" / f"{skills['Python']}.json").read_text())
    assert python == sorted(ids[s] for s in ids if s.startswith("ada-lovelace"))
    cards = json.loads((tmp_path / "cards" / "0.json").read_text())
    assert [c[0] for c in cards] == [c.slug for c in data.cards]
    assert stats.files == 1 + 5 + sum(len(v) for v in data.facets.values()) + 1
    assert stats.manifest_bytes == (tmp_path / "manifest.json").stat().st_size
    assert fold("Évariste  GALOIS-x") == "evariste galois x"


def test_bar_chart_is_accessible_and_escaped() -> None:
    svg = bar_chart_svg("Top <skills>", [("<script>alert(1)</script>", 3), ("A & B", 1)])
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Top <skills>"
    assert desc is not None and "<script>alert(1)</script>: 3 learners" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script>" not in svg
    widths = [int(r.get("width", "0")) for r in root.iter(f"{SVG}rect")]
    assert widths == [360, 120]


def test_chart_labels_wrap_instead_of_being_cut() -> None:
    label = "Data Storytelling (Civic Code Lab) with a very long qualification name"
    lines = wrap_label(label)
    assert len(lines) == 2 and all(text_width(line) <= LINE_WIDTH for line in lines)
    assert " ".join(lines) == label
    wide = wrap_label("W" * 200)      # wide letters, no space: hard breaks, then "…"
    assert len(wide) == 3 and wide[-1].endswith("…")
    assert all(text_width(line) <= LINE_WIDTH for line in wide)
    assert "".join(wide).rstrip("…") == "W" * (sum(map(len, wide)) - 1)
    svg = bar_chart_svg("Top", [(label, 2)])
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert texts[0] == "".join(lines)
