"""The display model: normalising OB 2.0 / OB 3.0 reports, slugs, skills and pathways."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from portfolio_gen.config import PathwayConfig, PathwayGroup
from portfolio_gen.model.credential import Alignment, Credential, Display
from portfolio_gen.model.normalize import credential_from_report
from portfolio_gen.model.pathways import compute_progress
from portfolio_gen.model.reflection import Reflection
from portfolio_gen.model.skills import merge_skills
from portfolio_gen.model.slugs import slugify, unique_slugs
from portfolio_gen.verify.report import Check, CheckStatus, Verdict, VerificationReport

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
PROOF_OK = Check("proof.signature", CheckStatus.PASS, "ok", "Signature verified.")
PROOF_BAD = Check("proof.signature", CheckStatus.FAIL, "bad", "Signature does not match.",
                  Verdict.INVALID)

OB3_VC: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "id": "urn:uuid:1", "validFrom": "2025-05-01T00:00:00Z", "validUntil": "2027-05-01T00:00:00Z",
    "issuer": {"id": "did:key:z6Mk", "type": ["Profile"], "name": "Civic Data Lab",
               "url": "https://lab.example"},
    "credentialSubject": {
        "type": ["AchievementSubject"], "creditsEarned": 3,
        "result": [{"resultDescription": "urn:rd:1", "value": "A"}],
        "achievement": {
            "id": "https://lab.example/a/1", "type": ["Achievement"], "name": "Data Viz",
            "description": "Charts.", "criteria": {"narrative": "Make *three* charts."},
            "achievementType": "Course", "image": {"id": "data:image/png;base64,iVBORw0KGgo="},
            "creditsAvailable": 4, "tag": ["viz"],
            "resultDescription": [{"id": "urn:rd:1", "name": "Grade", "resultType": "LetterGrade"}],
            "alignment": [{"type": ["Alignment"], "targetName": "Visualisation",
                           "targetUrl": "https://fw.example/viz", "targetCode": "V1"}]}},
    "evidence": [{"id": "https://lab.example/e/1", "name": "Portfolio piece"}],
}


def report(doc: dict[str, Any] | None, ok: bool = True, **kw: Any) -> VerificationReport:
    return VerificationReport(source="x", format="json", spec_version="3.0", checked_at=NOW,
                              checks=(PROOF_OK if ok else PROOF_BAD,), document=doc, **kw)


def cred(doc: dict[str, Any] | None, slug: str = "s", ok: bool = True, **kw: Any) -> Credential:
    return credential_from_report(report(doc, ok, **kw), slug=slug, source=f"{slug}.json",
                                  source_path=None, file_bytes=b"{}")


def test_ob3_credential_is_normalised() -> None:
    c = cred(OB3_VC)
    assert (c.name, c.issuer.name, c.achievement_type) == ("Data Viz", "Civic Data Lab", "Course")
    assert c.valid_from == datetime(2025, 5, 1, tzinfo=UTC) and c.expires is not None
    assert c.criteria == "Make *three* charts." and c.image and c.image.startswith("data:")
    assert c.alignments == (Alignment("Visualisation", "https://fw.example/viz", None, "V1"),)
    assert [(r.label, r.value) for r in c.results] == [("Grade", "A")]
    assert c.credits == "3 of 4" and c.tags == ("viz",) and c.evidence[0].name == "Portfolio piece"
    assert c.verified and "Data Viz" in c.image_alt


def test_single_values_read_as_lists() -> None:
    """JSON-LD: one object where a list is usual (alignment, evidence, result, type)."""
    doc = json.loads(json.dumps(OB3_VC))
    doc["type"] = "ClrCredential"
    achievement = doc["credentialSubject"]["achievement"]
    achievement["alignment"] = achievement["alignment"][0]
    achievement.pop("achievementType")
    doc["evidence"] = doc["evidence"][0]
    doc["credentialSubject"]["result"] = doc["credentialSubject"]["result"][0]
    c = cred(doc)
    assert [a.name for a in c.alignments] == ["Visualisation"]
    assert [e.name for e in c.evidence] == ["Portfolio piece"]
    assert [(r.label, r.value) for r in c.results] == [("Grade", "A")]
    assert c.achievement_type == "Comprehensive Learner Record"


def test_plain_vc_gets_the_generic_fields() -> None:
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"],
           "type": ["VerifiableCredential", "ExampleDegreeCredential"],
           "issuer": {"id": "did:key:z6Mk", "name": "Example University"},
           "validFrom": "2025-05-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:ada", "name": "Ada",
                                 "degree": {"type": "BachelorDegree", "name": "BSc Maths"},
                                 "gpa": 3.9, "honours": ["cum laude"], "secret": {"x": 1}}}
    c = credential_from_report(replace(report(doc), spec_version="VC (VCDM 2.0)", family="vc"),
                               slug="s",
                               source="s.json", source_path=None, file_bytes=b"{}")
    assert not c.is_badge and c.name == "Example degree credential"  # not the person's name
    assert c.achievement_type == "Example degree credential"
    assert [(f.label, f.value) for f in c.subject_fields] == [
        ("Name", "Ada"), ("Degree", "BSc Maths"), ("Gpa", "3.9"), ("Honours", "cum laude")]
    assert cred(OB3_VC).is_badge and cred(OB3_VC).subject_fields == ()


def test_ob2_credential_reads_related_documents() -> None:
    assertion = {"type": "Assertion", "id": "urn:uuid:2", "badge": "https://u.example/b",
                 "issuedOn": "2025-01-15T09:30:00Z", "evidence": "https://u.example/ev"}
    related = {"badge": {"id": "https://u.example/b", "name": "Robots", "description": "D",
                         "criteria": "https://u.example/criteria", "issuer": "https://u.example/i",
                         "alignment": [{"targetName": "Robotics"}]},
               "issuer": {"id": "https://u.example/i", "name": "Uni", "url": "https://u.example"}}
    c = cred(assertion, related=related)
    assert (c.name, c.issuer.name, c.criteria_url) == ("Robots", "Uni", "https://u.example/criteria")
    assert c.issued == datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    assert c.evidence[0].url == "https://u.example/ev" and c.alignments[0].name == "Robotics"


def test_hostile_shapes_do_not_raise() -> None:
    weird: dict[str, Any] = {"credentialSubject": [{"achievement": "nope"}], "issuer": 5,
                             "validFrom": "yesterday", "evidence": {"id": ["x"]}}
    c = cred(weird)
    assert c.name == "Untitled credential" and c.issuer.name == "Unknown issuer"
    assert c.valid_from is None
    unreadable = cred(None, ok=False)
    assert unreadable.name == "Unreadable file s.json" and not unreadable.verified


def test_slugs_are_readable_unique_and_order_independent() -> None:
    assert slugify("Données & SQL — Niveau 2!") == "donnees-sql-niveau-2"
    assert slugify("<<<>>>", "credential") == "credential"
    items = [("SQL", "urn:b", "2025-02"), ("SQL", "urn:a", "2025-01"), ("Index", "urn:c", "x")]
    slugs = unique_slugs(items)
    assert slugs[1] == "sql" and slugs[0].startswith("sql-") and slugs[2].startswith("index-")
    reordered = unique_slugs([items[2], items[0], items[1]])
    assert reordered == [slugs[2], slugs[0], slugs[1]]


def test_skills_merge_by_url_code_and_name() -> None:
    a = replace(cred(OB3_VC, "a"), alignments=(
        Alignment("Visualisation", "https://fw.example/viz"), Alignment("SQL", None, "FW", "S1")))
    b = replace(cred(OB3_VC, "b"), alignments=(
        Alignment("Data visualisation", "https://fw.example/viz"),
        Alignment("Structured Query Language", None, "FW", "S1"), Alignment("Teamwork")))
    refl = Reflection("r.md", "R", None, (), ("teamwork", "Writing"), (), "")
    skills = {s.name: s for s in merge_skills([a, b], [refl])}
    assert len(skills) == 4, skills.keys()
    viz = next(s for s in skills.values() if s.url == "https://fw.example/viz")
    assert viz.credential_slugs == ("a", "b")
    assert skills["Teamwork"].reflection_slugs == ("r",)
    assert skills["Writing"].credential_slugs == ()


def test_pathway_counts_verified_credentials_only() -> None:
    good = replace(cred(OB3_VC, "good"), display=Display.SHOWN)
    bad_doc = dict(OB3_VC, credentialSubject=dict(
        OB3_VC["credentialSubject"], achievement=dict(
            OB3_VC["credentialSubject"]["achievement"], name="Stats", id="urn:stats")))
    bad = replace(cred(bad_doc, "bad", ok=False), display=Display.FLAGGED)
    hidden = replace(cred(dict(bad_doc), "hid"), display=Display.HIDDEN, name="Hidden one")
    pathway = PathwayConfig("Analyst", required=("Data Viz", "urn:stats"),
                            groups=(PathwayGroup("Pick", 1, ("Hidden one", "https://lab.example/a/1")),),
                            capstone="Missing")
    progress = compute_progress(pathway, "analyst", [good, bad, hidden])
    assert [r.state for r in progress.required] == ["done", "unverified"]
    assert progress.groups[0].done == 1 and progress.capstone is not None
    assert progress.capstone.state == "missing"
    assert (progress.done, progress.total, progress.percent) == (2, 4, 50)
    assert not progress.complete
