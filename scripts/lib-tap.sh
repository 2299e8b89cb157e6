# Sourced by the scripts that print check lines (fuzz.sh, sanitize.sh): say LINE prints one
# "ok - ..." / "not ok - ..." line and, when $tap names a file (their --tap FILE), appends it there.
say() {
  echo "$1"
  if [ -n "$tap" ]; then echo "$1" >>"$tap"; fi
}
