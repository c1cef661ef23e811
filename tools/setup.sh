#!/usr/bin/env bash
# Installs the Debian 12 packages taskqueue builds with: Bazel, the compilers
# (GCC and Clang) and the C++ libraries the Bazel workspace takes from the
# system (tools/bazel/deps.bzl, bench_deps.bzl); Debian's source of CAF, whose
# network modules the workspace builds patched (tools/bazel/caf_source.bzl);
# then buildifier, which
# tools/test.sh checks the BUILD and .bzl files with, and playwright-core, which
# the dashboard's browser tests drive Debian's Chromium with, from npm (Node.js
# from Debian too, if there is none yet). Idempotent: when everything is installed
# it only checks, quickly, and changes nothing.
set -euo pipefail

# The buildifier tools/test.sh expects. The npm package carries its Linux
# binary inside and has no install scripts: nothing is fetched but the
# package itself, from the npm registry.
buildifier_version=8.2.1

# The browser driver of the dashboard tests (tests/dashboard), pointed at
# Debian's Chromium. playwright-core is the driver without browsers; it is
# installed with --ignore-scripts into a directory of its own, so nothing
# downloads a browser and no global package changes.
playwright_version=1.64.1
browser_driver_dir=/var/cache/taskqueue/browser
playwright_ok() {
  [[ "$(node -p "require('$browser_driver_dir/node_modules/playwright-core/package.json').version" 2>/dev/null)" == "$playwright_version" ]]
}

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
  libboost-dev            # @boost: Beast (the HTTP pages), Asio (a bench baseline)
  libtbb-dev              # @onetbb (benchmark baseline)
  libconcurrentqueue-dev  # @concurrentqueue (benchmark baseline)
  libsqlite3-dev          # @sqlite3, the durable journal
  libexpat1-dev           # XML parser the example tests check plots with
  openssl                 # the CLI the TLS tests make certificates with
  redis-server            # the broker of the server benchmark's peers
  python3-celery          # peer: Celery on Redis (bench/server_bench)
  python3-rq              # peer: RQ on Redis (bench/server_bench)
  chromium                # the browser the dashboard tests drive (headless)
)

# Debian's source of the CAF release libcaf-dev is built from; the SHA-256 is
# the one in Debian's actor-framework_0.17.6-2.1.dsc.
caf_source_dir=/var/cache/taskqueue
caf_tarball=actor-framework_0.17.6.orig.tar.gz
caf_sha256=e2bf5bd243f08bb7d8adde197cfe3e6d71314ed3378fe0692f8932f4c3b3928c
caf_source_ok() {
  echo "$caf_sha256  $caf_source_dir/$caf_tarball" | sha256sum --check --status 2>/dev/null
}

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
if [[ ${#missing[@]} -eq 0 ]] && buildifier_ok && caf_source_ok && playwright_ok; then
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
  echo "  npm install --prefix $browser_driver_dir --ignore-scripts playwright-core@$playwright_version" >&2
  echo "  and fetch $caf_source_dir/$caf_tarball (apt-get source --download-only actor-framework)" >&2
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

if ! playwright_ok; then
  echo "setup.sh: installing playwright-core $playwright_version into $browser_driver_dir (npm)"
  "${as_root[@]}" mkdir -p "$browser_driver_dir"
  "${as_root[@]}" npm install --prefix "$browser_driver_dir" --ignore-scripts \
    --no-fund --no-audit --no-save "playwright-core@$playwright_version"
  if ! playwright_ok; then
    echo "setup.sh: playwright-core $playwright_version is not in $browser_driver_dir" >&2
    exit 1
  fi
fi

if ! caf_source_ok; then
  echo "setup.sh: fetching CAF's source ($caf_tarball) from Debian"
  # apt-get source needs a deb-src entry; Debian 12 has none by default. The
  # one added is for the archive the system already installs from.
  if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri="$(grep -rhs '^URIs:' /etc/apt/sources.list.d/*.sources | head -n 1 | awk '{print $2}')"
    "${as_root[@]}" tee /etc/apt/sources.list.d/taskqueue-deb-src.sources >/dev/null <<SOURCES
Types: deb-src
URIs: ${uri:-http://deb.debian.org/debian}
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  fi
  "${as_root[@]}" apt-get update
  download="$(mktemp -d)"
  # Only the orig tarball matters: Debian's patch tarball may not download.
  (cd "$download" && apt-get source --download-only actor-framework) || true
  "${as_root[@]}" mkdir -p "$caf_source_dir"
  "${as_root[@]}" cp "$download/$caf_tarball" "$caf_source_dir/" || true
  rm -rf "$download"
  if ! caf_source_ok; then
    echo "setup.sh: could not fetch $caf_tarball with SHA-256 $caf_sha256" >&2
    exit 1
  fi
fi
