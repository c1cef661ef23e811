"""External repositories of taskqueue, all offline.

Usage, in the WORKSPACE of this repository or of one that depends on it:

    local_repository(name = "taskqueue", path = "...")  # or any other rule
    load("@taskqueue//tools/bazel:deps.bzl", "taskqueue_deps")
    taskqueue_deps()

Every repository below is defined only if the workspace has not defined one
of that name already, so a monorepo that brings its own copies (its own
abseil-cpp or googletest, say) wins: it defines them before calling
`taskqueue_deps()`. A monorepo that has them under other names maps ours
onto its own with `repo_mapping` on the rule that brings in @taskqueue,
e.g. `repo_mapping = {"@abseil-cpp": "@com_google_absl"}`; under Bzlmod the
names below are the Bazel Central Registry module names, so `bazel_dep`s on
those modules provide them.

The C++ libraries come from Debian packages (see system_library.bzl); the
error when one is missing names the package to install. tools/setup.sh
installs them all.
"""

load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load(":caf_source.bzl", "caf_source")
load(":offline_stubs.bzl", "offline_stub")
load(":system_library.bzl", "system_cc", "system_library")

def _absolute(label):
    """A label string that means this repository's target from any repository."""
    return "@%s//%s:%s" % (label.workspace_name, label.package, label.name)

def _abseil(pkg_config, header):
    return system_cc(headers = [header], pkg_config = [pkg_config])

# BCR target -> system_cc. The pkg-config module names are Abseil's CMake
# target names; `absl/log` does not exist yet in Abseil 20220623.
_ABSEIL_TARGETS = {
    "absl/algorithm:container": _abseil("absl_algorithm_container", "absl/algorithm/container.h"),
    "absl/base:base": _abseil("absl_base", "absl/base/call_once.h"),
    "absl/base:core_headers": _abseil("absl_core_headers", "absl/base/thread_annotations.h"),
    "absl/cleanup:cleanup": _abseil("absl_cleanup", "absl/cleanup/cleanup.h"),
    "absl/container:btree": _abseil("absl_btree", "absl/container/btree_map.h"),
    "absl/container:fixed_array": _abseil("absl_fixed_array", "absl/container/fixed_array.h"),
    "absl/container:flat_hash_map": _abseil("absl_flat_hash_map", "absl/container/flat_hash_map.h"),
    "absl/container:flat_hash_set": _abseil("absl_flat_hash_set", "absl/container/flat_hash_set.h"),
    "absl/container:inlined_vector": _abseil("absl_inlined_vector", "absl/container/inlined_vector.h"),
    "absl/container:node_hash_map": _abseil("absl_node_hash_map", "absl/container/node_hash_map.h"),
    "absl/debugging:failure_signal_handler": _abseil("absl_failure_signal_handler", "absl/debugging/failure_signal_handler.h"),
    "absl/debugging:stacktrace": _abseil("absl_stacktrace", "absl/debugging/stacktrace.h"),
    "absl/debugging:symbolize": _abseil("absl_symbolize", "absl/debugging/symbolize.h"),
    "absl/flags:flag": _abseil("absl_flags", "absl/flags/flag.h"),
    "absl/flags:parse": _abseil("absl_flags_parse", "absl/flags/parse.h"),
    "absl/flags:usage": _abseil("absl_flags_usage", "absl/flags/usage.h"),
    "absl/functional:any_invocable": _abseil("absl_any_invocable", "absl/functional/any_invocable.h"),
    "absl/functional:bind_front": _abseil("absl_bind_front", "absl/functional/bind_front.h"),
    "absl/functional:function_ref": _abseil("absl_function_ref", "absl/functional/function_ref.h"),
    "absl/hash:hash": _abseil("absl_hash", "absl/hash/hash.h"),
    "absl/memory:memory": _abseil("absl_memory", "absl/memory/memory.h"),
    "absl/meta:type_traits": _abseil("absl_type_traits", "absl/meta/type_traits.h"),
    "absl/numeric:bits": _abseil("absl_bits", "absl/numeric/bits.h"),
    "absl/numeric:int128": _abseil("absl_int128", "absl/numeric/int128.h"),
    "absl/random:bit_gen_ref": _abseil("absl_random_bit_gen_ref", "absl/random/bit_gen_ref.h"),
    "absl/random:distributions": _abseil("absl_random_distributions", "absl/random/distributions.h"),
    "absl/random:random": _abseil("absl_random_random", "absl/random/random.h"),
    "absl/status:status": _abseil("absl_status", "absl/status/status.h"),
    "absl/status:statusor": _abseil("absl_statusor", "absl/status/statusor.h"),
    "absl/strings:cord": _abseil("absl_cord", "absl/strings/cord.h"),
    "absl/strings:str_format": _abseil("absl_str_format", "absl/strings/str_format.h"),
    "absl/strings:strings": _abseil("absl_strings", "absl/strings/str_cat.h"),
    # In ThreadSanitizer builds, with annotations that make the uninstrumented
    # library's synchronization visible to TSan (tools/sanitizers/BUILD).
    "absl/synchronization:synchronization": system_cc(
        headers = ["absl/synchronization/mutex.h"],
        pkg_config = ["absl_synchronization"],
        deps = {
            _absolute(Label("//tools/sanitizers:tsan")): [
                _absolute(Label("//tools/sanitizers:absl_tsan_annotations")),
            ],
            "//conditions:default": [],
        },
    ),
    "absl/time:time": _abseil("absl_time", "absl/time/time.h"),
    "absl/types:optional": _abseil("absl_optional", "absl/types/optional.h"),
    "absl/types:span": _abseil("absl_span", "absl/types/span.h"),
    "absl/types:variant": _abseil("absl_variant", "absl/types/variant.h"),
    "absl/utility:utility": _abseil("absl_utility", "absl/utility/utility.h"),
}

# Debian ships googletest as static libraries built with -pthread.
_GOOGLETEST_TARGETS = {
    ":gmock": system_cc(
        headers = ["gmock/gmock.h"],
        pkg_config = ["gmock"],
        linkopts = ["-pthread"],
    ),
    ":gmock_main": system_cc(
        pkg_config = ["gmock_main"],
        linkopts = ["-pthread"],
        deps = [":gmock"],
    ),
    ":gtest": system_cc(
        headers = ["gtest/gtest.h"],
        pkg_config = ["gtest"],
        linkopts = ["-pthread"],
    ),
    ":gtest_main": system_cc(
        pkg_config = ["gtest_main"],
        linkopts = ["-pthread"],
        deps = [":gtest"],
    ),
}

_GOOGLE_BENCHMARK_TARGETS = {
    ":benchmark": system_cc(
        headers = ["benchmark/benchmark.h"],
        pkg_config = ["benchmark"],
        linkopts = ["-pthread"],
    ),
    # libbenchmark_main.a has no pkg-config file.
    ":benchmark_main": system_cc(
        linkopts = ["-lbenchmark_main", "-lbenchmark", "-pthread"],
        deps = [":benchmark"],
    ),
}

# CAF 0.17 (the C++ Actor Framework). No pkg-config files.
_CAF_TARGETS = {
    # caf/all.hpp and the rest of libcaf_core, including the deterministic
    # scheduler caf/scheduler/test_coordinator.hpp, usable from any test.
    ":core": system_cc(
        headers = ["caf/all.hpp", "caf/scheduler/test_coordinator.hpp"],
        linkopts = ["-lcaf_core", "-pthread"],
    ),
    # Built from Debian's source with our patches (caf_source.bzl).
    ":io": system_cc(deps = ["@caf_source//:io"]),
    ":openssl": system_cc(
        headers = ["openssl/ssl.h"],
        deps = ["@caf_source//:openssl"],
    ),
    ":caf": system_cc(deps = [":core", ":io"]),
    # caf/test/dsl.hpp (test_coordinator_fixture, expect(...)). Header-only,
    # but its CAF_CHECK/CAF_REQUIRE macros report to CAF's own unit-test
    # engine, so a test using it also needs :test_main (and is written with
    # CAF_TEST / CAF_TEST_FIXTURE_SCOPE, not gtest). io_dsl.hpp needs :io too.
    ":test_dsl": system_cc(
        headers = ["caf/test/dsl.hpp"],
        deps = [":core"],
    ),
    # CAF's unit-test engine and its main(): runs every CAF_TEST linked in
    # and exits non-zero if one fails. There is no libcaf_test: the engine is
    # the header caf/test/unit_test_impl.hpp, compiled here once.
    ":test_main": system_cc(
        headers = ["caf/test/unit_test_impl.hpp"],
        srcs = {"caf_test_main.cc": '#include "caf/test/unit_test_impl.hpp"\n'},
        copts = ["-w"],  # CAF's code: its warnings are not ours to fix.
        deps = [":test_dsl"],
    ),
}

def taskqueue_deps():
    """Defines the repositories taskqueue needs, each unless already defined."""

    # Stand-ins for what Bazel 4.2.3 would otherwise download, and for
    # @rules_shell, which our BUILD files load sh_* rules from (offline_stubs.bzl).
    for name in ["rules_cc", "rules_java", "rules_shell", "remote_coverage_tools"]:
        maybe(offline_stub, name = name)

    maybe(
        system_library,
        name = "abseil-cpp",
        debian_packages = ["libabsl-dev"],
        targets = _ABSEIL_TARGETS,
    )
    maybe(
        system_library,
        name = "googletest",
        debian_packages = ["libgtest-dev", "libgmock-dev"],
        targets = _GOOGLETEST_TARGETS,
    )
    maybe(
        system_library,
        name = "google_benchmark",
        debian_packages = ["libbenchmark-dev"],
        targets = _GOOGLE_BENCHMARK_TARGETS,
    )
    maybe(
        system_library,
        name = "caf",
        debian_packages = ["libcaf-dev", "libssl-dev"],
        targets = _CAF_TARGETS,
    )

    # Boost 1.74, header-only: Beast for the server's HTTP pages
    # (actors/http), Asio for a benchmark baseline.
    maybe(
        system_library,
        name = "boost",
        debian_packages = ["libboost-dev"],
        targets = {
            ":asio": system_cc(
                headers = ["boost/asio.hpp", "boost/asio/thread_pool.hpp"],
                linkopts = ["-pthread"],
            ),
            ":beast": system_cc(
                headers = ["boost/beast.hpp"],
                linkopts = ["-pthread"],
            ),
        },
    )

    # SQLite 3.40, the journal's database (actors/journal).
    maybe(
        system_library,
        name = "sqlite3",
        debian_packages = ["libsqlite3-dev"],
        targets = {":sqlite3": system_cc(
            headers = ["sqlite3.h"],
            pkg_config = ["sqlite3"],
        )},
    )
    maybe(
        caf_source,
        name = "caf_source",
        tarball = "/var/cache/taskqueue/actor-framework_0.17.6.orig.tar.gz",
        sha256 = "e2bf5bd243f08bb7d8adde197cfe3e6d71314ed3378fe0692f8932f4c3b3928c",
        strip_prefix = "actor-framework-0.17.6",
        build_file = Label("//tools/bazel:caf_source.BUILD"),
        patches = [
            Label("//tools/bazel:caf_patches/0000-debian-include-limits.patch"),
            Label("//tools/bazel:caf_patches/0001-openssl-clear-error-queue.patch"),
            Label("//tools/bazel:caf_patches/0002-io-want-read-write-backoff.patch"),
            Label("//tools/bazel:caf_patches/0003-basp-bound-payload.patch"),
            Label("//tools/bazel:caf_patches/0004-openssl-tls12-minimum.patch"),
            Label("//tools/bazel:caf_patches/0005-basp-connect-timeout-from-connect.patch"),
        ],
    )
