# shellcheck shell=bash
# Prometheus Alertmanager for the alert intake tests, sourced by scripts/test-services.sh. Only the
# program is provided: each test starts its own Alertmanager on 127.0.0.1 and a free port, with a
# configuration it writes (webhook receiver pointing at the test's server), clustering off and its
# storage in a temporary directory, and stops it afterwards. Exports:
#
#   WEOPS_TEST_ALERTMANAGER   the alertmanager binary (Debian: /usr/bin/prometheus-alertmanager)
#
# If WEOPS_TEST_ALERTMANAGER is already set, that binary is used and nothing is installed.

_TS_SERVICES+=(alertmanager)

svc_alertmanager_start() {
  if [ -n "${WEOPS_TEST_ALERTMANAGER:-}" ]; then
    printf '== alertmanager: using WEOPS_TEST_ALERTMANAGER=%s from the environment\n' "$WEOPS_TEST_ALERTMANAGER"
    return 0
  fi
  _ts_apt_install prometheus-alertmanager
  local bin=/usr/bin/prometheus-alertmanager
  if [ ! -x "$bin" ]; then
    printf '== alertmanager: prometheus-alertmanager is installed but %s is missing\n' "$bin" >&2
    exit 1
  fi
  export WEOPS_TEST_ALERTMANAGER="$bin"
  printf '== alertmanager: %s (%s)\n' "$bin" "$("$bin" --version 2>&1 | head -n 1)"
}

# Nothing runs between tests: each test stops the Alertmanager it started.
svc_alertmanager_stop() { :; }
