#!/usr/bin/env bash
# Regenerates the committed seed corpus fuzz/corpus/<harness>/ with fuzz/make_corpus.cc. Files
# named regress-* (inputs that once crashed, added by hand: fuzz/README.md) are kept; every
# other file is replaced.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fuzz-build.sh
for harness in annoy_file snapshot snapshot_raw; do
  mkdir -p "fuzz/corpus/$harness"
  find "fuzz/corpus/$harness" -type f ! -name 'regress-*' -delete
done
ASAN_OPTIONS=detect_leaks=1 build-fuzz/fuzz/make_corpus fuzz/corpus
du -sh fuzz/corpus
