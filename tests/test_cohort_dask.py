"""The Dask route: a cohort built on a real ``distributed.LocalCluster`` (two workers,
loopback only) is byte for byte the site the local process pool builds.

Skips when Dask is not installed (``pip install 'portfolio-gen[dask]'``); CI installs it
with the dev extra.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from portfolio_gen.cohort.build import build_cohort
from portfolio_gen.cohort.config import load_cohort
from portfolio_gen.errors import ConfigError
from portfolio_gen.mkdocs_plugin import MKDOCS
from portfolio_gen.testing.cohort import make_cohort
from tests.conftest import FIXED_NOW

distributed = pytest.importorskip("distributed")

N, M = 6, 2


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster() -> object:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  worker_dashboard_address=None) as local:
        yield local


def test_a_dask_cluster_builds_the_same_site_as_the_process_pool(
        cluster: object, tmp_path: Path) -> None:
    make_cohort(N, M, tmp_path / "cohort")
    cohort = tmp_path / "cohort" / "cohort.yml"
    with ProcessPoolExecutor(2) as pool:
        local = build_cohort(MKDOCS, cohort, site_dir=tmp_path / "site-pool", now=FIXED_NOW,
                             cache_dir=tmp_path / "cache-pool", executor=pool)
    # the cohort file names the cluster; the CLI reads it (no executor flags)
    data = yaml.safe_load(cohort.read_text(encoding="utf-8"))
    data.update(executor="dask", scheduler=cluster.scheduler_address)  # type: ignore[attr-defined]
    cohort.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_cohort(cohort).executor == "dask"
    from portfolio_gen.cli import main

    result = CliRunner().invoke(main, [
        "cohort", "build", str(cohort), "-d", str(tmp_path / "site-dask"),
        "--cache-dir", str(tmp_path / "cache-dask"), "--now", FIXED_NOW.isoformat()])
    assert result.exit_code == 0, result.output
    scheduler = cluster.scheduler  # type: ignore[attr-defined]
    ran = set(scheduler.task_prefixes)
    assert {"process_learner", "stage_task"} <= ran, ran  # the work ran on the cluster
    assert local.learners == N - 1 and local.staged_fresh == N - 1
    pool_files, dask_files = _files(tmp_path / "site-pool"), _files(tmp_path / "site-dask")
    assert len(pool_files) > 50
    assert sorted(pool_files) == sorted(dask_files)
    different = [name for name in pool_files if pool_files[name] != dask_files[name]]
    assert different == []


def test_cli_flags_choose_the_executor_and_a_bad_address_is_a_clear_error(
        tmp_path: Path) -> None:
    make_cohort(2, 1, tmp_path / "cohort")
    cohort = tmp_path / "cohort" / "cohort.yml"
    with pytest.raises(ConfigError, match="scheduler's address"):
        build_cohort(MKDOCS, cohort, site_dir=tmp_path / "site", cache_dir=tmp_path / "cache",
                     executor_kind="dask", scheduler="")
    from portfolio_gen.cli import main

    result = CliRunner().invoke(main, [
        "cohort", "build", str(cohort), "-d", str(tmp_path / "site"), "--cache-dir",
        str(tmp_path / "cache"), "--executor", "dask", "--scheduler", "not an address"])
    assert isinstance(result.exception, ConfigError)   # `run` prints it, exit status 2
    assert "scheduler's address" in str(result.exception)
    assert "'not an address'" in str(result.exception)
