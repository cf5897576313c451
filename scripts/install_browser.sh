#!/usr/bin/env bash
# Installs what the browser tests need, idempotently:
#   - Debian's chromium (Playwright drives it through executable_path; its own browser
#     download cannot work on these machines);
#   - the Playwright Python package (if missing);
#   - axe-core at the version pinned in tests/browser/package-lock.json.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$here/tests/browser"

if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends chromium; then
    apt-get update
    apt-get install -y --no-install-recommends chromium
  fi
fi

if ! python3 -c "import playwright" 2>/dev/null; then
  python3 -m pip install "playwright>=1.45,<2"
fi

if [ ! -f "$tools/node_modules/axe-core/axe.min.js" ]; then
  cd "$tools"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    npm install --no-audit --no-fund
  fi
fi

/usr/bin/chromium --version
echo "axe-core $(node -p "require('$tools/node_modules/axe-core/package.json').version")"
