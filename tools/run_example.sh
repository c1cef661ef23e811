#!/usr/bin/env bash
# Runs the gradient descent example; arguments go to the example, e.g.
#   tools/run_example.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh
bazel run //examples:gradient_descent -- "$@"
