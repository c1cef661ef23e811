#!/usr/bin/env bash
# Installs the Debian 12 packages taskqueue builds with: Bazel, the compiler
# and the C++ libraries the Bazel workspace takes from the system
# (tools/bazel/deps.bzl, bench_deps.bzl). Idempotent: when everything is
# installed it only checks, quickly, and changes nothing.
set -euo pipefail

packages=(
  bazel-bootstrap         # Bazel 4.2.3, the `bazel` command
  g++                     # with the ASan/UBSan/TSan runtimes
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
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup.sh: missing Debian packages: ${missing[*]}" >&2
  echo "setup.sh: no sudo here; run tools/setup.sh as root, or as root:" >&2
  echo "  apt-get update && apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "setup.sh: installing ${missing[*]}"
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
