"""Whose credential, and what counts (issue #14 items 2, 4 and 6), on real builds of the sample.

The sample holds a revoked, an expired and a tampered credential, and a classmate's genuine
badge (its proof verifies; its recipient is not the learner).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from portfolio_gen.mkdocs_plugin.engine import build_site
from portfolio_gen.model.assemble import NO_IDENTIFIERS_WARNING
from portfolio_gen.model.build_summary import BuildSummary
from portfolio_gen.model.credential import Recipient
from portfolio_gen.model.recipient import recipient_label, recipient_state
from portfolio_gen.verify.context import VerifyOptions
from portfolio_gen.verify.recipient import check_recipient
from portfolio_gen.verify.report import VerificationReport
from tests.test_site_support import Node, parse_html

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MISMATCH = "credentials/data-cleaning"
REVOKED = "credentials/introduction-to-python"
TAMPERED = "credentials/data-storytelling"
EXPIRED = "credentials/statistics-i"
GOOD = "credentials/data-visualisation-with-python"
NOT_COUNTED = (MISMATCH, REVOKED, TAMPERED, EXPIRED)


def copy_sample(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "sample_portfolio", dest / "sample_portfolio")
    return dest


@pytest.fixture(scope="module", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
        mp.delenv("PORTFOLIO_HOLDER_KEY", raising=False)
        yield


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    root = tmp_path_factory.mktemp("trust")
    summary = build_site(copy_sample(root / "project"), site_dir=root / "site", now=NOW)
    return root / "site", summary


def page(site: Path, rel: str) -> Node:
    return parse_html(site / rel / "index.html" if rel else site / "index.html")


def html(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def links_to(doc: Node, rel: str) -> bool:
    slug = rel.rsplit("/", 1)[1]
    return any(slug in a.attrs.get("href", "").split("/") for a in doc.find_all("a"))


# -- holder binding ------------------------------------------------------------------------

def test_mismatch_credential_says_so_and_is_not_the_owners(
        sample: tuple[Path, BuildSummary]) -> None:
    site, summary = sample
    doc = page(site, MISMATCH)
    banner = doc.find("div", "pg-banner--mismatch")
    assert "Not issued to this learner" in banner.text
    assert "did:web:sam-lee.example" in doc.find("span", "pg-recipient").text
    card = next(c for c in page(site, "credentials").find_all("article", "pg-card")
                if c.find("a").text == "Data Cleaning")
    assert "Not the owner's" in card.text and card.attrs["data-counts"] == "no"
    assert summary.not_recipient == 1 and "1 not issued to you" in summary.line()


def test_matched_credential_names_the_learner(sample: tuple[Path, BuildSummary]) -> None:
    site, _ = sample
    line = page(site, GOOD).find("span", "pg-recipient")
    assert line.attrs["data-pg-recipient"] == "match"
    assert line.text.endswith("which matches Maya Okafor's own.")
    assert not page(site, GOOD).find_all("div", "pg-banner--mismatch")


def test_without_identifiers_nothing_is_confirmed_and_the_build_warns_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = copy_sample(tmp_path / "project")
    profile = project / "sample_portfolio" / "profile.yml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    del data["identifiers"]
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with caplog.at_level("WARNING"):
        summary = build_site(project, site_dir=tmp_path / "site", now=NOW)
    said = [r.getMessage() for r in caplog.records if NO_IDENTIFIERS_WARNING in r.getMessage()]
    assert len(said) == 1 and said[0].endswith(f"profile.yml: {NO_IDENTIFIERS_WARNING}")
    assert not [p for p in summary.problems if NO_IDENTIFIERS_WARNING in p]
    line = page(tmp_path / "site", GOOD).find("span", "pg-recipient")
    assert line.attrs["data-pg-recipient"] == "unchecked"
    assert line.text == "Not confirmed to be Maya Okafor."  # after what the credential states
    # unchecked is not "someone else's": a verified credential still counts
    assert links_to(page(tmp_path / "site", "skills"), GOOD)


def _report(checks: Any, doc: dict[str, Any]) -> VerificationReport:
    return VerificationReport(source="x", format="ob3", spec_version="3.0",
                              checked_at=NOW, checks=tuple(checks), document=doc)


@pytest.mark.parametrize(("identities", "claim", "state"), [
    (("ada@example.org",), {"identity": "ada@example.org", "type": "emailAddress"},
     Recipient.MATCH),
    (("ada@example.org",), {"identity": "sam@example.org", "type": "emailAddress"},
     Recipient.MISMATCH),
    ((), {"identity": "sam@example.org", "type": "emailAddress"}, Recipient.UNCHECKED),
])
def test_recipient_state_from_the_verifiers_check(identities: tuple[str, ...],
                                                   claim: dict[str, Any],
                                                   state: Recipient) -> None:
    check = check_recipient([claim], VerifyOptions(identities=identities))
    doc = {"credentialSubject": {"identifier": [{**claim, "hashed": False}]}}
    report = _report([check], doc)
    assert recipient_state(report) is state
    # the page never prints an email address, only its domain
    assert recipient_label(doc) == "an email address at example.org"


def test_recipient_labels_never_print_private_identifiers() -> None:
    assert recipient_label({"recipient": {"type": "email", "hashed": True,
                                          "identity": "sha256$" + "a" * 64}}) == \
        "a hashed email address"
    assert recipient_label({"credentialSubject": {"identifier": [
        {"identityType": "phone", "identity": "+44 7700 900000", "hashed": False}]}}) == \
        "a telephone number"
    assert recipient_label({"credentialSubject": {"id": "did:example:sam"}}) == "did:example:sam"
    assert recipient_label({"credentialSubject": {}}) is None


# -- honest aggregation ------------------------------------------------------------------------

def test_only_verified_credentials_of_the_learner_are_evidence_for_skills(
        sample: tuple[Path, BuildSummary]) -> None:
    site, _ = sample
    skills = page(site, "skills")
    for rel in NOT_COUNTED:
        assert not links_to(skills, rel), rel
    assert links_to(skills, GOOD)
    # "Data engineering" is claimed only by the classmate's badge
    assert "Data engineering" not in skills.text


def test_home_figures_count_only_what_counts(sample: tuple[Path, BuildSummary]) -> None:
    site, _ = sample
    home = page(site, "")
    figures = {d.find("dt").text: d.find("dd").text
               for d in home.find("dl", "pg-counts").find_all("div")}
    counted = [c for c in page(site, "credentials").find_all("article", "pg-card")
               if c.attrs["data-counts"] == "yes"]
    assert int(figures["Credentials"]) == len(counted) == 9
    # the home page's skill count is the skills page's list
    assert int(figures["Skills"]) == len(page(site, "skills").find_all("section", "pg-skill"))
    featured = home.find("section", pred=lambda n: n.attrs.get("aria-labelledby")
                         == "pg-featured")
    for rel in NOT_COUNTED:
        assert not links_to(featured, rel), rel


def test_not_verified_group_and_printable_summary(sample: tuple[Path, BuildSummary]) -> None:
    site, _ = sample
    group = page(site, "credentials").find("section", "pg-not-verified")
    names = sorted(c.find("a").text for c in group.find_all("article", "pg-card"))
    assert names == ["Data Cleaning", "Data Storytelling", "Introduction to Python",
                     "Statistics I"]
    states = {c.find("a").text: c.attrs["data-state"] for c in group.find_all("article")}
    assert states["Introduction to Python"] == "Revoked"
    assert states["Data Cleaning"] == "Not the owner's"
    summary = page(site, "summary")
    for rel in NOT_COUNTED:
        assert not links_to(summary, rel), rel
    assert ("4 credentials that could not be verified or are not issued to Maya Okafor are "
            "not listed") in summary.text


def test_pages_that_do_not_count_offer_no_sharing(sample: tuple[Path, BuildSummary]) -> None:
    site, _ = sample
    for rel in NOT_COUNTED:
        text = html(site, rel)
        assert "linkedin.com" not in text and "pg-share__links" not in text, rel
        assert "<textarea" not in text, rel
        # the files an earlier embed points at still exist and tell the truth
        card = (site / rel / "embed-wide.html").read_text(encoding="utf-8")
        assert "Verified" not in card, rel
    assert "linkedin.com/profile/add" in html(site, GOOD)
    assert "Not issued to this learner" in (site / MISMATCH / "embed-wide.html").read_text(
        encoding="utf-8")


def test_unverified_content_is_a_claim_and_the_download_is_the_file_as_found(
        sample: tuple[Path, BuildSummary]) -> None:
    site, _ = sample
    text = page(site, TAMPERED).text
    # the grade raised after signing is shown only as a claim, in every section it is in
    results = page(site, TAMPERED).find("section", pred=lambda n: n.attrs.get(
        "aria-labelledby") == "pg-results")
    assert "Distinction" in results.text and "Claimed in this file (not verified)" in results.text
    assert text.count("Claimed in this file (not verified)") >= 3   # about, skills, results
    assert "Stated by the issuer" not in text
    assert "The file as found" in text and "Download the file as found" in text
    assert "exactly as" not in text
    # revoked or expired: the proof verified, so the words are the issuer's (the banner says
    # it is no longer valid); a verified page likewise
    for rel in (REVOKED, EXPIRED, GOOD):
        text = page(site, rel).text
        assert "Stated by the issuer" in text and "Claimed in this file" not in text, rel
        assert "exactly as" in text and "file as found" not in text, rel


def test_timeline_marks_what_does_not_count(sample: tuple[Path, BuildSummary]) -> None:
    site, _ = sample
    timeline = page(site, "timeline")
    item = next(li for li in timeline.find_all("li", "pg-timeline__item--credential")
                if "Data Cleaning" in li.text)
    assert "Not the owner's; not counted" in item.text


def test_pathways_never_count_someone_elses_badge(tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "project")
    (project / "sample_portfolio" / "pathways.yml").write_text(
        "pathways:\n  - name: Cleaner\n    required: [Data Cleaning]\n", encoding="utf-8")
    build_site(project, site_dir=tmp_path / "site", now=NOW)
    text = page(tmp_path / "site", "pathways").text
    assert "0 of 1 done" in text


# -- small things -----------------------------------------------------------------------------

def test_bom_files_are_accepted_and_reflections_show_their_date(tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "project")
    folder = project / "sample_portfolio"
    for rel in ("profile.yml", "pathways.yml", "reflections/my-first-dashboard.md"):
        path = folder / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    summary = build_site(project, site_dir=tmp_path / "site", now=NOW)
    assert not [p for p in summary.problems if "my-first-dashboard" in p or "pathways" in p]
    refl = html(tmp_path / "site", "reflections/my-first-dashboard")
    assert "title:" not in refl and "credentials:" not in refl   # front matter not published
    panel = parse_html(tmp_path / "site" / "reflections/my-first-dashboard/index.html").find(
        "aside", "pg-reflection-panel")
    assert panel.find("time").attrs["datetime"] == re.search(
        r"^date: (\S+)", (folder / "reflections/my-first-dashboard.md").read_text(
            encoding="utf-8-sig"), re.M).group(1)   # type: ignore[union-attr]
    assert "Maya Okafor" in page(tmp_path / "site", "").find("h1").text


def test_featuring_what_does_not_count_features_nothing(tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("      credentials:\n", "      credentials:\n"
                        "        civic-data-lab-data-cleaning-classmate.json: {featured: true}\n"
                        "        civic-data-lab-data-storytelling.json: {featured: true}\n", 1)
    config.write_text(text, encoding="utf-8")
    build_site(project, site_dir=tmp_path / "site", now=NOW)
    featured = page(tmp_path / "site", "").find("section", pred=lambda n: n.attrs.get(
        "aria-labelledby") == "pg-featured")
    assert not links_to(featured, MISMATCH) and not links_to(featured, TAMPERED)
    assert links_to(featured, GOOD)   # the learner's own featured picks still show
