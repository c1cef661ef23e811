#!/usr/bin/env bash
# Runs the main example; arguments go to the example.
#   tools/run_example.sh
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh
bazel run //examples:gradient_descent -- "$@"
