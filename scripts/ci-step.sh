# Sourced by the CI scripts (ci-packaging.sh, ci-hardening.sh): step NAME COMMAND... runs the
# command, shows and keeps its output in $out/NAME.log, keeps its check lines in $out/NAME.tap,
# gives a step that failed without saying which check failed one "not ok" line of its own, and
# sets status=1 on failure. Needs $out and $status set by the caller.
step() { # NAME, then the command
  local name=$1
  shift
  local start=$SECONDS
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$out/$name.log"
  local rc=${PIPESTATUS[0]}
  grep -E '^(ok|not ok|skip) - ' "$out/$name.log" >"$out/$name.tap"
  if [ "$rc" -ne 0 ] && ! grep -q '^not ok - ' "$out/$name.tap"; then
    echo "not ok - $name exited $rc" | tee -a "$out/$name.tap"
  fi
  echo "=== $name: exit $rc in $((SECONDS - start)) s"
  [ "$rc" -eq 0 ] || status=1
}
