#!/usr/bin/env bash
# Runs WeOps on this machine: the server on an embedded SQLite database under data/.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet on PATH); see README.md." >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p data
# The designer's static files, built once (scripts/build-designer.sh rebuilds them after a change).
scripts/build-designer.sh --if-missing
# dotnet run starts the server in src/Server: point it at the repository's data/ and workflows/.
exec dotnet run --project src/Server -c Release -- \
  --urls "${WEOPS_URLS:-http://127.0.0.1:5080}" \
  --ConnectionStrings:WeOps="${ConnectionStrings__WeOps:-Data Source=$PWD/data/weops.db}" \
  --Workflows:Path="$PWD/workflows" \
  --Designer:Path="$PWD/src/Designer/dist" \
  "$@"
