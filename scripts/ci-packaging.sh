#!/usr/bin/env bash
# Packaging checks (issue #5), run by .ci/run after the jest suite, and by hand after
# `npm install`: the same steps as .github/workflows/prebuild.yml, for this machine's platform.
#   1. npm run prebuildify (prebuilds/<platform>-<arch>/)
#   2. scripts/check-prebuilds.js --only <platform>-<arch>
#   3. scripts/check-baseline.js (objdump: no AVX outside the dispatched kernels)
#   4. scripts/qemu-baseline.sh (the prebuild on an emulated pre-AVX CPU; Debian's qemu-user)
#   5. the jest suite again with PREBUILDS_ONLY=1, on the prebuilt binary
#   6. scripts/fresh-install-test.js (npm pack; install with npm defaults; require + import)
#   7. scripts/lint-workflows.sh (yamllint + actionlint on .github/workflows)
# Each step's check lines go to .ci-packaging/<step>.tap and the second jest run's results to
# .ci-packaging/jest-prebuilds.json, for scripts/ci-summary.js. Exits 1 if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."

out=.ci-packaging
rm -rf "$out"
mkdir -p "$out"
tuple=$(node -p 'process.platform + "-" + process.arch')
status=0

# shellcheck source=ci-step.sh
source scripts/ci-step.sh

# Debian tools for the emulation and the YAML lint; without them those checks are skipped.
if ! command -v qemu-x86_64 >/dev/null 2>&1 || ! command -v yamllint >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    start=$SECONDS
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user yamllint; } >"$out/apt.log" 2>&1 ||
      echo "apt-get install qemu-user yamllint failed (see $out/apt.log); those checks will be skipped"
    echo "=== apt-get install qemu-user yamllint: $((SECONDS - start)) s"
  fi
fi

prebuild() {
  npm run prebuildify && echo "ok - npm run prebuildify: $(ls prebuilds/"$tuple"/*.node 2>/dev/null | tr '\n' ' ')"
}
step prebuild prebuild
step check-prebuilds node scripts/check-prebuilds.js --only "$tuple"
if [ "$tuple" = linux-x64 ]; then
  step check-baseline node scripts/check-baseline.js
  step qemu-baseline bash scripts/qemu-baseline.sh
fi
start=$SECONDS
echo "=== jest-prebuilds: PREBUILDS_ONLY=1 npm test"
PREBUILDS_ONLY=1 npm test -- --ci --json --outputFile="$out/jest-prebuilds.json" || status=1
echo "=== jest-prebuilds: $((SECONDS - start)) s"
step fresh-install node scripts/fresh-install-test.js
step lint-workflows bash scripts/lint-workflows.sh
exit $status
