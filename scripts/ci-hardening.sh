#!/usr/bin/env bash
# Hardening checks (issue #10), run by .ci/run after the packaging checks, and by hand:
#   1. scripts/sanitize.sh: the ASan + UBSan build, the core's C++ check at every SIMD level,
#      and test/{robustness,persistence,serving,api,graph} in jest on the ASan addon;
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

# shellcheck source=ci-step.sh
source scripts/ci-step.sh

step sanitize bash scripts/sanitize.sh --jest-json "$out/jest-asan.json"
step fuzz bash scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-60}"
exit $status
