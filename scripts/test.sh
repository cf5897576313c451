#!/usr/bin/env bash
# The README's second command: install the test tools, then run the whole test suite.
#   - the package with its test extras (pytest, ruff, mypy, playwright, ...);
#   - Debian's chromium and axe-core for the browser tests (scripts/install_browser.sh;
#     installing chromium needs root once, via apt-get);
#   - the Node packages of tools/interop (the interop fixtures' regeneration test).
# Every step is idempotent; extra arguments go to pytest (e.g. `bash scripts/test.sh -x -q`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python -m pip install --quiet -e '.[dev]'
bash scripts/install_browser.sh
if command -v npm >/dev/null 2>&1 && [ -f tools/interop/package-lock.json ]; then
  (cd tools/interop && npm ci --no-audit --no-fund --loglevel=error) \
    || echo "interop npm ci failed; the regeneration test will say so" >&2
fi

exec python -m pytest "$@"
