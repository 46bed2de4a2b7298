# Debian's Chromium for the designer's end-to-end tests (tests/WeOps.Designer.Tests), driven by
# Playwright through ExecutablePath: no browser is downloaded. Sourced by scripts/test-services.sh.
#
#   WEOPS_TEST_CHROMIUM   the browser executable

svc_chromium_start() {
  if [ -n "${WEOPS_TEST_CHROMIUM:-}" ]; then
    printf '== chromium: using WEOPS_TEST_CHROMIUM=%s from the environment\n' "$WEOPS_TEST_CHROMIUM"
    return 0
  fi
  _ts_apt_install chromium
  export WEOPS_TEST_CHROMIUM=/usr/bin/chromium
}

svc_chromium_stop() {
  :
}

_TS_SERVICES+=(chromium)
