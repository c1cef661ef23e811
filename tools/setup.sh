#!/usr/bin/env bash
# Installs the Debian 12 packages taskqueue builds with: Bazel, the compilers
# (GCC and Clang) and the C++ libraries the Bazel workspace takes from the
# system (tools/bazel/deps.bzl, bench_deps.bzl); then buildifier, which
# tools/test.sh checks the BUILD and .bzl files with, from npm (Node.js from
# Debian too, if there is none yet). Idempotent: when everything is installed
# it only checks, quickly, and changes nothing.
set -euo pipefail

# The buildifier tools/test.sh expects. The npm package carries its Linux
# binary inside and has no install scripts: nothing is fetched but the
# package itself, from the npm registry.
buildifier_version=8.2.1

packages=(
  bazel-bootstrap         # Bazel 4.2.3, the `bazel` command
  g++                     # with the ASan/UBSan/TSan runtimes
  clang                   # Clang 14, for --config=clang
  pkg-config              # link flags of Abseil, googletest, ...
  libabsl-dev             # @abseil-cpp
  libcaf-dev              # @caf (C++ Actor Framework 0.17)
  libssl-dev              # @caf//:openssl (CAF's headers include OpenSSL's)
  libgtest-dev            # @googletest
  libgmock-dev            # @googletest//:gmock
  libbenchmark-dev        # @google_benchmark
  libboost-dev            # @boost//:asio (benchmark baseline)
  libtbb-dev              # @onetbb (benchmark baseline)
  libconcurrentqueue-dev  # @concurrentqueue (benchmark baseline)
  libexpat1-dev           # XML parser the example tests check plots with
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
# Any Node.js with npm will do (it need not be Debian's); only when there is
# none are Debian's installed.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
buildifier_ok() {
  local version
  version="$(buildifier --version 2>/dev/null)" || return 1
  # "buildifier version: 8.2.1 " (sic), then a line with the commit.
  [[ "$version" == "buildifier version: $buildifier_version"[[:space:]]* ]]
}
if [[ ${#missing[@]} -eq 0 ]] && buildifier_ok; then
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup.sh: no sudo here; run tools/setup.sh as root, or as root:" >&2
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "  apt-get update && apt-get install ${missing[*]}" >&2
  fi
  echo "  npm install --global --ignore-scripts @bazel/buildifier@$buildifier_version" >&2
  exit 1
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup.sh: installing ${missing[*]}"
  "${as_root[@]}" apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! buildifier_ok; then
  echo "setup.sh: installing buildifier $buildifier_version (npm @bazel/buildifier)"
  # --ignore-scripts: the package needs none, so none can download anything.
  "${as_root[@]}" npm install --global --ignore-scripts --no-fund --no-audit \
    "@bazel/buildifier@$buildifier_version"
  if ! buildifier_ok; then
    echo "setup.sh: buildifier $buildifier_version is not on PATH after npm install" >&2
    exit 1
  fi
fi
