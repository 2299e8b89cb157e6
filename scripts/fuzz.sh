#!/usr/bin/env bash
# Runs the libFuzzer harnesses (fuzz/README.md), each for a bounded time, after building them
# (scripts/fuzz-build.sh). One check line per harness ("ok - fuzz NAME ..." / "not ok - ..."),
# also appended to --tap FILE when given. Exits 1 if any harness crashed, hung, ran out of
# memory or broke an API promise, and prints the reproducer's path.
#   npm run fuzz -- [--seconds N] [--harness NAME] [--tap FILE] [--no-build]
# New inputs that add coverage go to build-fuzz/corpus/NAME/ (not committed; reused by the next
# run); reproducers to fuzz/findings/NAME/ (not committed; see the README to keep one).
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=60
harnesses=(annoy_file snapshot snapshot_raw)
tap=
build=1
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --harness) harnesses=("$2"); shift 2 ;;
    --tap) tap=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "fuzz: unknown argument $1" >&2; exit 2 ;;
  esac
done

source scripts/lib-tap.sh

if [ "$build" -eq 1 ] && ! bash scripts/fuzz-build.sh; then
  say "not ok - fuzz: the harnesses did not build"
  exit 1
fi

status=0
for name in "${harnesses[@]}"; do
  binary=build-fuzz/fuzz/fuzz_$name
  if [ ! -x "$binary" ] || [ ! -d "fuzz/corpus/$name" ]; then
    say "not ok - fuzz $name: no such harness ($binary, fuzz/corpus/$name)"
    status=1
    continue
  fi
  work=build-fuzz/corpus/$name
  findings=fuzz/findings/$name
  mkdir -p "$work" "$findings"
  log=build-fuzz/$name.log
  echo "=== fuzz $name: ${seconds} s"
  # -timeout: one input running 10 s is a hang. -rss_limit_mb: inputs are at most 16 KiB, so a
  # GiB of memory means a runaway allocation. -max_len keeps inputs small, and so runs fast.
  # halt_on_error / abort_on_error: every sanitizer report stops the run as a crash.
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work" "fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  if [ "$rc" -eq 0 ]; then
    say "ok - fuzz $name: ${runs:-?} inputs in ${seconds} s, no crash"
  else
    reproducer=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
    grep -E 'ERROR:|runtime error|SUMMARY|fuzz: broken|^ +#[0-9]+ ' "$log" | head -25 >&2
    say "not ok - fuzz $name: exit $rc, reproducer ${reproducer:-none written} (log $log)"
    status=1
  fi
done
exit $status
