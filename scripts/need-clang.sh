#!/usr/bin/env bash
# Makes sure clang++ (with libFuzzer and the sanitizer runtimes) is there: on a fresh CI machine,
# installs Debian's clang when running as root; otherwise says what to install. Sourced or run
# by scripts/fuzz-build.sh and scripts/sanitize.sh.
if ! command -v clang++ >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "need-clang: installing clang (Debian)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang cmake make; } >/dev/null ||
      { echo "need-clang: apt-get install clang failed" >&2; exit 1; }
  else
    echo "need-clang: clang++ is needed (apt-get install clang)" >&2
    exit 1
  fi
fi
