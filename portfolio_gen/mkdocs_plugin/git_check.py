"""Before ``deploy`` touches git: is this a repository with the remote to push to?

``mkdocs gh-deploy`` creates the ``gh-pages`` branch first and fails only at the push, with
a traceback; checking before it runs means a learner without a repository or remote gets one
clear message, exit status 2, and no branch is created.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from portfolio_gen.errors import ConfigError

_HOW = ("or publish with the GitHub Actions workflow instead (see 'Publishing' in "
        "docs/getting-badges.md)")


def check_git_remote(project_dir: Path, remote: str) -> None:
    """Raise :class:`ConfigError` saying what to run when ``deploy`` cannot push."""
    if shutil.which("git") is None:
        raise ConfigError(f"deploy needs git, which is not installed; install git, {_HOW}")
    inside = _git(project_dir, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise ConfigError(
            f"{project_dir.resolve()}: not a git repository, so there is nothing to deploy to. "
            "Run: git init -b main && git add . && git commit -m 'My portfolio' && "
            "git remote add origin https://github.com/<user>/<repository>.git — then "
            f"portfolio-gen deploy again; {_HOW}")
    url = _git(project_dir, "remote", "get-url", remote)
    if url.returncode != 0 or not url.stdout.strip():
        raise ConfigError(
            f"{project_dir.resolve()}: this git repository has no remote named {remote!r} to "
            f"push the site to. Run: git remote add {remote} "
            "https://github.com/<user>/<repository>.git — then portfolio-gen deploy again; "
            + _HOW)


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=30)
