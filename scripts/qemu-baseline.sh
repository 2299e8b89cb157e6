#!/usr/bin/env bash
# Runs the prebuilt linux-x64 binary on an emulated pre-AVX CPU (issue #5, item 6), with
# Debian's qemu-user: `qemu-x86_64 -cpu Nehalem` (SSE4.2, no AVX; QEMU raises SIGILL on AVX
# instructions when the CPU model lacks them) and ANNOY_NAPI_SIMD unset, so the dispatcher in
# cpp/kernels.cc decides alone.
#   1. control: a tiny AVX2+FMA program dies with SIGILL under -cpu Nehalem and runs under
#      -cpu Haswell, so the emulation really refuses AVX;
#   2. require('./dist').simdLevel prints 'scalar' under -cpu Nehalem;
#   3. scripts/smoke.js (five metrics, build + query) under -cpu Nehalem and -cpu qemu64 gives the
#      same answers as natively with ANNOY_NAPI_SIMD=scalar, and under -cpu Haswell picks avx2 and gives the same
#      answers as natively with ANNOY_NAPI_SIMD=avx2 (when this machine has AVX2).
# Loads the prebuild (PREBUILDS_ONLY=1): run `npm run prebuildify` and `npm run build:ts` first.
# Prints "ok - ..." / "not ok - ..." / "skip - ..." lines; exits 1 on failure.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "skip - qemu baseline: not on linux x86_64"
  exit 0
fi
if ! command -v qemu-x86_64 >/dev/null 2>&1; then
  # CI installs qemu-user itself (scripts/ci-packaging.sh): there, a missing emulator is a failure.
  if [ -n "${CI:-}" ]; then
    echo "not ok - qemu baseline: qemu-x86_64 not installed (Debian package qemu-user)"
    exit 1
  fi
  echo "skip - qemu baseline: qemu-x86_64 not installed (Debian package qemu-user)"
  exit 0
fi

node_bin=$(command -v node)
tmp=$(mktemp -d)
errlog="$tmp/qemu.err"
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $1"; }
not_ok() {
  echo "not ok - $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    # /'
  failed=$((failed + 1))
}
# qemu prints a warning per CPUID feature TCG lacks; keep stderr only when something fails.
emulate() { # CPU, then the command
  local cpu=$1
  shift
  env -u ANNOY_NAPI_SIMD PREBUILDS_ONLY=1 qemu-x86_64 -cpu "$cpu" "$@" 2>"$errlog"
}
seconds() { echo "$(( $(date +%s%N) / 1000000 - $1 ))" | awk '{ printf "%.1f s", $1 / 1000 }'; }

# 1. Control.
cat >"$tmp/avx2.c" <<'EOF'
#include <immintrin.h>
__attribute__((target("avx2,fma"))) static float f(const float* a) {
  __m256 v = _mm256_loadu_ps(a);
  v = _mm256_fmadd_ps(v, v, v);
  float out[8];
  _mm256_storeu_ps(out, v);
  return out[0];
}
int main(void) { float a[8] = {1, 2, 3, 4, 5, 6, 7, 8}; return f(a) == 2.0f ? 0 : 1; }
EOF
cc=$(command -v cc || command -v gcc || true)
if [ -z "$cc" ]; then
  echo "skip - qemu control: no C compiler"
elif ! "$cc" -O2 "$tmp/avx2.c" -o "$tmp/avx2" 2>"$tmp/cc.err"; then
  not_ok "qemu control: compile an AVX2 program" "$(cat "$tmp/cc.err")"
else
  # In a subshell whose stderr is dropped: bash reports the child's SIGILL itself.
  (emulate Nehalem "$tmp/avx2") 2>/dev/null
  nehalem=$?
  emulate Haswell "$tmp/avx2"
  haswell=$?
  if [ "$nehalem" -eq 132 ] && [ "$haswell" -eq 0 ]; then
    ok "qemu control: an AVX2+FMA program gets SIGILL under -cpu Nehalem and runs under -cpu Haswell"
  else
    not_ok "qemu control: AVX2 program exit codes Nehalem=$nehalem (want 132, SIGILL) Haswell=$haswell (want 0)"
  fi
fi

# 2. The dispatcher's choice on a pre-AVX CPU.
start=$(( $(date +%s%N) / 1000000 ))
level=$(emulate Nehalem "$node_bin" -p "require('./dist').simdLevel")
status=$?
if [ "$status" -eq 0 ] && [ "$level" = "scalar" ]; then
  ok "qemu -cpu Nehalem: require('./dist').simdLevel prints '$level' ($(seconds "$start"))"
else
  not_ok "qemu -cpu Nehalem: require('./dist').simdLevel printed '$level' (exit $status), want 'scalar'" "$(tail -5 "$errlog")"
fi

# 3. Build and query under emulation; compare with native runs of the same kernels.
smoke() { node -e "const r = JSON.parse(process.argv[1]); console.log(r.simdLevel + ' ' + r.digest + ' ' + r.binary)" "$1"; }
native_scalar=$(smoke "$(ANNOY_NAPI_SIMD=scalar PREBUILDS_ONLY=1 node scripts/smoke.js)")
# smoke.js under -cpu CPU must give the answers WANT (those of a native run); WHAT names the check.
smoke_under() { # CPU WANT WHAT
  local cpu=$1 want=$2 what=$3 start out status
  start=$(( $(date +%s%N) / 1000000 ))
  out=$(emulate "$cpu" "$node_bin" scripts/smoke.js)
  status=$?
  if [ "$status" -eq 0 ] && [ "$(smoke "$out")" = "$want" ]; then
    ok "qemu -cpu $cpu: $what: $(smoke "$out") ($(seconds "$start"))"
  else
    not_ok "qemu -cpu $cpu: smoke gave '$out' (exit $status), want '$want'" "$(tail -5 "$errlog")"
  fi
}
# qemu64: QEMU's plainest x86-64 model (SSE3, no SSSE3/SSE4/AVX), the closest to the baseline.
for cpu in Nehalem qemu64; do
  smoke_under "$cpu" "$native_scalar" "smoke build + query picks scalar, same answers as native scalar"
done

if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  native_avx2=$(smoke "$(ANNOY_NAPI_SIMD=avx2 PREBUILDS_ONLY=1 node scripts/smoke.js)")
  smoke_under Haswell "$native_avx2" "smoke picks avx2, same answers as native avx2"
else
  echo "skip - qemu -cpu Haswell: this machine has no AVX2 to compare with"
fi
[ "$failed" -eq 0 ]
