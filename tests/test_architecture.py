"""The house rules of docs/architecture.md, checked on the source with ``ast``.

- layers run one way: ``net`` ← ``ingest`` ← ``verify`` ← ``holder`` ← ``model`` ←
  ``share``/``importer`` ← ``render`` ← ``cohort`` ← ``mkdocs_plugin`` ← ``scaffold``/
  ``testing`` ← ``cli``; the
  foundation modules (errors, config, confine…) import no layer; every module has a layer;
- no import cycles between modules (type-only imports under ``TYPE_CHECKING`` aside);
- only ``mkdocs_plugin/`` imports mkdocs or material, and only it names Material's theme,
  palette or templates;
- only ``net/http.py`` opens sockets (``cohort/executors.py`` may talk to a Dask scheduler);
- within verification, only ``verify/crypto.py`` imports ``cryptography.hazmat``
  (``testing/`` makes credentials and may sign).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "portfolio_gen"

SOCKET_MODULES = {"socket", "ssl", "http.client", "urllib.request", "http.server",
                  "requests", "httpx", "urllib3", "aiohttp", "asyncio", "distributed"}

#: The layer of each top-level module or folder of the package: a module may import its
#: own folder and anything of a lower layer, nothing else. Equal numbers are siblings that
#: may not import each other.
FOUNDATION = 0
LAYERS: dict[str, int] = {
    # foundation: no pipeline knowledge
    "__init__": FOUNDATION, "errors": FOUNDATION,
    "encoding": FOUNDATION, "confine": FOUNDATION, "config_errors": FOUNDATION,
    "config": FOUNDATION, "progress": FOUNDATION, "sitedir": FOUNDATION,
    # the theme's files (theme), its one Jinja2 environment (templating) and the HTML
    # sanitiser whose filters it registers: read by share/ and render/ alike
    "theme": FOUNDATION, "templating": FOUNDATION, "sanitize": FOUNDATION,
    "net": 1,
    "ingest": 2,
    "verify": 3,
    "holder": 4,          # the learner's own key and presentation (signs, checks with verify)
    "model": 5,
    "share": 6,           # beside the model: knows the display model, not the pages
    "importer": 6,        # `portfolio-gen add`: ingest → verify → save
    "render": 7,          # engine-free pages from our templates
    "cohort": 8,          # cohort orchestration; receives the site engine as an object
    "mkdocs_plugin": 9,   # the only MkDocs layer
    "scaffold": 10,       # `portfolio-gen new`
    "testing": 10,        # credential and cohort factories for tests and benchmarks
    "cli": 11,
    "__main__": 12,
}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _name(path: Path) -> str:
    parts = ["portfolio_gen", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _group(rel_or_name: str) -> str:
    """``verify/ob3/keys.py`` or ``portfolio_gen.verify.ob3.keys`` → ``verify``."""
    if rel_or_name.startswith("portfolio_gen"):
        parts = rel_or_name.split(".")[1:] or ["__init__"]
        return parts[0]
    return rel_or_name.split("/")[0].removesuffix(".py")


def _type_only(tree: ast.Module) -> set[int]:
    """Line numbers inside ``if TYPE_CHECKING:`` blocks (imports that never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                for sub in ast.walk(child):
                    if hasattr(sub, "lineno"):
                        lines.add(sub.lineno)
    return lines


@cache
def _imports(path: Path, *, runtime_only: bool = False) -> frozenset[str]:
    """Absolute names of what ``path`` imports (relative imports resolved; ``from a import b``
    gives ``a.b`` when ``b`` is a module, else ``a``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_only(tree) if runtime_only else set()
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if _module_path(sub) is not None else module)
    return frozenset(found)


def _module_path(name: str) -> Path | None:
    if not name.startswith("portfolio_gen"):
        return None
    if name == "portfolio_gen":
        return PACKAGE / "__init__.py"
    rel = Path(*name.split(".")[1:])
    for candidate in (PACKAGE / rel.with_suffix(".py"), PACKAGE / rel / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _matches(name: str, roots: set[str]) -> bool:
    return any(name == r or name.startswith(r + ".") for r in roots)


def test_package_has_modules() -> None:
    assert len(_modules()) > 5


# -- layers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_every_module_has_a_layer(path: Path) -> None:
    group = _group(_rel(path))
    assert group in LAYERS, (f"{_rel(path)}: place '{group}' in a layer (LAYERS here and "
                             "docs/architecture.md)")


def _upward(own: str, names: frozenset[str] | set[str]) -> set[str]:
    """The names a module of group ``own`` may not import (same or higher layer)."""
    upward = set()
    for name in names:
        if not name.startswith("portfolio_gen.") or _module_path(name) is None:
            continue
        target = _group(name)
        if target in (own, "__init__"):
            continue
        if LAYERS[target] >= LAYERS[own] and not LAYERS[own] == FOUNDATION == LAYERS[target]:
            upward.add(name)
    return upward


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_layers_import_downwards_only(path: Path) -> None:
    rel = _rel(path)
    upward = _upward(_group(rel), _imports(path))
    assert not upward, f"{rel} imports {sorted(upward)}: layers import downwards only"


def test_layer_rule_catches_upward_and_sibling_imports() -> None:
    """The rule can fail: verify importing render, share importing importer (siblings) and
    cohort importing the MkDocs layer are caught; render importing verify is fine."""
    assert _upward("verify", {"portfolio_gen.render.site"}) == {"portfolio_gen.render.site"}
    assert _upward("share", {"portfolio_gen.importer.add"}) == {"portfolio_gen.importer.add"}
    assert _upward("cohort", {"portfolio_gen.mkdocs_plugin.engine"})
    assert not _upward("render", {"portfolio_gen.verify.report", "portfolio_gen.errors"})


def test_foundation_imports_no_layer() -> None:
    bad = {}
    for path in _modules():
        if LAYERS.get(_group(_rel(path))) == FOUNDATION:
            up = {n for n in _imports(path) if n.startswith("portfolio_gen.")
                  and LAYERS.get(_group(n), FOUNDATION) != FOUNDATION}
            if up:
                bad[_rel(path)] = sorted(up)
    assert not bad


def test_no_import_cycles() -> None:
    graph = {_name(p): {n for n in _imports(p, runtime_only=True)
                        if _module_path(n) is not None and n != _name(p)}
             for p in _modules()}
    cycles = _cycles(graph)
    assert not cycles, f"import cycles: {cycles}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    """The cycle check can fail: a two-module loop and a three-module loop are found."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": set()}) == [["a", "b"]]
    assert _cycles({"x": {"y"}, "y": {"z"}, "z": {"x"}}) == [["x", "y", "z"]]


# -- the MkDocs layer --------------------------------------------------------------------------

@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_only_the_mkdocs_layer_imports_mkdocs(path: Path) -> None:
    rel = _rel(path)
    if rel.startswith("mkdocs_plugin/"):
        return
    bad = {m for m in _imports(path) if _matches(m, {"mkdocs", "material"})}
    assert not bad, f"{rel} imports {bad}; only mkdocs_plugin/ may import mkdocs or material"


MATERIAL_WORDS = ("palette", "material/", "navigation.top", "mkdocs-material")


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_only_the_mkdocs_layer_knows_material(path: Path) -> None:
    """Material's theme name, palette, icons and features are written in mkdocs_plugin/
    only (``testing/`` writes a learner's own mkdocs.yml, as ``portfolio-gen new`` does)."""
    rel = _rel(path)
    if rel.startswith(("mkdocs_plugin/", "testing/")):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    named = sorted({node.value for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and (node.value == "material"
                         or any(word in node.value for word in MATERIAL_WORDS))})
    assert not named, f"{rel} names Material's theme ({named}); that belongs in mkdocs_plugin/"


# -- sockets and keys ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_only_the_fetcher_opens_sockets(path: Path) -> None:
    rel = _rel(path)
    # a local SQLite file (the verification cache) is opened, not a socket
    text = path.read_text(encoding="utf-8").replace("sqlite3.connect(", "")
    if rel != "net/http.py":
        for opener in ("create_connection(", ".connect(", "urlopen(", "HTTPConnection("):
            assert opener not in text, f"{rel} calls {opener}; only net/http.py opens sockets"
    if rel in ("net/http.py", "net/deadline.py") or rel.startswith("mkdocs_plugin/"):
        # deadline.py only shuts down sockets http.py hands it; mkdocs_plugin/ runs MkDocs'
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
def test_only_crypto_module_imports_hazmat(path: Path) -> None:
    rel = _rel(path)
    if rel == "verify/crypto.py" or rel.startswith("testing/"):
        return
    bad = {m for m in _imports(path) if m.startswith("cryptography.hazmat")}
    assert not bad, f"{rel} imports {bad}; only verify/crypto.py may"


def test_the_architecture_page_names_every_layer() -> None:
    """docs/architecture.md draws the same house: every folder and foundation module of
    LAYERS is named there (a new folder needs its paragraph)."""
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [name for name in LAYERS if name not in ("__init__", "__main__")
               and f"`{name}/`" not in page and f"`{name}.py`" not in page]
    assert not missing, f"docs/architecture.md does not name {missing}"
