"""Import boundaries of docs/architecture.md, checked on the source with ``ast``.

- only ``net/http.py`` may import socket-level modules;
- only ``render/`` may import mkdocs / material;
- within verification, only ``verify/crypto.py`` imports ``cryptography.hazmat``
  (``testing/`` makes credentials and may sign);
- the pipeline runs one way: ingest and net never import verify/model/render, and verify never
  imports model/render.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "portfolio_gen"

SOCKET_MODULES = {"socket", "ssl", "http.client", "urllib.request", "http.server",
                  "requests", "httpx", "urllib3", "aiohttp", "asyncio", "distributed"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _matches(name: str, roots: set[str]) -> bool:
    return any(name == r or name.startswith(r + ".") for r in roots)


def test_package_has_modules() -> None:
    assert len(_modules()) > 5


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_only_the_fetcher_opens_sockets(path: Path) -> None:
    rel = _rel(path)
    # a local SQLite file (the verification cache) is opened, not a socket
    text = path.read_text(encoding="utf-8").replace("sqlite3.connect(", "")
    if rel != "net/http.py":
        for opener in ("create_connection(", ".connect(", "urlopen(", "HTTPConnection("):
            assert opener not in text, f"{rel} calls {opener}; only net/http.py opens sockets"
    if rel in ("net/http.py", "net/deadline.py") or rel.startswith("render/"):
        # deadline.py only shuts down sockets http.py hands it; render/ may run mkdocs'
        # dev server (serve), which fetches nothing.
        return
    if rel == "cohort/executors.py":
        # the Dask client talks to the cluster's scheduler (cohort.yml executor: dask); it
        # fetches no credential document
        assert {m for m in _imports(path) if _matches(m, SOCKET_MODULES)} <= {"distributed"}
        return
    bad = {m for m in _imports(path) if _matches(m, SOCKET_MODULES)}
    assert not bad, f"{rel} imports {bad}; only net/http.py may open sockets"


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_only_render_imports_mkdocs(path: Path) -> None:
    if _rel(path).startswith("render/"):
        return
    bad = {m for m in _imports(path) if _matches(m, {"mkdocs", "material"})}
    assert not bad, f"{_rel(path)} imports {bad}; only render/ may import mkdocs"


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_only_crypto_module_imports_hazmat(path: Path) -> None:
    rel = _rel(path)
    if rel == "verify/crypto.py" or rel.startswith("testing/"):
        return
    bad = {m for m in _imports(path) if m.startswith("cryptography.hazmat")}
    assert not bad, f"{rel} imports {bad}; only verify/crypto.py may"


LAYER_RULES = {
    "net/": {"portfolio_gen.ingest", "portfolio_gen.verify", "portfolio_gen.model",
             "portfolio_gen.render", "portfolio_gen.model.assemble"},
    "ingest/": {"portfolio_gen.verify", "portfolio_gen.model", "portfolio_gen.render",
                "portfolio_gen.model.assemble"},
    "verify/": {"portfolio_gen.model", "portfolio_gen.render", "portfolio_gen.model.assemble"},
    "model/": {"portfolio_gen.render"},
}


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_pipeline_runs_one_way(path: Path) -> None:
    rel = _rel(path)
    for prefix, forbidden in LAYER_RULES.items():
        if rel.startswith(prefix):
            bad = {m for m in _imports(path) if _matches(m, forbidden)}
            assert not bad, f"{rel} imports {bad}: the pipeline runs one way"
