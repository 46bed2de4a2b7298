#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what is missing, starts the servers
# the tests need on 127.0.0.1, builds, runs every test project, and prints one summary line.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

need_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is required (dotnet on PATH); see README.md." >&2
    exit 1
  fi
}

need_dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# PostgreSQL on 127.0.0.1 for the tests (WEOPS_TEST_POSTGRES; see scripts/test-services.sh),
# stopped after the tests, or by a trap if this script fails or is interrupted.
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
echo
test_services_start

log "build"
# The designer's end-to-end tests (tests/WeOps.Designer.Tests) drive its build in Chromium.
scripts/build-designer.sh
dotnet build WeOps.sln -c Release -nologo -clp:ErrorsOnly

# Two lanes, each running its test projects one after the other: the two longest (the browser tests and the
# tests against real servers) start at once, and the others follow in a fixed order that evens out the lanes; a
# project not named here joins the second lane. A single `dotnet test WeOps.sln` started the projects in solution
# order, so the longest one began minutes after the rest and set the length of the run.
run_lane() {
  local lane_status=0 project
  for project in "$@"; do
    dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" "${test_args[@]}" || lane_status=1
  done
  return "$lane_status"
}

log "test"
test_args=("$@")
first=(tests/WeOps.Designer.Tests tests/WeOps.Server.Tests)
second=(tests/WeOps.Integration.Tests tests/WeOps.Activities.Tests tests/WeOps.Engine.Tests)
for project in tests/*/; do
  project=${project%/}
  [ -n "$(compgen -G "$project/*.csproj")" ] || continue
  case " ${first[*]} ${second[*]} " in *" $project "*) ;; *) second+=("$project") ;; esac
done
status=0
run_lane "${first[@]}" & first_lane=$!
run_lane "${second[@]}" & second_lane=$!
wait "$first_lane" || status=1
wait "$second_lane" || status=1
test_services_stop

# One closing line for CI, summed over every test project's TRX file.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  total=$(get total); executed=$(get executed)
  skipped=$((skipped + total - executed))
done
echo
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status" >&2
fi
exit "$status"
