"""Configuration error messages that point at the real line and say how to fix it.

PyYAML reports where it *noticed* a problem, which for an unclosed ``[`` or quote is the end
of the file; the place to fix is where that construct started, so that is given first. An
unknown key is located in the file (line, column) and the closest valid key suggested, so
``nmae:`` reads "did you mean 'name'?".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from portfolio_gen.errors import ConfigError

_FIXES = (
    ("cannot start any token", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "a value containing ': ' must be quoted, and each "
                                       "'key: value' needs its own line"),
    ("expected ',' or ']'", "close the '[' with ']', or quote the value if it starts with '['"),
    ("expected ',' or '}'", "close the '{' with '}', or quote the value if it starts with '{'"),
    ("found unexpected end of stream", "close the quote"),
    ("could not find expected ':'", "write 'key: value' with a space after the colon, or "
                                    "close the quote on the line before"),
    ("did not find expected key", "check the indentation: items of one list or mapping must "
                                  "line up"),
    ("did not find expected '-' indicator", "check the indentation: list items must line up"),
)


def yaml_where(exc: yaml.YAMLError, line_offset: int = 0) -> str:
    """``line L, column C: what is wrong; how to fix it`` for a YAML syntax error.

    ``line_offset``: lines of the file before the YAML text (front matter's ``---``)."""
    problem = getattr(exc, "problem", None) or "syntax error"
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    fix = next((f for needle, f in _FIXES if needle in problem), "")
    text = problem
    if context and context_mark is not None and (
            mark is None or context_mark.line != mark.line):
        where = f"line {context_mark.line + 1 + line_offset}, column {context_mark.column + 1}"
        noticed = (f" (noticed at line {mark.line + 1 + line_offset}, column {mark.column + 1})"
                   if mark else "")
        text = f"{where}: {context}, {problem}{noticed}"
    elif mark is not None:
        text = f"line {mark.line + 1 + line_offset}, column {mark.column + 1}: {problem}"
    return f"{text}; {fix}" if fix else text


def locate_key(path: Path | str, key: str, within: Sequence[str] = ()) -> str:
    """``line L, column C`` of mapping key ``key`` nested (at any depth) under ``within``."""
    try:
        root = yaml.compose(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    found = _find(root, key, list(within), [])
    return f"line {found.line + 1}, column {found.column + 1}" if found is not None else ""


def _find(node: yaml.Node | None, key: str, within: list[str],
          ancestors: list[str]) -> yaml.Mark | None:
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            name = knode.value if isinstance(knode, yaml.ScalarNode) else ""
            if name == key and _subsequence(within, ancestors):
                mark: yaml.Mark = knode.start_mark
                return mark
            hit = _find(vnode, key, within, [*ancestors, name])
            if hit is not None:
                return hit
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            hit = _find(item, key, within, ancestors)
            if hit is not None:
                return hit
    return None


def _subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needle)


def unknown_key(where: str, key: str, known: Iterable[str], *, path: Path | str | None = None,
                within: Sequence[str] = (), noun: str = "key") -> ConfigError:
    """An error naming the unknown key, its position and the closest valid key."""
    valid = sorted(known)
    position = locate_key(path, key, within) if path is not None else ""
    at = f" ({position})" if position else ""
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return ConfigError(f"{where}: unknown {noun} {key!r}{at}{hint} Expected one of "
                       f"{', '.join(valid)}")
