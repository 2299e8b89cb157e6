#!/usr/bin/env bash
# clang-format over the project's C++ (.clang-format): rewrites the files, or with --check only
# lists the ones that differ and exits 1. Installs Debian's clang-format when it is missing and
# apt-get is there (CI); without it, it says so and fails.
#   bash scripts/clang-format.sh [--check]
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    { apt-get install -y -qq clang-format || { apt-get update -qq && apt-get install -y -qq clang-format; }; } >/dev/null 2>&1
  fi
fi
command -v clang-format >/dev/null 2>&1 || { echo "clang-format: not installed (apt-get install clang-format)" >&2; exit 1; }

mapfile -t files < <(git ls-files 'cpp/*.h' 'cpp/*.cc' 'binding/*.h' 'binding/*.cc' 'fuzz/*.h' 'fuzz/*.cc' 'sanitize/*.cc' 'test/**/*.cc')
if [ "${1:-}" = "--check" ]; then
  status=0
  for f in "${files[@]}"; do
    if ! clang-format "$f" | cmp -s - "$f"; then
      echo "clang-format: $f is not formatted (npm run format)"
      status=1
    fi
  done
  exit $status
fi
clang-format -i "${files[@]}"
