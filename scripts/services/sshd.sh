# An OpenSSH server on 127.0.0.1 for the ssh.exec tests. Sourced by scripts/test-services.sh.
#
# Two sshd processes listen on 20 ports of 127.0.0.1 (20 "hosts" for the parallel tests), accepts only a
# client key generated here (no passwords), and keep their keys, configs, pid files and log in
# artifacts/sshd. It runs as the current user: as root (CI) any account may log in; as another user
# sshd can only let that same user in, which is the account the tests use anyway. Exports:
#
#   WEOPS_TEST_SSH_PORT          the first port
#   WEOPS_TEST_SSH_PORTS         all 20 ports, space-separated
#   WEOPS_TEST_SSH_ADDRESSES     127.0.0.1:PORT for each port, space-separated
#   WEOPS_TEST_SSH_USER          the account to log in as (the current user)
#   WEOPS_TEST_SSH_KEY           the client's private key file (authorized)
#   WEOPS_TEST_SSH_WRONG_KEY     another private key file (not authorized)
#   WEOPS_TEST_SSH_KNOWN_HOSTS   a known_hosts line naming every port with the server's host key
#
# Nothing is started when WEOPS_TEST_SSH_PORT is already set. WEOPS_SSHD_PORT changes the first
# port tried (default 22200: below the kernel's ephemeral range, 32768 and up, so that no client
# socket of a busy machine holds one of them between the check and the bind).

_SVC_SSHD_ROOT=""
_SVC_SSHD_COUNT=20
_SVC_SSHD_PER_SERVER=10

_svc_sshd_say() { printf '== sshd: %s\n' "$*"; }
_svc_sshd_die() { printf '== sshd: %s\n' "$*" >&2; exit 1; }

# Stops the listening sshd processes whose pid files are in $1 (sessions still open end with their
# clients); a pid is only signalled while it still is an sshd.
_svc_sshd_kill() {
  local file pid
  for file in "$1"/sshd.*.pid; do
    [ -f "$file" ] || continue
    pid="$(cat "$file" 2>/dev/null || true)"
    if [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "/usr/sbin/sshd" ]; then
      kill "$pid" 2>/dev/null || true
    fi
  done
}

svc_sshd_start() {
  if [ -n "${WEOPS_TEST_SSH_PORT:-}" ]; then
    _svc_sshd_say "using WEOPS_TEST_SSH_PORT=$WEOPS_TEST_SSH_PORT from the environment; starting nothing"
    return 0
  fi
  _ts_apt_install openssh-server openssh-client
  [ -x /usr/sbin/sshd ] || _svc_sshd_die "/usr/sbin/sshd is missing after installing openssh-server"

  local root="$_TS_REPO/artifacts/sshd" port first ports=() addresses=() hostpatterns="" i user
  if [ -d "$root" ]; then
    _svc_sshd_say "removing what an earlier run left in $root"
    _svc_sshd_kill "$root"
  fi
  rm -rf "$root"
  mkdir -p "$root"
  chmod 700 "$root"
  _SVC_SSHD_ROOT="$root"

  ssh-keygen -q -t ed25519 -N '' -C weops-test-host -f "$root/host_ed25519" \
    || _svc_sshd_die "ssh-keygen could not make the host key"
  ssh-keygen -q -t ed25519 -N '' -C weops-test-client -f "$root/client_ed25519" \
    || _svc_sshd_die "ssh-keygen could not make the client key"
  ssh-keygen -q -t ed25519 -N '' -C weops-test-stranger -f "$root/wrong_ed25519" \
    || _svc_sshd_die "ssh-keygen could not make the second client key"

  first="${WEOPS_SSHD_PORT:-22200}"
  case "$first" in
    ''|*[!0-9]*) _svc_sshd_die "WEOPS_SSHD_PORT must be a port number, not '$first'" ;;
  esac
  port="$first"
  while [ "${#ports[@]}" -lt "$_SVC_SSHD_COUNT" ]; do
    [ "$port" -le 65535 ] || _svc_sshd_die "not enough free ports on 127.0.0.1 from $first"
    if ! _ts_port_busy "$port"; then ports+=("$port"); fi
    port=$((port + 1))
  done

  user="$(id -un)"
  # sshd listens on at most 16 sockets, so the ports are shared among several servers.
  local n=0 config
  for ((i = 0; i < ${#ports[@]}; i += _SVC_SSHD_PER_SERVER)); do
    config="$root/sshd_config.$n"
    {
      echo "# WeOps tests: loopback only, key login only, everything in $root."
      echo "ListenAddress 127.0.0.1"
      for port in "${ports[@]:i:_SVC_SSHD_PER_SERVER}"; do echo "Port $port"; done
      echo "HostKey $root/host_ed25519"
      echo "PidFile $root/sshd.$n.pid"
      echo "AuthorizedKeysFile $root/client_ed25519.pub"
      echo "AllowUsers $user"
      echo "PermitRootLogin prohibit-password"
      echo "PubkeyAuthentication yes"
      echo "PasswordAuthentication no"
      echo "KbdInteractiveAuthentication no"
      echo "UsePAM no"
      # The checkout's directories need not be root-owned and closed to others.
      echo "StrictModes no"
      # The parallel tests open many connections at once; the default (10:30:100) drops some.
      echo "MaxStartups 100"
      echo "PrintMotd no"
    } >"$config"
    n=$((n + 1))
  done

  # sshd refuses to start as root without its privilege separation directory.
  if [ "$(id -u)" -eq 0 ]; then mkdir -p /run/sshd && chmod 755 /run/sshd; fi

  for config in "$root"/sshd_config.*; do
    /usr/sbin/sshd -t -f "$config" 2>"$root/check.log" \
      || { cat "$root/check.log" >&2; _svc_sshd_die "sshd rejected $config (see above)"; }
    /usr/sbin/sshd -f "$config" -E "$root/sshd.log" \
      || { tail -n 20 "$root/sshd.log" >&2; _svc_sshd_die "sshd did not start (log above)"; }
  done

  local waited=0
  for port in "${ports[@]}"; do
    until _ts_port_busy "$port"; do
      waited=$((waited + 1))
      if [ "$waited" -ge 100 ]; then
        tail -n 20 "$root/sshd.log" >&2
        _svc_sshd_die "sshd does not accept connections on 127.0.0.1:$port after 10 s (log above)"
      fi
      sleep 0.1
    done
  done

  for i in "${!ports[@]}"; do
    addresses+=("127.0.0.1:${ports[$i]}")
    hostpatterns="${hostpatterns:+$hostpatterns,}[127.0.0.1]:${ports[$i]}"
  done
  export WEOPS_TEST_SSH_PORT="${ports[0]}"
  export WEOPS_TEST_SSH_PORTS="${ports[*]}"
  export WEOPS_TEST_SSH_ADDRESSES="${addresses[*]}"
  export WEOPS_TEST_SSH_USER="$user"
  export WEOPS_TEST_SSH_KEY="$root/client_ed25519"
  export WEOPS_TEST_SSH_WRONG_KEY="$root/wrong_ed25519"
  WEOPS_TEST_SSH_KNOWN_HOSTS="$hostpatterns $(cut -d' ' -f1,2 "$root/host_ed25519.pub")"
  export WEOPS_TEST_SSH_KNOWN_HOSTS
  _svc_sshd_say "ready on 127.0.0.1 ports ${ports[0]}..${ports[-1]} (${#ports[@]} ports), user $user"
}

svc_sshd_stop() {
  [ -n "$_SVC_SSHD_ROOT" ] || return 0
  local root="$_SVC_SSHD_ROOT"
  _SVC_SSHD_ROOT=""
  _svc_sshd_kill "$root"
  rm -rf "$root"
  unset WEOPS_TEST_SSH_PORT WEOPS_TEST_SSH_PORTS WEOPS_TEST_SSH_ADDRESSES WEOPS_TEST_SSH_USER \
    WEOPS_TEST_SSH_KEY WEOPS_TEST_SSH_WRONG_KEY WEOPS_TEST_SSH_KNOWN_HOSTS
  _svc_sshd_say "stopped"
}

_TS_SERVICES+=(sshd)
