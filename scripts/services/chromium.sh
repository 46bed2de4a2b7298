# shellcheck shell=bash
# Chromium for the browser tests (the designer's end-to-end tests and the approval pages, through
# Microsoft.Playwright), sourced by
# scripts/test-services.sh. The tests drive Debian's /usr/bin/chromium; Playwright never downloads a
# browser of its own. Exports:
#
#   WEOPS_TEST_CHROMIUM   the browser executable
#
# Nothing runs between tests: each test starts and closes its own headless browser.

_TS_SERVICES+=(chromium)

svc_chromium_start() {
  if [ -n "${WEOPS_TEST_CHROMIUM:-}" ] && [ -x "$WEOPS_TEST_CHROMIUM" ]; then
    printf '== chromium: using WEOPS_TEST_CHROMIUM=%s from the environment\n' "$WEOPS_TEST_CHROMIUM"
    return 0
  fi
  _ts_apt_install chromium
  [ -x /usr/bin/chromium ] || { printf '== chromium: /usr/bin/chromium is missing after installing chromium\n' >&2; exit 1; }
  export WEOPS_TEST_CHROMIUM=/usr/bin/chromium
  printf '== chromium: %s\n' "$(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
}

svc_chromium_stop() {
  :
}
