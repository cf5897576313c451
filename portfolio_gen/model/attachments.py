"""Reflection attachments: the non-Markdown files in the reflections folder, published as-is.

Why a rule: a file a browser renders as a document (HTML, SVG, XML, scripts) runs its
script on the origin it is served from. On a learner's own site that origin is theirs;
on a cohort site it is the careers office's, shared by every learner, so there such
files are left out (``shared_origin=True``) and named in the problems. A link leading
out of the folder is never followed, on either site.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from portfolio_gen.confine import link_leaves
from portfolio_gen.model.portfolio import Problem

#: Extensions a static host serves with a type a browser runs script in (or could be
#: made to: XML stylesheets, appcache manifests, Flash). A file without an extension is
#: refused too: what type a host gives it is the host's guess.
EXECUTABLE_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".svg", ".svgz", ".xml",
    ".xsl", ".xslt", ".rdf", ".js", ".mjs", ".cjs", ".jsm", ".wasm", ".swf", ".appcache",
    ".manifest",
})


def reflection_attachments(folder: Path, *, shared_origin: bool
                           ) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """``([(path relative to folder, file)], problems)`` in sorted order."""
    files: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return files, problems
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if (path.suffix.lower() == ".md" or any(part.startswith(".")
                                                for part in PurePosixPath(rel).parts)):
            continue
        label = f"{folder.name}/{rel}"
        why = link_leaves(path, folder)
        if why is not None:
            problems.append(Problem(label, "reflection", f"{why}; not published"))
            continue
        if not path.is_file():
            continue
        if shared_origin and (path.suffix.lower() in EXECUTABLE_SUFFIXES or not path.suffix):
            kind = f"a {path.suffix.lower()}" if path.suffix else "an extension-less"
            problems.append(Problem(label, "reflection", (
                f"{kind} attachment is not published on a cohort site: a browser may run the "
                "scripts it holds on the site's shared address (link a PDF or an image "
                "instead)")))
            continue
        files.append((rel, path))
    return files, problems
