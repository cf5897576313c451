"""Shared fixtures: a fixed clock and paths to the optional third-party conformance set."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: ``../shared/conformance`` beside the checkout (or beside the folder of git worktrees).
SHARED_CONFORMANCE = next(
    (p for p in (ROOT.parent / "shared" / "conformance",
                 ROOT.parent.parent / "shared" / "conformance") if (p / "manifest.json").is_file()),
    ROOT.parent / "shared" / "conformance")

#: The instant tests judge credentials at, unless a test says otherwise.
FIXED_NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, scope="session")
def _private_user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the real user cache (~/.cache/portfolio-gen)."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture
def now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def conformance_dir() -> Path:
    if not (SHARED_CONFORMANCE / "manifest.json").is_file():
        pytest.skip("../shared/conformance is not present")
    return SHARED_CONFORMANCE
