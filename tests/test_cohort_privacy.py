"""Consent, hidden credentials and identifiers: searched for in every file a cohort run
writes (search index, charts, staff JSON/HTML/CSV), archives opened. The whole built site
of a hostile cohort is searched the same way in tests/test_cohort_hostile.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portfolio_gen.cohort.config import load_cohort
from portfolio_gen.cohort.prepare import PreparedCohort, pool_settings, prepare_cohort
from portfolio_gen.cohort.redact import REDACTED, plain_identifiers, scrub
from portfolio_gen.testing.cohort import LearnerSpec, make_cohort
from tests.support.outputs import output_blobs

N, M = 11, 3


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[LearnerSpec], Path,
                                                             PreparedCohort]:
    root = tmp_path_factory.mktemp("privacy")
    specs = make_cohort(N, M, root / "cohort")
    # a learner who writes contact data into the headline
    profile = root / "cohort" / "learners" / "learner-00001" / "profile.yml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["headline"] = "Mail learner00001@students.example.edu or +44 7700 900001 today"
    profile.write_text(yaml.safe_dump(data), encoding="utf-8")
    config = load_cohort(root / "cohort" / "cohort.yml")
    site = root / "site"
    prepared = prepare_cohort(config, site, settings=pool_settings(
        config, cache_dir=root / "cache"))
    return specs, root, prepared


def _outputs(root: Path, prepared: PreparedCohort) -> dict[str, str]:
    """Every output as text, ZIP and gzip members and base64 included (tests/support/outputs)."""
    files = [p for p in (root / "site").rglob("*") if p.is_file()]
    files += list(prepared.staff.values())
    assert len(files) > 10
    return {name: data.decode("utf-8", errors="replace")
            for name, data in output_blobs(files)}


def test_non_consenting_learner_appears_nowhere(built: tuple[list[LearnerSpec], Path,
                                                             PreparedCohort]) -> None:
    specs, root, prepared = built
    absent = [s for s in specs if not s.consent]
    assert absent, "the generator leaves some learners without consent"
    texts = _outputs(root, prepared)
    for spec in absent:
        for needle in (spec.name, spec.folder, *spec.credential_ids):
            hits = [p for p, t in texts.items() if needle in t]
            assert not hits, f"{needle!r} found in {hits}"
    assert prepared.stats.excluded == len(absent)
    assert prepared.stats.learners == N - len(absent) and prepared.stats.invalid == 0
    # ... and the consenting ones are there, so the search above could have failed
    present = next(s for s in specs if s.consent)
    assert any(present.name in t for t in texts.values())
    failing = prepared.directory.cards and [f for f in (root / "cohort" / "staff-reports"
                                                       ).glob("*.json")]
    assert failing and '"file": "badges/' in failing[0].read_text(encoding="utf-8")


def test_hidden_credential_appears_nowhere(built: tuple[list[LearnerSpec], Path,
                                                        PreparedCohort]) -> None:
    specs, root, prepared = built
    hiders = [s for s in specs if s.consent and s.hidden_id]
    assert hiders
    texts = _outputs(root, prepared)
    csv = prepared.staff["csv"].read_text(encoding="utf-8")
    for spec in hiders:
        assert spec.hidden_file is not None and spec.hidden_id is not None
        for needle in (spec.hidden_id, spec.hidden_file):
            assert not [p for p, t in texts.items() if needle in t]
        hidden_achievement = spec.achievements[0]
        rows = [r for r in csv.splitlines() if r.startswith(spec.name + ",")]
        assert rows and not [r for r in rows if f",{hidden_achievement}," in r]
        card = next(c for c in prepared.directory.cards if c.name == spec.name)
        assert card.verified <= M - 1


def test_no_email_or_phone_in_any_output(built: tuple[list[LearnerSpec], Path,
                                                      PreparedCohort]) -> None:
    specs, root, prepared = built
    texts = _outputs(root, prepared)
    for spec in specs:
        for needle in (spec.email, spec.phone, f"learner-{spec.index:05d}@"):
            assert not [p for p, t in texts.items() if needle in t], needle
    assert not [p for p, t in texts.items() if "@students.example.edu" in t or "mailto:" in t]
    card = next(c for c in prepared.directory.cards if c.rel.endswith("learner-00001"))
    assert card.headline.startswith(f"Mail {REDACTED} or {REDACTED}")


def test_scrub_keeps_dates_and_removes_identifiers() -> None:
    text = "Expired on 2025-01-15; contact ada@x.org, tel:+1 (555) 010-9999, did:ex:ada"
    out = scrub(text, ["did:ex:ada"])
    assert out == f"Expired on 2025-01-15; contact {REDACTED}, {REDACTED}, {REDACTED}"


def test_plain_identifiers_finds_holder_contact_data_not_hashes_or_issuers() -> None:
    ob2 = {"recipient": {"type": "email", "hashed": False, "identity": "ada@x.org"},
           "badge": {"issuer": {"email": "badges@college.example"}}}
    assert plain_identifiers(ob2, b"") == ["email"]
    hashed = {"recipient": {"type": "email", "hashed": True, "salt": "s",
                            "identity": "sha256$" + "a" * 64},
              "issuer": {"email": "badges@college.example", "telephone": "+44 20 7946 0000"}}
    assert plain_identifiers(hashed, b"") == []
    ob3 = {"vc": {"credentialSubject": {"identifier": [
        {"type": "IdentityObject", "identityType": "phone", "hashed": False,
         "identityHash": "+44 7700 900123"}]}}}
    assert plain_identifiers(ob3, b"") == ["phone"]
    national = {"credentialSubject": {"identifier": [
        {"identityType": "phone", "identityHash": "07700 900123"}]}}   # no "+", unhashed
    assert plain_identifiers(national, b"") == ["phone"]
    # the learner's own identifier anywhere in the original file counts too
    assert plain_identifiers({}, b"<svg>ADA@X.ORG</svg>", ["ada@x.org"]) == ["email"]
