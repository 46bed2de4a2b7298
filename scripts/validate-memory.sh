#!/usr/bin/env bash
# Memory of the server around large uploads to POST /api/validate: starts the built server on a fresh
# SQLite file, sends the same file from several clients at once, and prints the server's RSS before,
# right after, and after an idle wait, with each answer's status, size and time.
#
#   scripts/validate-memory.sh [tasks=100000] [parallel=8] [idle seconds=20]
#
# Build first: dotnet build src/Server -c Release
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-100000}
parallel=${2:-8}
idle=${3:-20}
dll=$PWD/src/Server/bin/Release/net10.0/WeOps.Server.dll
[ -f "$dll" ] || { echo "Build the server first: dotnet build src/Server -c Release" >&2; exit 1; }

work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

# One process of many unconnected tasks: each is a validation problem (no incoming, no outgoing flow).
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t"><bpmn:process id="many" isExecutable="true">'
  seq 1 "$tasks" | sed 's/.*/<bpmn:task id="t&"\/>/'
  echo '</bpmn:process></bpmn:definitions>'
} >"$work/many.bpmn"

key=memory-check-admin-key-0123456789
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet "$dll" --urls "http://127.0.0.1:$port" --contentRoot "$(dirname "$dll")" --Auth:AdminApiKey=$key \
  --ConnectionStrings:WeOps="Data Source=$work/weops.db" --Workflows:Path="$work/none" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done

if ! kill -0 "$server" 2>/dev/null; then echo "The server did not start:" >&2; tail -20 "$work/server.log" >&2; exit 1; fi
rss() { awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status"; }
echo "file: $tasks tasks, $(stat -c %s "$work/many.bpmn") bytes; $parallel uploads at once"
echo "RSS when ready:        $(rss)"
for i in $(seq 1 "$parallel"); do
  curl -s -o "$work/answer-$i" -w "upload $i: %{http_code}, %{size_download} bytes, %{time_total} s\n" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/xml' \
    --data-binary "@$work/many.bpmn" "http://127.0.0.1:$port/api/validate" &
done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
echo "RSS after the uploads: $(rss)"
sleep "$idle"
echo "RSS after ${idle} s idle:  $(rss)"
head -c 400 "$work/answer-1"
echo
