# shellcheck shell=bash
# IMAP for the approval-by-reply tests, sourced by scripts/test-services.sh: Debian's Dovecot (dovecot-imapd,
# installed with apt-get if missing) with a configuration of its own in a directory under /tmp, listening on
# 127.0.0.1 only: plain IMAP (with STARTTLS) on one free port, implicit TLS on another, a self-signed certificate
# made at start. One test user in a passwd-file; mail in Maildirs owned by a non-root user (Debian's "mail" user
# when run as root, else the calling user). Exports:
#
#   WEOPS_TEST_IMAP_PORT      plain IMAP (STARTTLS offered)
#   WEOPS_TEST_IMAP_TLS_PORT  implicit TLS
#   WEOPS_TEST_IMAP_USER      the user
#   WEOPS_TEST_IMAP_PASSWORD  its password
#   WEOPS_TEST_IMAP_CERT      the server's certificate (PEM)
#
# If WEOPS_TEST_IMAP_PORT is already set, that server is used and nothing is started.

_TS_SERVICES+=(imap)
_TS_IMAP_DIR=""
_TS_IMAP_PID=""

_ts_imap_say() { printf '== imap: %s\n' "$*"; }
_ts_imap_die() { printf '== imap: %s\n' "$*" >&2; exit 1; }

svc_imap_start() {
  if [ -n "${WEOPS_TEST_IMAP_PORT:-}" ]; then
    _ts_imap_say "using WEOPS_TEST_IMAP_PORT=$WEOPS_TEST_IMAP_PORT from the environment; starting nothing"
    return 0
  fi
  _ts_apt_install dovecot-imapd openssl
  [ -x /usr/sbin/dovecot ] || _ts_imap_die "/usr/sbin/dovecot is missing (dovecot-imapd should have brought it)"

  local dir
  dir="$(mktemp -d /tmp/weops-imap.XXXXXX)" || _ts_imap_die "could not make a directory under /tmp"
  _TS_IMAP_DIR="$dir"
  chmod 755 "$dir"
  if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" >"$dir/openssl.log" 2>&1; then
    cat "$dir/openssl.log" >&2
    _ts_imap_die "openssl could not make the test certificate"
  fi

  # Root runs the master and hands mail to the unprivileged "mail" user; anyone else runs it all as themselves.
  local mailuser internal login
  if [ "$(id -u)" -eq 0 ]; then
    mailuser=mail; internal=dovecot; login=dovenull
  else
    mailuser="$(id -un)"; internal="$mailuser"; login="$mailuser"
  fi
  local uid gid
  uid="$(id -u "$mailuser")"; gid="$(id -g "$mailuser")"
  mkdir -p "$dir/mail" "$dir/run" "$dir/state"
  chown "$uid:$gid" "$dir/mail"
  chmod 644 "$dir/key.pem"

  local user=approvals password=weops-imap-test port tls
  port="$(_ts_free_port 51430)" || _ts_imap_die "no free port on 127.0.0.1 from 51430"
  tls="$(_ts_free_port $((port + 1)))" || _ts_imap_die "no free port on 127.0.0.1 after $port"
  printf '%s:{PLAIN}%s\n' "$user" "$password" >"$dir/passwd"
  chmod 644 "$dir/passwd"

  cat >"$dir/dovecot.conf" <<EOF
# WeOps tests: loopback only, throwaway mail.
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $internal
default_internal_group = $(id -gn "$internal")
default_login_user = $login
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid
mail_location = maildir:$dir/mail/%u
# Tell IDLE clients of new mail within a second even where inotify is not available.
mailbox_idle_check_interval = 1 secs
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dir/passwd
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $tls
    ssl = yes
  }
}
service anvil {
  chroot =
}
service auth {
  unix_listener auth-userdb {
    user = $internal
  }
}
protocol imap {
  mail_max_userip_connections = 200
}
EOF

  /usr/sbin/dovecot -F -c "$dir/dovecot.conf" >"$dir/server.log" 2>&1 </dev/null &
  _TS_IMAP_PID=$!

  local waited=0
  until _ts_port_busy "$port" && _ts_port_busy "$tls"; do
    if ! kill -0 "$_TS_IMAP_PID" 2>/dev/null; then
      tail -n 20 "$dir/server.log" "$dir/dovecot.log" >&2 2>/dev/null
      _ts_imap_die "Dovecot exited (log above)"
    fi
    waited=$((waited + 1))
    if [ "$waited" -ge 150 ]; then
      tail -n 20 "$dir/dovecot.log" >&2 2>/dev/null
      _ts_imap_die "Dovecot did not accept connections within 15 s"
    fi
    sleep 0.1
  done

  export WEOPS_TEST_IMAP_PORT="$port"
  export WEOPS_TEST_IMAP_TLS_PORT="$tls"
  export WEOPS_TEST_IMAP_USER="$user"
  export WEOPS_TEST_IMAP_PASSWORD="$password"
  export WEOPS_TEST_IMAP_CERT="$dir/cert.pem"
  _ts_imap_say "ready on 127.0.0.1:$port (implicit TLS on $tls), user $user"
}

svc_imap_stop() {
  [ -n "$_TS_IMAP_PID" ] || return 0
  kill -TERM "$_TS_IMAP_PID" 2>/dev/null || true
  local tries=50
  while [ "$tries" -gt 0 ] && kill -0 "$_TS_IMAP_PID" 2>/dev/null; do
    sleep 0.1; tries=$((tries - 1))
  done
  kill -KILL "$_TS_IMAP_PID" 2>/dev/null || true
  wait "$_TS_IMAP_PID" 2>/dev/null || true
  _TS_IMAP_PID=""
  [ -n "$_TS_IMAP_DIR" ] && rm -rf "$_TS_IMAP_DIR"
  _TS_IMAP_DIR=""
  unset WEOPS_TEST_IMAP_PORT WEOPS_TEST_IMAP_TLS_PORT WEOPS_TEST_IMAP_USER WEOPS_TEST_IMAP_PASSWORD WEOPS_TEST_IMAP_CERT
  _ts_imap_say "stopped"
}
