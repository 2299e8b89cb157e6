#!/usr/bin/env bash
# Builds the libFuzzer harnesses and the seed generator (fuzz/, CMake option ANNOY_FUZZ) into
# build-fuzz/ with clang++, installing Debian's clang first when it is missing and we are root
# (CI). The normal build/ is not touched. Used by scripts/fuzz.sh and scripts/fuzz-corpus.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/need-clang.sh

# -j2 at most: the machines this runs on are shared with other builds.
cmake -S . -B build-fuzz -G "Unix Makefiles" -DANNOY_FUZZ=ON -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER=clang++ >build-fuzz.log 2>&1 || { cat build-fuzz.log >&2; exit 1; }
cmake --build build-fuzz -j "${FUZZ_BUILD_JOBS:-2}" >>build-fuzz.log 2>&1 || { tail -50 build-fuzz.log >&2; exit 1; }
rm -f build-fuzz.log
