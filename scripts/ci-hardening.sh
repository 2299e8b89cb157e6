#!/usr/bin/env bash
# Hardening checks (issue #10), run by .ci/run after the packaging checks, and by hand:
#   1. scripts/sanitize.sh: the ASan + UBSan build, the core's C++ check at every SIMD level,
#      and test/{robustness,persistence,serving,api} in jest on the ASan addon;
#   2. scripts/fuzz.sh: every libFuzzer harness for FUZZ_SECONDS (default 60) seconds.
# Both install clang themselves (apt, as root). Their check lines go to .ci-hardening/<step>.tap
# and the ASan jest run's results to .ci-hardening/jest-asan.json, for scripts/ci-summary.js.
# Exits 1 if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."

out=.ci-hardening
rm -rf "$out"
mkdir -p "$out"
status=0

step() { # NAME, then the command
  local name=$1
  shift
  local start=$SECONDS
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$out/$name.log"
  local rc=${PIPESTATUS[0]}
  grep -E '^(ok|not ok|skip) - ' "$out/$name.log" >"$out/$name.tap"
  # A step that failed without saying which check failed gets a line of its own.
  if [ "$rc" -ne 0 ] && ! grep -q "^not ok - " "$out/$name.tap"; then
    echo "not ok - $name exited $rc" | tee -a "$out/$name.tap"
  fi
  echo "=== $name: exit $rc in $((SECONDS - start)) s"
  [ "$rc" -eq 0 ] || status=1
}

step sanitize bash scripts/sanitize.sh --jest-json "$out/jest-asan.json"
step fuzz bash scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-60}"
exit $status
