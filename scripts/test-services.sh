#!/usr/bin/env bash
# The servers the tests need, on 127.0.0.1 only, for the length of one test run.
#
#   source scripts/test-services.sh; test_services_start   (what test.sh does)
#   scripts/test-services.sh COMMAND [ARGS...]              (runs COMMAND with the services up,
#                                                            e.g. dotnet test tests/WeOps.Integration.Tests)
#
# PostgreSQL: Debian's postgresql and postgresql-client are installed with apt-get if missing (needs
# root). A private cluster is made in a throwaway directory (artifacts/pg; a directory under /tmp
# when the postgres OS user cannot reach the checkout), listening on 127.0.0.1 only, on port 55432
# or the next free one (WEOPS_PG_PORT changes the first port tried), tuned for tests (no fsync, no
# synchronous commit: never use it for data). Role weops (password weops, superuser: the tests
# create and drop databases) and database weops. Then, for the tests:
#
#   WEOPS_TEST_POSTGRES="Host=127.0.0.1;Port=<port>;Username=weops;Password=weops;Database=weops"
#
# The cluster is stopped and its directory removed when the calling shell exits, also on failure
# or CTRL-C. A cluster left behind by a killed run is stopped and removed by the next run (with
# the rest of that run, such as an orphaned dotnet test, if it led its own process group).
# If WEOPS_TEST_POSTGRES is already set, that server is used and nothing is installed or started.

_ts_say() { printf '== postgres: %s\n' "$*"; }
_ts_die() { printf '== postgres: %s\n' "$*" >&2; exit 1; }

# The checkout this file belongs to, absolute.
_TS_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_TS_ROOT=""        # the throwaway directory: data/, server.log, owner
_TS_BIN=""         # /usr/lib/postgresql/<ver>/bin
_TS_VERSION=""
_TS_STARTED=""     # set once this shell owns a running cluster

# Runs a PostgreSQL program as the postgres OS user when we are root (postgres refuses to run as
# root), else as ourselves; from / so that an unreadable working directory draws no warnings.
_ts_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Newest PostgreSQL with both server and client programs, as /usr/lib/postgresql/<ver>/bin.
_ts_find_bin() {
  local dir best="" bestv=0 v
  for dir in /usr/lib/postgresql/*/bin; do
    if ! { [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] \
           && [ -x "$dir/psql" ] && [ -x "$dir/pg_isready" ]; }; then
      continue
    fi
    v="${dir#/usr/lib/postgresql/}"; v="${v%/bin}"
    case "$v" in *[!0-9]*) continue ;; esac
    if [ "$v" -gt "$bestv" ]; then best="$dir"; bestv="$v"; fi
  done
  [ -n "$best" ] || return 1
  _TS_BIN="$best"; _TS_VERSION="$bestv"
}

_ts_install() {
  _ts_find_bin && return 0
  local pkgs=(postgresql postgresql-client)
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    _ts_die "the tests need a PostgreSQL server and client, which are not installed.
  Run ./test.sh as root (or with sudo) on Debian so it can install them, or install them yourself:
    sudo apt-get install -y --no-install-recommends ${pkgs[*]}
  or point the tests at a server of your own:
    export WEOPS_TEST_POSTGRES='Host=127.0.0.1;Port=5432;Username=...;Password=...;Database=...'"
  fi
  local log="$_TS_REPO/artifacts/apt-postgres.log"
  mkdir -p "$_TS_REPO/artifacts"
  _ts_say "installing ${pkgs[*]} (apt-get; log in artifacts/apt-postgres.log)"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"; } \
         >"$log" 2>&1 </dev/null; then
    tail -n 20 "$log" >&2
    _ts_die "apt-get could not install ${pkgs[*]} (see above)"
  fi
  _ts_find_bin || _ts_die "installed ${pkgs[*]} but found no /usr/lib/postgresql/<ver>/bin with initdb, pg_ctl and psql"
}

# Installs the Debian packages among "$@" that are missing (needs root and apt-get), logging to
# artifacts/apt-<first package>.log; dies with what to install by hand when it cannot.
_ts_apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    printf '== services: the tests need %s, which are not installed. Run ./test.sh as root on Debian,\n   or: sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" "${missing[*]}" >&2
    exit 1
  fi
  local log="$_TS_REPO/artifacts/apt-${missing[0]}.log"
  mkdir -p "$_TS_REPO/artifacts"
  printf '== services: installing %s (apt-get; log in %s)\n' "${missing[*]}" "${log#"$_TS_REPO"/}"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
         >"$log" 2>&1 </dev/null; then
    tail -n 20 "$log" >&2
    printf '== services: apt-get could not install %s (see above)\n' "${missing[*]}" >&2
    exit 1
  fi
}

# The throwaway directory: artifacts/pg when the postgres user can reach it, else one under /tmp
# named after the checkout (so that a stale one is found again by the next run).
_ts_choose_root() {
  local root="$_TS_REPO/artifacts/pg"
  mkdir -p "$_TS_REPO/artifacts"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$_TS_REPO/artifacts" 2>/dev/null; then
    root="/tmp/weops-pg-$(printf '%s' "$_TS_REPO" | cksum | cut -d' ' -f1)"
    _ts_say "the postgres user cannot enter $_TS_REPO/artifacts: cluster in $root"
  fi
  _TS_ROOT="$root"
}

# Field N (3 and up) of /proc/PID/stat: 5 is the process group, 22 the start time.
_ts_proc_field() {
  local stat fields
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  read -r -a fields <<<"${stat##*) }"
  printf '%s' "${fields[$(( $2 - 3 ))]}"
}

# The processes of process group $1, except this shell.
_ts_group_members() {
  local f pid
  for f in /proc/[0-9]*/stat; do
    pid="${f#/proc/}"; pid="${pid%/stat}"
    [ "$pid" != "$$" ] && [ "$(_ts_proc_field "$pid" 5 || true)" = "$1" ] && printf '%s ' "$pid"
  done
  return 0
}

# Stops and removes a cluster left by an earlier run, unless that run is still going. When the
# killed run led its own process group (run from a terminal), what is left of it (an orphaned
# dotnet test) is stopped too: it would write its results into this run's and compete for the CPU.
_ts_clean_stale() {
  local root="$_TS_ROOT" pid="" start="" pgid="" pmpid members
  [ -e "$root" ] || return 0
  if [ -r "$root/owner" ]; then
    read -r pid start pgid <"$root/owner" || true
    if [ -n "$pid" ] && [ "$pid" != "$$" ] && [ "$(_ts_proc_field "$pid" 22 || true)" = "$start" ]; then
      _ts_die "$root belongs to a test run that is still going (pid $pid); wait for it or stop it"
    fi
  fi
  _ts_say "removing a cluster left by an earlier run ($root)"
  if [ -f "$root/data/postmaster.pid" ]; then
    pmpid="$(head -n 1 "$root/data/postmaster.pid" 2>/dev/null || true)"
    _ts_as_pg "$_TS_BIN/pg_ctl" -D "$root/data" stop -m immediate -w -t 10 >/dev/null 2>&1 || true
    if [ -n "$pmpid" ] && kill -0 "$pmpid" 2>/dev/null \
       && [ "$(readlink "/proc/$pmpid/exe" 2>/dev/null)" = "$(readlink -f "$_TS_BIN/postgres")" ]; then
      kill -9 "$pmpid" 2>/dev/null || true
    fi
  fi
  if [ -n "$pid" ] && [ "$pgid" = "$pid" ] && [ "$pgid" != "$(_ts_proc_field "$$" 5)" ]; then
    members="$(_ts_group_members "$pgid")"
    if [ -n "$members" ]; then
      _ts_say "stopping what is left of that run (process group $pgid: pids $members)"
      kill -TERM -- "-$pgid" 2>/dev/null || true
      local tries=10
      while [ "$tries" -gt 0 ] && [ -n "$(_ts_group_members "$pgid")" ]; do
        sleep 0.5; tries=$((tries - 1))
      done
      kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
  fi
  rm -rf "$root"
}

# Milliseconds since the epoch (bash 5's EPOCHREALTIME; whole seconds before that).
_ts_now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t="${EPOCHREALTIME//[.,]/}"
    printf '%s' "$(( 10#$t / 1000 ))"
  else
    printf '%s' "$(( $(date +%s) * 1000 ))"
  fi
}

_ts_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

_ts_free_port() {
  local port="$1" last=$(( $1 + 100 ))
  while [ "$port" -le "$last" ]; do
    if ! _ts_port_busy "$port"; then printf '%s' "$port"; return 0; fi
    port=$((port + 1))
  done
  return 1
}

_ts_log_tail() {
  [ -f "$_TS_ROOT/server.log" ] && { echo "-- last lines of $_TS_ROOT/server.log:"; tail -n 20 "$_TS_ROOT/server.log"; } >&2
  return 0
}

_ts_postgres_start() {
  local t0 root data port first tries=0
  t0="$(_ts_now_ms)"
  first="${WEOPS_PG_PORT:-55432}"
  case "$first" in
    ''|*[!0-9]*) _ts_die "WEOPS_PG_PORT must be a port number, not '$first'" ;;
  esac
  if [ "$first" -lt 1024 ] || [ "$first" -gt 65435 ]; then
    _ts_die "WEOPS_PG_PORT must be between 1024 and 65435, not $first"
  fi
  _ts_install
  _ts_choose_root
  _ts_clean_stale
  root="$_TS_ROOT"; data="$root/data"

  mkdir -p "$root"
  chmod 700 "$root"
  printf '%s %s %s\n' "$$" "$(_ts_proc_field "$$" 22)" "$(_ts_proc_field "$$" 5)" >"$root/owner"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$root"; fi
  _TS_STARTED=1

  # Role weops is the cluster's bootstrap superuser; no other role has a password or a login.
  printf 'weops\n' >"$root/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$root/pwfile"; fi
  if ! _ts_as_pg "$_TS_BIN/initdb" -D "$data" -U weops --pwfile="$root/pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --no-locale --no-sync >"$root/initdb.log" 2>&1; then
    tail -n 20 "$root/initdb.log" >&2
    _ts_die "initdb failed (see above)"
  fi
  rm -f "$root/pwfile"
  cat >>"$data/postgresql.conf" <<'EOF'

# WeOps tests: loopback only, no Unix socket, speed over durability (throwaway data).
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  while :; do
    port="$(_ts_free_port "$first")" || _ts_die "no free port on 127.0.0.1 in $first..$((first + 100))"
    _ts_say "starting $_TS_VERSION on 127.0.0.1:$port"
    : >"$root/server.log"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$root/server.log"; fi
    if _ts_as_pg "$_TS_BIN/pg_ctl" -D "$data" -l "$root/server.log" -o "-p $port" -w -t 30 start >/dev/null 2>&1; then
      break
    fi
    # Another program took the port between our look and the bind: try the next one.
    tries=$((tries + 1))
    if grep -q 'Address already in use' "$root/server.log" && [ "$tries" -lt 5 ]; then
      first=$((port + 1)); continue
    fi
    _ts_log_tail
    _ts_die "PostgreSQL $_TS_VERSION did not start on 127.0.0.1:$port (it exited, or was not ready within 30 s; server log above)"
  done

  local waited=0
  until "$_TS_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; do
    waited=$((waited + 1))
    if [ "$waited" -ge 30 ]; then _ts_log_tail; _ts_die "PostgreSQL on 127.0.0.1:$port is not ready after 30 s"; fi
    sleep 1
  done

  if ! PGPASSWORD=weops PGCONNECT_TIMEOUT=10 "$_TS_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$port" -U weops -d postgres -c 'create database weops' >/dev/null 2>"$root/psql.log"; then
    cat "$root/psql.log" >&2
    _ts_log_tail
    _ts_die "could not create database weops"
  fi

  export WEOPS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=weops;Password=weops;Database=weops"
  local ms=$(( $(_ts_now_ms) - t0 ))
  _ts_say "ready on 127.0.0.1:$port, database weops, role weops ($((ms / 1000)).$((ms % 1000 / 100)) s)"
}

_ts_postgres_stop() {
  [ -n "$_TS_STARTED" ] || return 0
  _TS_STARTED=""
  if [ -f "$_TS_ROOT/data/postmaster.pid" ]; then
    _ts_as_pg "$_TS_BIN/pg_ctl" -D "$_TS_ROOT/data" stop -m fast -w -t 20 >/dev/null 2>&1 \
      || _ts_as_pg "$_TS_BIN/pg_ctl" -D "$_TS_ROOT/data" stop -m immediate -w -t 10 >/dev/null 2>&1 \
      || true
  fi
  rm -rf "$_TS_ROOT"
  _ts_say "stopped"
}

# The other servers (sshd, SMTP, ...) live in scripts/services/NAME.sh. Each file defines
# svc_NAME_start and svc_NAME_stop and adds NAME to _TS_SERVICES; a start exports the WEOPS_TEST_*
# variables its tests read, and skips the work when they are already set.
_TS_SERVICES=()
_TS_RUNNING=()
for _ts_file in "$_TS_REPO"/scripts/services/*.sh; do
  [ -e "$_ts_file" ] || continue
  # shellcheck source=/dev/null
  source "$_ts_file"
done
unset _ts_file

# Starts every service the tests need and arranges for them to stop when this shell exits.
test_services_start() {
  trap 'test_services_stop' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  if [ -n "${WEOPS_TEST_POSTGRES:-}" ]; then
    local shown
    shown="$(printf '%s' "$WEOPS_TEST_POSTGRES" | sed -E 's/(^|;)[[:space:]]*(Password|Pwd)[[:space:]]*=[^;]*/\1\2=***/Ig')"
    _ts_say "using WEOPS_TEST_POSTGRES from the environment ($shown); starting nothing"
  else
    _ts_postgres_start
  fi
  local name
  for name in "${_TS_SERVICES[@]}"; do
    "svc_${name}_start"
    _TS_RUNNING+=("$name")
  done
}

# Stops what test_services_start started. Runs by itself when the shell exits (the exit status is
# kept); call it earlier to stop before printing a closing line. A second call does nothing.
test_services_stop() {
  local i
  for ((i = ${#_TS_RUNNING[@]} - 1; i >= 0; i--)); do
    "svc_${_TS_RUNNING[$i]}_stop" || true
  done
  _TS_RUNNING=()
  _ts_postgres_stop
  return 0
}

# Executed rather than sourced: run the given command with the services up.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]   (e.g. $0 dotnet test tests/WeOps.Integration.Tests)" >&2
    exit 2
  fi
  test_services_start
  status=0
  "$@" || status=$?
  exit "$status"
fi
