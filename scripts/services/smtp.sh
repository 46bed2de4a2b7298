# shellcheck shell=bash
# SMTP for the email tests, sourced by scripts/test-services.sh: an aiosmtpd server of ours
# (smtp_sink.py, Debian's python3-aiosmtpd under /usr/bin/python3) on 127.0.0.1 and a free port,
# AUTH PLAIN/LOGIN for one fixed test user (unauthenticated mail is accepted too), STARTTLS with a
# self-signed certificate made at start, every message kept as a file. Exports:
#
#   WEOPS_TEST_SMTP_PORT      the port
#   WEOPS_TEST_SMTP_USER      the user AUTH accepts
#   WEOPS_TEST_SMTP_PASSWORD  its password
#   WEOPS_TEST_SMTP_MAILDIR   where messages land (new/), with X-Envelope-From/-To headers added
#   WEOPS_TEST_SMTP_CERT      the server's certificate (PEM), for STARTTLS
#   WEOPS_TEST_SMTP_TLS_PORT  a second listener of the same server that speaks implicit TLS (as on port 465)
#
# If WEOPS_TEST_SMTP_PORT is already set, that server is used and nothing is started.

_TS_SERVICES+=(smtp)
_TS_SMTP_DIR=""
_TS_SMTP_PID=""

_ts_smtp_say() { printf '== smtp: %s\n' "$*"; }
_ts_smtp_die() { printf '== smtp: %s\n' "$*" >&2; exit 1; }

svc_smtp_start() {
  if [ -n "${WEOPS_TEST_SMTP_PORT:-}" ]; then
    _ts_smtp_say "using WEOPS_TEST_SMTP_PORT=$WEOPS_TEST_SMTP_PORT from the environment; starting nothing"
    return 0
  fi
  _ts_apt_install python3-aiosmtpd openssl
  [ -x /usr/bin/python3 ] || _ts_smtp_die "/usr/bin/python3 is missing (python3-aiosmtpd should have brought it)"

  local dir
  dir="$(mktemp -d /tmp/weops-smtp.XXXXXX)" || _ts_smtp_die "could not make a directory under /tmp"
  _TS_SMTP_DIR="$dir"
  if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" >"$dir/openssl.log" 2>&1; then
    cat "$dir/openssl.log" >&2
    _ts_smtp_die "openssl could not make the test certificate"
  fi

  local user=weops password=weops-smtp-test
  /usr/bin/python3 "$_TS_REPO/scripts/services/smtp_sink.py" \
    --maildir "$dir/maildir" --port-file "$dir/port" --user "$user" --password "$password" \
    --cert "$dir/cert.pem" --key "$dir/key.pem" --tls-port-file "$dir/tls-port" >"$dir/server.log" 2>&1 </dev/null &
  _TS_SMTP_PID=$!

  local waited=0 port=""
  while :; do
    if [ -s "$dir/port" ] && [ -s "$dir/tls-port" ]; then
      port="$(cat "$dir/port")"
      _ts_port_busy "$port" && _ts_port_busy "$(cat "$dir/tls-port")" && break
    fi
    if ! kill -0 "$_TS_SMTP_PID" 2>/dev/null; then
      tail -n 20 "$dir/server.log" >&2
      _ts_smtp_die "the SMTP server exited (log above)"
    fi
    waited=$((waited + 1))
    if [ "$waited" -ge 150 ]; then
      tail -n 20 "$dir/server.log" >&2
      _ts_smtp_die "the SMTP server did not accept connections within 15 s"
    fi
    sleep 0.1
  done

  export WEOPS_TEST_SMTP_PORT="$port"
  export WEOPS_TEST_SMTP_USER="$user"
  export WEOPS_TEST_SMTP_PASSWORD="$password"
  export WEOPS_TEST_SMTP_MAILDIR="$dir/maildir"
  export WEOPS_TEST_SMTP_CERT="$dir/cert.pem"
  export WEOPS_TEST_SMTP_TLS_PORT="$(cat "$dir/tls-port")"
  _ts_smtp_say "ready on 127.0.0.1:$port, implicit TLS on $WEOPS_TEST_SMTP_TLS_PORT (messages in $dir/maildir/new)"
}

svc_smtp_stop() {
  [ -n "$_TS_SMTP_PID" ] || return 0
  kill -TERM "$_TS_SMTP_PID" 2>/dev/null || true
  local tries=50
  while [ "$tries" -gt 0 ] && kill -0 "$_TS_SMTP_PID" 2>/dev/null; do
    sleep 0.1; tries=$((tries - 1))
  done
  kill -KILL "$_TS_SMTP_PID" 2>/dev/null || true
  wait "$_TS_SMTP_PID" 2>/dev/null || true
  _TS_SMTP_PID=""
  [ -n "$_TS_SMTP_DIR" ] && rm -rf "$_TS_SMTP_DIR"
  _TS_SMTP_DIR=""
  unset WEOPS_TEST_SMTP_PORT WEOPS_TEST_SMTP_USER WEOPS_TEST_SMTP_PASSWORD WEOPS_TEST_SMTP_MAILDIR WEOPS_TEST_SMTP_CERT WEOPS_TEST_SMTP_TLS_PORT
  _ts_smtp_say "stopped"
}
