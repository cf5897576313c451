"""Add the holder's DID to ``profile.yml`` identifiers, keeping the learner's text.

Why text edits, not a YAML round trip: the learner's comments, order and quoting are
theirs. The edited text is parsed again and must equal the old data plus the DID,
otherwise nothing is written and the caller says how to add it by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from portfolio_gen.errors import ConfigError

_KEY = re.compile(r"^identifiers:[ \t]*(?P<rest>[^\n#]*?)[ \t]*(?P<comment>#[^\n]*)?$", re.M)


def add_identifier(path: Path, did: str) -> bool:
    """Add ``did`` to ``path``'s identifiers; False when it is already there."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    before = yaml.safe_load(text) or {}
    if not isinstance(before, dict):
        raise ConfigError(f"{path}: expected a mapping; add {did} to identifiers by hand")
    old = before.get("identifiers")
    olds = [old] if isinstance(old, str) else list(old or [])
    if did in olds:
        return False
    edited = _edit(text, did)
    after = yaml.safe_load(edited) if edited is not None else None
    expected = {**before, "identifiers": [*olds, did]}
    if edited is None or after != expected:
        raise ConfigError(f"{path}: could not add the holder DID safely; add this line under "
                          f"identifiers yourself:  - \"{did}\"")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + edited.encode("utf-8"))
    return True


def _edit(text: str, did: str) -> str | None:
    item = f'"{did}"'
    match = _KEY.search(text)
    if match is None:
        sep = "" if text.endswith("\n") or not text else "\n"
        return f"{text}{sep}identifiers:\n  - {item}\n"
    rest = match.group("rest")
    if rest.startswith("[") and rest.endswith("]"):
        inner = rest[1:-1].strip()
        new_rest = f"[{inner}, {item}]" if inner else f"[{item}]"
        return text[:match.start("rest")] + new_rest + text[match.end("rest"):]
    if rest and rest not in ("null", "~"):
        if rest.startswith(("'", '"')) or not rest.startswith(("[", "{", "|", ">")):
            # a single identifier written as a scalar: make it a flow list
            return text[:match.start("rest")] + f"[{rest}, {item}]" + text[match.end("rest"):]
        return None
    # a block list (or nothing) follows: insert after its last item
    lines = text[match.end():].split("\n")
    offset = match.end()
    last_end = match.end()
    indent = "  "
    for line in lines[1:]:
        offset += 1   # the newline before this line
        stripped = line.lstrip()
        if stripped.startswith("- ") or stripped == "-":
            indent = line[: len(line) - len(stripped)]
            last_end = offset + len(line)
        elif stripped and not stripped.startswith("#") and line[:1] in (" ", "\t"):
            last_end = offset + len(line)   # continuation of an item
        elif stripped and not stripped.startswith("#"):
            break
        offset += len(line)
    if rest in ("null", "~"):
        head = text[:match.start("rest")].rstrip(" \t")
        return head + text[match.end("rest"):last_end] + f"\n{indent}- {item}" + text[last_end:]
    return text[:last_end] + f"\n{indent}- {item}" + text[last_end:]
