#!/usr/bin/env bash
# Runs WeOps on this machine: the server on an embedded SQLite database under data/, with the credential
# master key beside it (data/master.key), the processes of workflows/ loaded at the first start, and the web
# designer at /. The first start restores and builds everything (a few minutes); later starts take seconds.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet on PATH); see README.md, 'The first ten minutes'." >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
urls="${WEOPS_URLS:-http://127.0.0.1:5080}"
mkdir -p data

started=$SECONDS
step_started=$SECONDS
step() {
  if [ -n "${step_name:-}" ]; then printf '   %s: %ds\n' "$step_name" $((SECONDS - step_started)); fi
  step_name=$2
  step_started=$SECONDS
  printf '== %s %s: %s\n' "$1" "$2" "$3"
}

step 1/4 restore "NuGet packages (the first time from the package registry)"
dotnet restore src/Server --nologo -v quiet
step 2/4 build "the server, Release"
dotnet build src/Server -c Release --no-restore -nologo -v quiet -clp:ErrorsOnly
step 3/4 designer "src/Designer/dist, built when missing or older than its sources (the first time npm downloads its packages)"
scripts/build-designer.sh --if-stale
step 4/4 start "$urls (ready when the log says 'Now listening'; Ctrl+C stops it)"
printf '   ready to start after %ds\n' $((SECONDS - started))
# dotnet run starts the built server in src/Server: point it at the repository's data/ and workflows/.
exec dotnet run --project src/Server -c Release --no-build -- \
  --urls "$urls" \
  --ConnectionStrings:WeOps="${ConnectionStrings__WeOps:-Data Source=$PWD/data/weops.db}" \
  --Credentials:MasterKeyFile="${Credentials__MasterKeyFile:-$PWD/data/master.key}" \
  --Workflows:Path="$PWD/workflows" \
  --Designer:Path="$PWD/src/Designer/dist" \
  "$@"
