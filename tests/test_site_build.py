"""Real MkDocs + Material builds of a small portfolio through the portfolio plugin."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.model.build_summary import BuildSummary
from tests.test_site_support import (
    HOSTILE_NAME,
    Node,
    make_portfolio,
    parse_html,
    resolve,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """These portfolios set no cache_dir: keep the default render cache out of ~/.cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildSummary]:
    root = tmp_path_factory.mktemp("portfolio")
    fetcher = make_portfolio(root)
    site = root / "site"
    summary = build_site(root, site_dir=site, now=NOW, fetcher=fetcher)
    return root, site, summary


def page(site: Path, rel: str) -> Node:
    path = site / rel / "index.html" if not rel.endswith(".html") else site / rel
    assert path.is_file(), f"missing page {rel}"
    return parse_html(path)


def cred_slug(site: Path, name: str) -> str:
    """The slug of the (first) card with this name on the credentials index."""
    index = page(site, "credentials")
    for card in index.find_all("article", "pg-card"):
        link = card.find("a")
        if link.text == name:
            return link.attrs["href"].strip("/")
    raise AssertionError(f"no card named {name!r}")


def test_pages_exist_at_stable_urls(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    for rel in ("", "credentials", "credentials/robotics-fundamentals",
                "credentials/line-following", "skills", "pathways", "timeline", "reflections",
                "reflections/first-robot"):
        assert (site / rel / "index.html").is_file(), rel
    assert not (site / "reflections" / "broken").exists()


def test_credential_pages_are_not_in_the_nav(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    nav = page(site, "").find("nav", "md-nav--primary")
    hrefs = [a.attrs.get("href", "") for a in nav.find_all("a")]
    assert any(h.startswith("credentials/") for h in hrefs)  # the index is
    assert not [h for h in hrefs if h.startswith("credentials/") and h != "credentials/"]
    for label in ("Home", "Credentials", "Skills", "Pathways", "Timeline", "Reflections"):
        assert label in nav.text


def test_verification_panel_has_one_row_per_check(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    doc = page(site, "credentials/robotics-fundamentals")
    report = json.loads((site / "credentials/robotics-fundamentals/verification.json").read_text())
    assert report["verdict"] == "verified"
    rows = doc.find("ol", "pg-checks").find_all("li", "pg-check")
    assert [r.attrs["data-check"] for r in rows] == [c["id"] for c in report["checks"]]
    icons = {"pass": "✓ Passed", "fail": "✗ Failed", "warn": "⚠ Could not check",
             "skip": "— Does not apply"}
    for row, check in zip(rows, report["checks"], strict=True):
        assert row.find("span", "pg-check__result").text == icons[check["status"]]
        assert row.find("code", "pg-check__id").text == check["id"]
        assert row.find("span", "pg-check__title").text   # worded for a person
    # Check ids appear only inside the collapsed "How this was checked".
    how = doc.find("details", "pg-how")
    assert how is not None and "open" not in how.attrs
    outside = doc.text.replace(how.text, "")
    assert not [c["id"] for c in report["checks"] if c["id"] in outside]
    when = doc.find("p", "pg-verification__when").text
    assert when == "Verified on 1 June 2026, 12:00 UTC, against the issuer's key shown below."
    trust = doc.find("section", "pg-trust")
    assert trust.find("div", "pg-seal").attrs["data-seal"] == "verified"
    assert "Verified" in trust.find("p", "pg-seal__label").text
    checked = trust.find("div", "pg-fact--checked").find("time")
    assert checked.attrs["datetime"].startswith("2026-06-01T12:00")
    assert checked.text == "1 June 2026, 12:00 UTC"
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", trust.text)


def test_tampered_badge_gets_a_banner(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    slugs = [s.split("/")[-1] for s in _card_hrefs(site, "Line Following")]
    assert slugs[0] == "line-following"  # the older, verified one keeps the plain slug
    assert len(slugs) == 2 and slugs[1].startswith("line-following-")
    tampered = page(site, f"credentials/{slugs[1]}")
    seal = tampered.find("div", "pg-seal")
    assert "pg-seal--unverified" in seal.attrs["class"]
    assert "Not verified" in seal.text and "do not rely on it" in seal.text
    # the issuer's name is only a claim there: no crest, no link to whoever it names
    issuer = tampered.find("strong", "pg-credential__issuer")
    assert not issuer.find_all("a") and not issuer.find_all("img")
    assert "did not prove it" in tampered.find("div", "pg-fact--issuer").text
    failing = [r for r in tampered.find_all("li", "pg-check") if r.attrs["data-status"] == "fail"]
    assert failing and failing[0].find("span", "pg-check__result").text == "✗ Failed"


def _card_hrefs(site: Path, name: str) -> list[str]:
    index = page(site, "credentials")
    return sorted(card.find("a").attrs["href"].strip("/") for card in
                  index.find_all("article", "pg-card") if card.find("a").text == name)


def test_hostile_badge_is_inert(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    hostile_seen = False
    for path in pages:
        doc = parse_html(path)
        for node in doc.iter():
            for attr, value in node.attrs.items():
                assert not attr.startswith("on"), (path, node.tag, attr)
                assert not value.strip().lower().startswith("javascript:"), (path, attr)
            assert node.tag not in ("object", "embed"), (path, node.tag)
            if node.tag == "iframe":  # only the live preview of our own, sandboxed card
                assert re.fullmatch(r"embed-(wide|tall)\.html", node.attrs["src"]), path
                assert node.attrs["sandbox"] == "allow-popups allow-popups-to-escape-sandbox"
            if node.tag == "script":
                _assert_inert_script(node, path)
        title = doc.find("title").text
        if "Evil" in title and doc.find_all("article", "pg-credential"):
            hostile_seen = True
            assert '<script>alert("name")</script>' in title  # shown as text
            heading = doc.find("h1")
            assert heading.text == " ".join(HOSTILE_NAME.split())
            assert not heading.find_all("script") and not heading.find_all("b")
            # the only SVG is our QR code (segno), whose title escapes the name
            svgs = doc.find("article", "pg-credential").find_all("svg")
            assert all(svg.attrs.get("class") == "portfolio-qr" for svg in svgs)
            body = doc.find("section", "pg-attested")
            hrefs = [a.attrs.get("href") for a in body.find_all("a")]
            assert "https://ok.example/page" in hrefs
            assert not body.find_all("img")
    assert hostile_seen


def _assert_inert_script(node: Node, path: Path) -> None:
    """A script is our file (src), a JSON data block that parses and cannot close itself, or
    the iframe card's own hash-pinned resize script."""
    kind = node.attrs.get("type", "")
    raw = "".join(c for c in node.children if isinstance(c, str))
    if node.attrs.get("src"):
        assert not raw.strip(), path
    elif kind in ("application/ld+json", "application/json"):
        json.loads(raw)
        assert "<" not in raw and ">" not in raw, path
    else:
        assert "alert" not in raw and "Evil" not in raw, path


def test_reflections_link_both_ways(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    refl_path = site / "reflections/first-robot/index.html"
    panel = parse_html(refl_path).find("aside", "pg-reflection-panel")
    targets = {resolve(site, refl_path, a.attrs["href"]) for a in panel.find_all("a")}
    robot = site / "credentials/robotics-fundamentals/index.html"
    assert robot in targets
    assert site / "credentials/line-following/index.html" in targets
    learner = parse_html(robot).find("section", "pg-learner")
    assert "not by the issuer" in learner.text
    back = {resolve(site, robot, a.attrs["href"]) for a in learner.find_all("a")}
    assert back == {refl_path}
    assert (site / "reflections/sketch.svg").is_file()  # attachments copied


def test_skills_are_merged(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    doc = page(site, "skills")
    sections = doc.find_all("section", "pg-skill")
    names = [s.find("h2").text for s in sections]
    assert [n.casefold() for n in names].count("robotics") == 1
    robotics = sections[[n.casefold() for n in names].index("robotics")]
    linked = {a.text for a in robotics.find_all("a")}
    assert {"Robotics Fundamentals", "Line Following", "Building my first robot"} <= linked
    assert "Teamwork" in names and "Sensors" in names


def test_pathway_progress_counts_verified_only(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    doc = page(site, "pathways")
    bars = {s.find("h2").text: s for s in doc.find_all("section", "pg-pathway")}
    builder = bars["Robot Builder"].find("div", "pg-progress")
    assert (builder.attrs["aria-valuenow"], builder.attrs["aria-valuemax"]) == ("2", "3")
    electronics = bars["Electronics"]
    assert electronics.find("div", "pg-progress").attrs["aria-valuenow"] == "0"
    assert electronics.find("li", "pg-req--unverified")
    assert "does not count" in electronics.find("li", "pg-req--unverified").text


def test_broken_inputs_do_not_stop_the_build(built: tuple[Path, Path, BuildSummary]) -> None:
    root, _, summary = built
    problems = "\n".join(summary.problems)
    assert "badges/broken.json" in problems
    assert "reflections/broken.md" in problems and "not valid YAML" in problems
    assert summary.verified >= 3 and summary.flagged >= 2  # broken.json: reported, no page
    assert "not published" in problems
    assert "verified" in summary.line() and "flagged" in summary.line()
    assert (root / "reflections/broken.md").read_text() == "---\ntitle: [unclosed\n---\nText\n"


def test_downloads_are_byte_exact(built: tuple[Path, Path, BuildSummary]) -> None:
    root, site, _ = built
    folder = site / "credentials/robotics-fundamentals"
    # a neutral name a static host serves as application/octet-stream; the link names it
    assert (folder / "original.bin").read_bytes() == (root / "badges/robot.jws").read_bytes()
    assert json.loads((folder / "credential.json").read_text())["type"] == "Assertion"
    report = json.loads((folder / "verification.json").read_text())
    assert report["source"] == "robot.jws"
    doc = page(site, "credentials/robotics-fundamentals")
    links = [a.attrs["href"] for a in doc.find("ul", "pg-downloads").find_all("a")]
    assert sorted(links) == ["credential.json", "original.bin", "verification.json"]
    downloads = {a.attrs["href"]: a.attrs.get("download")
                 for a in doc.find("ul", "pg-downloads").find_all("a")}
    assert downloads["original.bin"] == "robot.jws"


def test_identifiers_are_never_printed(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            assert "secret-id@example.org" not in path.read_text(encoding="utf-8"), path


def test_urls_are_relative_and_local(built: tuple[Path, Path, BuildSummary]) -> None:
    _, site, _ = built
    # 404.html is excluded: MkDocs makes its URLs absolute (it is served from any path)
    for path in sorted(p for p in site.rglob("*.html") if p.name != "404.html"):
        for node in parse_html(path).iter():
            for attr in ("src", "srcset"):
                value = node.attrs.get(attr)
                if value:
                    assert not value.startswith(("/", "http:", "https:")), (path, value)
            if node.tag == "link" and node.attrs.get("rel") in ("stylesheet", "preload"):
                assert not node.attrs["href"].startswith(("/", "http")), path


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    fetcher = make_portfolio(tmp_path)
    one = build_site(tmp_path, site_dir=tmp_path / "one", now=NOW, fetcher=fetcher)
    build_site(tmp_path, site_dir=tmp_path / "two", now=NOW, fetcher=fetcher)
    files_one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    files_two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    assert files_one == files_two and len(files_one) > 20
    for rel in files_one:
        a, b = tmp_path / "one" / rel, tmp_path / "two" / rel
        if a.is_file():
            assert a.read_bytes() == b.read_bytes(), rel
    assert one.pages > 8


def test_failed_credentials_can_be_hidden(tmp_path: Path) -> None:
    fetcher = make_portfolio(tmp_path, plugin_options=(
        "      failed_credentials: hide\n"
        "      credentials:\n        robot.jws: {hidden: true}\n"))
    summary = build_site(tmp_path, site_dir=tmp_path / "site", now=NOW, fetcher=fetcher)
    site = tmp_path / "site"
    names = [c.find("a").text for c in page(site, "credentials").find_all("article", "pg-card")]
    assert "Robotics Fundamentals" not in names and "Soldering Safety" not in names
    assert "Line Following" in names
    assert not (site / "credentials/robotics-fundamentals").exists()
    assert summary.flagged == 0 and summary.hidden >= 3  # broken.json is no credential at all


def test_config_errors_name_file_and_key(tmp_path: Path) -> None:
    from portfolio_gen.errors import ConfigError

    fetcher = make_portfolio(tmp_path, plugin_options="      failed_credentials: maybe\n")
    with pytest.raises(ConfigError, match=r"mkdocs\.yml.*failed_credentials.*'flag' or 'hide'"):
        build_site(tmp_path, site_dir=tmp_path / "site", now=NOW, fetcher=fetcher)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_local_link_resolves(tmp_path: Path, directory_urls: bool) -> None:
    fetcher = make_portfolio(tmp_path)
    if not directory_urls:
        text = (tmp_path / "mkdocs.yml").read_text()
        (tmp_path / "mkdocs.yml").write_text("use_directory_urls: false\n" + text)
    site = tmp_path / "site"
    build_site(tmp_path, site_dir=site, now=NOW, fetcher=fetcher)
    checked, anchors = _check_local_links(site)
    assert checked > 100
    assert anchors > 10


def test_every_link_and_anchor_of_the_sample_resolves(tmp_path: Path) -> None:
    """The sample has flagged credentials with alignments: their skills are on no skills
    page, so their names are not links (a link to ``skills/#`` went nowhere)."""
    repo = Path(__file__).resolve().parent.parent
    shutil.copytree(repo / "sample_portfolio", tmp_path / "sample_portfolio")
    shutil.copy(repo / "mkdocs.yml", tmp_path / "mkdocs.yml")
    site = tmp_path / "site"
    build_site(tmp_path, site_dir=site, offline=True, now=NOW)
    checked, anchors = _check_local_links(site)
    assert checked > 300 and anchors > 20


def _check_local_links(site: Path) -> tuple[int, int]:
    """Every local ``href``/``src`` names a file that is there; every fragment of a link
    into a page names an element of that page. ``(links, anchors)`` checked."""
    checked = anchors = 0
    ids: dict[Path, set[str]] = {}
    for path in sorted(p for p in site.rglob("*.html") if p.name != "404.html"):
        for node in parse_html(path).iter():
            for attr in ("href", "src"):
                value = node.attrs.get(attr, "")
                if not value or value.startswith(("#", "http:", "https:", "mailto:", "data:")):
                    continue
                target = resolve(site, path, value)
                assert target.is_file(), (path, value)
                checked += 1
                if "#" in value:
                    fragment = value.partition("#")[2]
                    assert fragment, f"{path}: {value!r} links to an empty anchor"
                    if target not in ids:
                        ids[target] = _ids(target)
                    assert fragment in ids[target], (path, value)
                    anchors += 1
    return checked, anchors


def _ids(page: Path) -> set[str]:
    return {node.attrs["id"] for node in parse_html(page).iter() if node.attrs.get("id")}
