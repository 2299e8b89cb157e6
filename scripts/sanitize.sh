#!/usr/bin/env bash
# The ASan + UBSan jobs (fuzz/README.md "Sanitizers"):
#   1. build: the core, the addon and sanitize/core_check.cc with -DANNOY_SANITIZE=ON, by cmake-js
#      into build-asan/ (build/ is not touched);
#   2. core: sanitize/core_check.cc at every SIMD level this CPU runs (ANNOY_NAPI_SIMD), leaks
#      checked too;
#   3. jest: test/robustness, test/persistence, test/serving, test/api and test/graph on the ASan
#      addon, in Node with the ASan runtime preloaded, from a copy of the package whose build/Release
#      holds that addon (build-asan/pkg; lib/ loads the addon from its package root).
# Any sanitizer report fails its job: reports go to files under build-asan/reports/, and a job
# whose processes left one fails even if the process that wrote it was expected to die.
# One check line per job, also appended to --tap FILE; jest's results to --jest-json FILE.
#   npm run sanitize -- [--tap FILE] [--jest-json FILE] [--no-jest]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tap=
jest_json=$root/build-asan/jest-asan.json
run_jest=1
while [ $# -gt 0 ]; do
  case $1 in
    --tap) tap=$2; shift 2 ;;
    --jest-json) jest_json=$(realpath -m "$2"); shift 2 ;;
    --no-jest) run_jest=0; shift ;;
    *) echo "sanitize: unknown argument $1" >&2; exit 2 ;;
  esac
done

source scripts/lib-tap.sh

status=0
reports=$root/build-asan/reports

# Fails (and shows) when any process of the job just run left a sanitizer report.
no_reports() { # JOB NAME
  local found
  found=$(find "$reports" -type f 2>/dev/null | sort)
  if [ -n "$found" ]; then
    for file in $found; do
      echo "--- $file" >&2
      head -60 "$file" >&2
    done
    say "not ok - sanitize $1: sanitizer reports in $(echo "$found" | wc -l) process(es), kept in $reports"
    status=1
    return 1
  fi
  return 0
}

# 1. Build, with clang: its ASan runtime carries UBSan and honours log_path for both (GCC 12's
# separate libubsan ignores it, so its reports could hide in a test's captured stderr).
# -p 2: the machines this runs on are shared with other builds.
bash scripts/need-clang.sh || { say "not ok - sanitize build: no clang"; exit 1; }
start=$SECONDS
if CC=clang CXX=clang++ npx cmake-js compile --CDANNOY_SANITIZE=ON -O build-asan -p 2 >build-asan.log 2>&1; then
  say "ok - sanitize build: core, addon and core_check with ASan + UBSan ($((SECONDS - start)) s)"
  rm -f build-asan.log
else
  tail -40 build-asan.log >&2
  say "not ok - sanitize build failed (build-asan.log)"
  exit 1
fi

# log_path: every report lands in a file (and only there: no_reports prints them), and the
# file fails the job. UBSan goes on after a report (halt_on_error=0, each place reported once),
# so that one report does not hide the checks and tests after it; ASan always halts.
ubsan_opts="halt_on_error=0:print_stacktrace=1:log_path=$reports/ubsan"
# allocator_may_return_null: an allocation too large to satisfy fails as it does without ASan
# (std::bad_alloc, which the core turns into ANNOY_OUT_OF_MEMORY) instead of ending the process.
asan_opts="halt_on_error=1:allocator_may_return_null=1:log_path=$reports/asan"

# 2. The core alone, at each SIMD level the CPU has (scalar always).
levels=(scalar)
if [ "$(uname -m)" = x86_64 ]; then
  grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && levels+=(avx2)
  grep -qw avx512f /proc/cpuinfo && levels+=(avx512)
elif [ "$(uname -m)" = aarch64 ]; then
  levels+=(neon)
fi
tmp=$(mktemp -d)
for level in "${levels[@]}"; do
  rm -rf "$reports" && mkdir -p "$reports"
  start=$SECONDS
  out=$(ANNOY_NAPI_SIMD=$level ASAN_OPTIONS="detect_leaks=1:$asan_opts" \
    UBSAN_OPTIONS="$ubsan_opts" build-asan/annoy_core_check "$tmp" 2>&1)
  rc=$?
  echo "$out" | sed 's/^/# /'
  cases=$(echo "$out" | grep -c "^ok - core .* at $level\$")
  failed=$(echo "$out" | grep -c '^not ok - ')
  no_reports "core at $level ($cases cases ok, $failed failed)" || continue
  if [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$cases" -gt 0 ]; then
    say "ok - sanitize core at $level: $cases metric/f cases, no report ($((SECONDS - start)) s)"
  else
    say "not ok - sanitize core at $level: exit $rc, $failed failed, $cases ran at $level"
    status=1
  fi
done
rm -rf "$tmp"

[ "$run_jest" -eq 1 ] || exit $status

# 3. The jest folders on the ASan addon. The copy holds what the tests and the scripts they
# spawn read (lib, dist, test, scripts, configs, and the sources some tests read: cpp, binding,
# CMakeLists.txt), node_modules linked, build/Release the addon.
pkg=$root/build-asan/pkg
rm -rf "$pkg" && mkdir -p "$pkg/build/Release"
# dist/ current first (worker and child scripts load it), outside the preload.
npm run build:ts >/dev/null || { say "not ok - sanitize jest: npm run build:ts failed"; exit 1; }
cp -a package.json jest.config.js tsconfig.json tsconfig.build.json CMakeLists.txt lib dist test scripts cpp binding "$pkg/"
ln -s "$root/node_modules" "$pkg/node_modules"
cp build-asan/Release/annoy_napi.node "$pkg/build/Release/"

# Node is not instrumented: the ASan runtime must be loaded before anything else. Node keeps
# memory to the end on purpose, so leak checking is off here (it is on for the core check).
asan_runtime=$(clang -print-file-name=libclang_rt.asan-$(uname -m).so)
export LD_PRELOAD=$asan_runtime
export ASAN_OPTIONS="detect_leaks=0:$asan_opts"
export UBSAN_OPTIONS=$ubsan_opts
rm -rf "$reports" && mkdir -p "$reports"

# The copy's tests must load the copy's addon, not build/'s.
probe='require("./dist"); const maps = require("fs").readFileSync("/proc/self/maps", "utf8");
process.exit(maps.includes(process.cwd() + "/build/Release/annoy_napi.node") && maps.includes(process.env.LD_PRELOAD) ? 0 : 1)'
if (cd "$pkg" && node -e "$probe"); then
  say "ok - sanitize jest: the package copy loads build-asan's addon with the ASan runtime"
else
  say "not ok - sanitize jest: the package copy does not load build-asan's addon under ASan"
  exit 1
fi

start=$SECONDS
folders=(test/robustness test/persistence test/serving test/api test/graph)
# Left out here, and only here (the normal suite runs them), by their titles: the tests that cap
# a child's address space ("address-space limit": ASan's shadow memory reserves terabytes of
# addresses and cannot start under the cap), and the one whose child is meant to die of SIGBUS
# (ASan's handler turns that death into a report). -w 1: jest runs in band, beside the workers
# and children the tests start.
not_under_asan='^(?!.*(address-space limit|dies of SIGBUS))'
(cd "$pkg" && npx jest --ci -w 1 --json --outputFile="$jest_json" -t "$not_under_asan" "${folders[@]}")
rc=$?
unset LD_PRELOAD
if no_reports "jest (${folders[*]})"; then
  if [ "$rc" -eq 0 ]; then
    say "ok - sanitize jest: ${folders[*]} on the ASan addon, no report ($((SECONDS - start)) s)"
  else
    say "not ok - sanitize jest: jest exited $rc (its failures are counted from $jest_json)"
    status=1
  fi
fi
exit $status
