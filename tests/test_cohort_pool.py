"""Cohort verification on a real process pool, and the content-addressed cache.

Real signed credentials (OB 2.0 RS256 JWS with pinned issuer documents, OB 3.0
eddsa-rdfc-2022 and VC-JWT from did:key issuers), real files, real worker processes.
Verify calls are counted by the worker itself (``WorkerStats.verify_calls``).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from portfolio_gen.cohort.config import load_cohort
from portfolio_gen.cohort.learner import read_learner
from portfolio_gen.cohort.prepare import pool_settings, prepare_cohort
from portfolio_gen.cohort.verify_pool import (
    LearnerTask,
    PoolSettings,
    process_learner,
    reports_digest,
    verify_cohort,
)
from portfolio_gen.ingest import read_paths
from portfolio_gen.net.fetch import FetchResult
from portfolio_gen.net.store import PinStore, make_fetcher
from portfolio_gen.testing.cohort import issuers, make_cohort
from portfolio_gen.verify.cache import DB_NAME
from portfolio_gen.verify.context import VerifyContext, VerifyOptions
from portfolio_gen.verify.pipeline import verify_item
from portfolio_gen.verify.report_json import report_from_dict, report_to_cache_dict
from tests.conftest import FIXED_NOW

N, M = 8, 4


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cohort-template")
    make_cohort(N, M, out)
    return out


@pytest.fixture
def cohort(template: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "cohort"
    shutil.copytree(template, dest)
    return dest


def _tasks(cohort: Path) -> list[LearnerTask]:
    return [LearnerTask(e.folder, e.rel) for e in load_cohort(cohort / "cohort.yml").learners]


def _serial_digest(folder: Path) -> str:
    """The plain single-learner path: ingest, then verify_item one by one."""
    setup = read_learner(folder)
    assert setup is not None
    fetcher = make_fetcher(offline=True, pins=setup.config.pins_dir)
    ctx = VerifyContext(fetcher, FIXED_NOW, VerifyOptions(
        identities=setup.profile.identifiers, strict_recipient=setup.config.strict_recipient))
    return reports_digest([verify_item(i, ctx) for i in read_paths([setup.config.badges_dir])])


def test_process_pool_equals_serial_verification(cohort: Path) -> None:
    settings = PoolSettings(now=FIXED_NOW, offline=True)
    with ProcessPoolExecutor(2) as pool:
        results = list(verify_cohort(_tasks(cohort), settings, pool, window=3))
    assert [r.rel for r in results if r.status == "ok"] == [
        t.rel for t in _tasks(cohort) if read_learner(t.folder) is not None]
    ok = [r for r in results if r.status == "ok"]
    assert len(ok) == N - 1 and sum(r.status == "excluded" for r in results) == 1
    for result in ok:
        assert result.stats.verify_calls == M
        assert result.stats.reports_digest == _serial_digest(cohort / result.rel)
    verdicts = {v for r in ok for v, _ in r.summary.verdicts}  # type: ignore[union-attr]
    assert verdicts == {"verified", "invalid"}  # the generator tampers with one badge


def test_report_json_round_trip_is_lossless(cohort: Path) -> None:
    setup = read_learner(cohort / "learners" / "learner-00000")
    assert setup is not None
    ctx = VerifyContext(make_fetcher(offline=True, pins=setup.config.pins_dir), FIXED_NOW,
                        VerifyOptions(identities=setup.profile.identifiers))
    for item in read_paths([setup.config.badges_dir]):
        report = verify_item(item, ctx)
        again = report_from_dict(json.loads(json.dumps(report_to_cache_dict(report))))
        assert again == report
        assert again.verdict is report.verdict and again.document == report.document


def test_cache_hit_on_unchanged_learner_and_miss_on_changed_badge(cohort: Path,
                                                                  tmp_path: Path) -> None:
    config = load_cohort(cohort / "cohort.yml")
    settings = pool_settings(config, cache_dir=tmp_path / "cache")
    cold = prepare_cohort(config, tmp_path / "site1", settings=settings)
    assert cold.stats.verify_calls == (N - 1) * M and cold.stats.learner_hits == 0
    # one store, the single build's: credential entries plus the cohort's per-learner memos
    with sqlite3.connect(tmp_path / "cache" / DB_NAME) as db:
        kinds = dict(db.execute("SELECT kind, count(*) FROM entries GROUP BY kind").fetchall())
    assert kinds == {"item": (N - 1) * M, "learners": N - 1, "summaries": N}
    warm = prepare_cohort(config, tmp_path / "site2", settings=settings)
    assert warm.stats.verify_calls == 0 and warm.stats.learner_hits == N - 1
    assert warm.directory == cold.directory
    assert _index_bytes(tmp_path / "site1") == _index_bytes(tmp_path / "site2")

    badge = sorted((cohort / "learners" / "learner-00001" / "badges").iterdir())[0]
    badge.write_bytes(badge.read_bytes() + b"\n")   # same credential, different file bytes
    changed = prepare_cohort(config, tmp_path / "site3", settings=settings)
    assert changed.stats.learner_hits == N - 2
    assert changed.stats.verify_calls == 1          # only the changed badge
    assert changed.stats.item_hits == M - 1          # the rest came from summary entries


def test_cache_miss_when_a_pinned_document_changes(cohort: Path, tmp_path: Path) -> None:
    settings = PoolSettings(now=FIXED_NOW, offline=True, cache_dir=tmp_path / "cache")
    task = next(t for t in _tasks(cohort) if t.rel.endswith("learner-00000"))
    first = process_learner(task, settings)
    assert first.stats.verify_calls == M
    assert process_learner(task, settings).stats.learner_hit
    # the issuer revokes nothing but rotates its key document: every OB 2.0 badge that
    # used it must be verified again (and now fails), the others still come from cache
    ob2 = issuers().ob2[0]
    key_doc = dict(ob2.crypto_key(), publicKeyPem=ob2.crypto_key()["publicKeyPem"].replace(
        "MII", "MIJ", 1))
    PinStore(cohort / task.rel / "pins").put(FetchResult(
        ob2.key_url, ob2.key_url, 200, "application/json", json.dumps(key_doc).encode(),
        FIXED_NOW, "pinned"))
    again = process_learner(task, settings)
    assert not again.stats.learner_hit
    assert 0 < again.stats.verify_calls < M
    assert again.stats.item_hits == M - again.stats.verify_calls
    assert again.stats.reports_digest != first.stats.reports_digest


def test_cache_miss_when_now_changes(cohort: Path, tmp_path: Path) -> None:
    task = _tasks(cohort)[0]
    base = PoolSettings(now=FIXED_NOW, offline=True, cache_dir=tmp_path / "cache")
    process_learner(task, base)
    later = PoolSettings(now=FIXED_NOW.replace(second=1), offline=True,
                         cache_dir=tmp_path / "cache")
    assert process_learner(task, later).stats.verify_calls == M


def _index_bytes(site: Path) -> dict[str, bytes]:
    root = site / "directory" / "index"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.json")}


def test_warm_run_sees_profile_edits_and_withdrawn_consent(cohort: Path, tmp_path: Path) -> None:
    config = load_cohort(cohort / "cohort.yml")
    settings = pool_settings(config, cache_dir=tmp_path / "cache")
    first = prepare_cohort(config, tmp_path / "s1", settings=settings)
    folder = cohort / "learners" / "learner-00000"
    name = next(c.name for c in first.directory.cards if c.rel.endswith("learner-00000"))
    profile = folder / "profile.yml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("headline: ", "headline: Now hiring me — "), encoding="utf-8")
    second = prepare_cohort(config, tmp_path / "s2", settings=settings)
    assert second.stats.verify_calls == 0
    card = next(c for c in second.directory.cards if c.rel.endswith("learner-00000"))
    assert card.headline.startswith("Now hiring me — ")
    profile.write_text(text.replace("showcase_consent: true", "showcase_consent: false"),
                       encoding="utf-8")
    third = prepare_cohort(config, tmp_path / "s3", settings=settings)
    assert third.stats.excluded == first.stats.excluded + 1
    assert all(name not in p.read_text(encoding="utf-8")
               for p in (tmp_path / "s3").rglob("*.json"))


def test_a_multiprocessing_pool_through_the_adapter_gives_the_same_results(cohort: Path) -> None:
    import multiprocessing

    from portfolio_gen.cohort.verify_pool import ApplyAsyncExecutor

    settings = PoolSettings(now=FIXED_NOW, offline=True)
    tasks = _tasks(cohort)[:3]
    with multiprocessing.Pool(2) as mp:
        adapted = list(verify_cohort(tasks, settings, ApplyAsyncExecutor(mp), window=2))
    direct = [process_learner(t, settings) for t in tasks]
    assert [(r.status, r.summary, r.stats.reports_digest) for r in adapted] == [
        (r.status, r.summary, r.stats.reports_digest) for r in direct]
    assert any(r.status == "ok" for r in adapted)


def test_cohort_strict_fails_nonconformant_credentials_and_misses_the_cache(
        cohort: Path, tmp_path: Path) -> None:
    """cohort.yml ``strict: true``: a genuine credential whose subject names nobody counts
    as verified by default and as invalid in strict mode; neither run reuses the other's
    cached answer (summary or reports)."""
    from dataclasses import replace

    from portfolio_gen.testing.ob3 import Ob3Issuer

    task = _tasks(cohort)[0]
    issuer = Ob3Issuer("Ed25519", "did:key", slot=9)
    doc = issuer.credential(achievement_name="Nameless Subject")
    doc["credentialSubject"].pop("id")
    (task.folder / "badges" / "nameless.json").write_text(json.dumps(issuer.sign_di(doc)))
    lenient = PoolSettings(now=FIXED_NOW, offline=True, cache_dir=tmp_path / "cache")
    strict = replace(lenient, strict=True)
    runs = [process_learner(task, s) for s in (lenient, strict, lenient, strict)]
    names = [{c.name for c in r.summary.verified} for r in runs if r.summary is not None]
    assert len(names) == 4
    assert "Nameless Subject" in names[0] and "Nameless Subject" not in names[1]
    assert names[2] == names[0] and names[3] == names[1]
    assert not runs[1].stats.learner_hit and runs[1].stats.verify_calls == M + 1
    assert runs[2].stats.learner_hit and runs[3].stats.learner_hit
