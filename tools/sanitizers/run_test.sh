#!/usr/bin/env bash
# Runs a test under a sanitizer (see BUILD). Bazel starts tests in the root of
# their runfiles, where the suppression files named in *SAN_OPTIONS are.
set -euo pipefail
for f in tools/sanitizers/lsan.supp tools/sanitizers/tsan.supp tools/sanitizers/ubsan.supp; do
  if [[ ! -f "$f" ]]; then
    echo "run_test.sh: $f is not in the test's runfiles ($PWD)" >&2
    exit 1
  fi
done
exec "$@"
