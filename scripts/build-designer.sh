#!/usr/bin/env bash
# Builds the web designer (src/Designer, npm + Vite) into src/Designer/dist, which the server serves at /
# ('dotnet publish src/Server' copies it into the publish output).
# Usage: scripts/build-designer.sh [--if-missing | --if-stale]
#   --if-missing  only when dist/ holds no build
#   --if-stale    only when dist/ holds no build or a source file is newer than it
set -euo pipefail
cd "$(dirname "$0")/../src/Designer"
if [ -f dist/index.html ]; then
  case "${1:-}" in
    --if-missing) exit 0 ;;
    --if-stale)
      if [ -z "$(find index.html package.json package-lock.json vite.config.js src public -newer dist/index.html -print -quit 2>/dev/null)" ]; then
        exit 0
      fi ;;
  esac
fi

# Vite 7 needs Node.js 20.19+ (or 22.12+); Debian 12's nodejs package is 18.
need_node() {
  cat >&2 <<MSG
The web designer cannot be built: $1
It needs Node.js 20.19 or later with npm (Vite 7). Debian 12's 'apt-get install nodejs npm' gives 18.x, which is
too old: install Node.js 22 LTS from the Node.js project's downloads (or nvm, or a nodejs 22 package), then run this
again. The first build downloads the designer's packages from the npm registry.
Without it the server still runs: the API under /api works, / answers 404 until the designer is built.
MSG
  exit 1
}
command -v node >/dev/null 2>&1 || need_node "node is missing."
command -v npm >/dev/null 2>&1 || need_node "npm is missing."
node_version=$(node --version)
IFS=. read -r major minor _ <<<"${node_version#v}"
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; } || { [ "$major" -eq 22 ] && [ "$minor" -lt 12 ]; } || [ "$major" -eq 21 ]; then
  need_node "node is $node_version."
fi

echo "== designer: npm ci && npm run build (src/Designer -> src/Designer/dist)"
# npm 11 leaves other platforms' optional packages (@rollup/rollup-darwin-x64, ...) out of the lockfile it
# writes, and then its own 'npm ci' refuses that lockfile as out of sync. 'npm install --no-save' installs the
# same locked versions without rewriting the lockfile.
npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-save --no-audit --no-fund --loglevel=error
npm run build --silent
