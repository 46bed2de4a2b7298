#!/usr/bin/env bash
# Builds the web designer (src/Designer, npm + Vite) into src/Designer/dist, which the server serves at /.
# Usage: scripts/build-designer.sh [--if-missing]
set -euo pipefail
cd "$(dirname "$0")/../src/Designer"
if [ "${1:-}" = "--if-missing" ] && [ -f dist/index.html ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  cat >&2 <<'MSG'
The web designer cannot be built: npm is missing.
Install Node.js 20 or later with npm (Debian: apt-get install nodejs npm), then run this again,
or run the server without the designer (the API under /api works; / answers 404 until it is built).
MSG
  exit 1
fi
echo "== designer: npm ci && npm run build (src/Designer -> src/Designer/dist)"
# npm 11 leaves other platforms' optional packages (@rollup/rollup-darwin-x64, ...) out of the lockfile it
# writes, and then its own 'npm ci' refuses that lockfile as out of sync. 'npm install --no-save' installs the
# same locked versions without rewriting the lockfile.
npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-save --no-audit --no-fund --loglevel=error
npm run build --silent
