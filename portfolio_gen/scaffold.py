"""``portfolio-gen new DIR``: write a ready-to-build portfolio from the bundled template.

The template lives in ``portfolio_gen/scaffold_template/`` (shipped in the wheel). Names
starting with ``dot-`` become dot-files (``dot-github`` → ``.github``) so the template itself
is not taken for configuration by git or by tools. In text files ``"__PORTFOLIO_NAME__"`` is
replaced by the learner's name (YAML-quoted in YAML files), ``__PORTFOLIO_GEN_VERSION__`` by
this package's version and ``__PORTFOLIO_GEN_INSTALL__`` by the workflow's install command:
this very version from the package index, falling back to the project's git repository at the
same release tag (so it works before publication), or what ``new --install-from`` names.
Nothing that exists is ever overwritten.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from portfolio_gen import __version__
from portfolio_gen.errors import ConfigError

TEMPLATE_PACKAGE = "portfolio_gen"
TEMPLATE_FOLDER = "scaffold_template"
DEFAULT_NAME = "Your Name"
#: Folders created empty (git cannot keep an empty folder in the template).
EMPTY_DIRS = ("docs", "pins")
_TEXT_SUFFIXES = frozenset({".md", ".yml", ".yaml", ".txt", ""})
_NAME = "__PORTFOLIO_NAME__"
_VERSION = "__PORTFOLIO_GEN_VERSION__"
_INSTALL = "__PORTFOLIO_GEN_INSTALL__"
DISTRIBUTION = "portfolio-gen"
#: The project's git repository (pyproject.toml's ``Source`` URL; a test keeps them equal):
#: where the workflow installs this version from while it is not on the package index.
SOURCE_REPOSITORY = "https://github.com/portfolio-gen/portfolio-gen"
#: A pip requirement or URL for ``--install-from``: it lands inside double quotes in a
#: workflow's shell step, so nothing the shell or GitHub's ``${{ }}`` would expand.
_REQUIREMENT = re.compile(r"[A-Za-z0-9][^\x00-\x1f\x7f\"'`$\\]{0,299}")


def install_command(install_from: str | None = None, *, version: str = __version__,
                    source: str | None = SOURCE_REPOSITORY) -> list[str]:
    """The workflow's install command, one shell line per item.

    By default this ``version`` from the package index, or, when it is not there (not yet
    published), the ``source`` git repository at the tag ``v<version>``.
    """
    if install_from is not None:
        if not _REQUIREMENT.fullmatch(install_from):
            raise ConfigError(f"--install-from {install_from!r}: give a pip requirement or URL "
                              "without quotes, '$', '`' or '\\'")
        return [f'python -m pip install "{install_from}"']
    lines = [f'python -m pip install "{DISTRIBUTION}=={version}"']
    if source:
        lines[0] += " \\"
        lines.append(f'  || python -m pip install "{DISTRIBUTION} @ git+{source}@v{version}"')
    return lines


def create_portfolio(dest: Path, *, name: str | None = None,
                     install_from: str | None = None) -> list[Path]:
    """Write a new portfolio into ``dest`` (absent or an empty folder); return the files made.

    ``install_from``: the pip requirement the workflow installs (default: this version, see
    :func:`install_command`). Raises :class:`ConfigError` when ``dest`` is a file or a folder
    that is not empty.
    """
    learner = (name or DEFAULT_NAME).strip() or DEFAULT_NAME
    install = install_command(install_from)
    if dest.exists() and not dest.is_dir():
        raise ConfigError(f"{dest}: exists and is not a folder; choose a new folder name")
    if dest.is_dir() and any(dest.iterdir()):
        raise ConfigError(f"{dest}: folder is not empty; portfolio-gen new never overwrites "
                          "files, so choose a new or empty folder")
    files = sorted(_template_files(resources.files(TEMPLATE_PACKAGE) / TEMPLATE_FOLDER, ()))
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for parts, source in files:
        target = dest.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        if target.suffix in _TEXT_SUFFIXES:
            data = _fill(data.decode("utf-8"), learner, target.suffix, install).encode("utf-8")
        with target.open("xb") as out:  # "x": fail rather than overwrite
            out.write(data)
        written.append(target)
    for folder in EMPTY_DIRS:
        (dest / folder).mkdir(exist_ok=True)
    return written


def _template_files(node: Traversable, parts: tuple[str, ...],
                    ) -> list[tuple[tuple[str, ...], Traversable]]:
    out: list[tuple[tuple[str, ...], Traversable]] = []
    for child in node.iterdir():
        if child.name == "__pycache__":
            continue
        name = "." + child.name[len("dot-"):] if child.name.startswith("dot-") else child.name
        if child.is_dir():
            out.extend(_template_files(child, (*parts, name)))
        else:
            out.append(((*parts, name), child))
    return out


def _fill(text: str, name: str, suffix: str, install: list[str]) -> str:
    if _INSTALL in text:  # keep the indentation of the line it stands on
        indent = text[:text.index(_INSTALL)].rsplit("\n", 1)[-1]
        text = text.replace(_INSTALL, ("\n" + indent).join(install))
    if suffix in (".yml", ".yaml"):
        # A JSON string is a valid YAML double-quoted scalar: any name stays one string.
        text = text.replace(f'"{_NAME}', '"' + json.dumps(name, ensure_ascii=False)[1:-1])
    return text.replace(_NAME, name).replace(_VERSION, __version__)
