"""Repositories only taskqueue's own benchmarks need (the baselines they compare
against). Called from this repository's WORKSPACE only: workspaces that
depend on taskqueue do not need them.

    load("//tools/bazel:bench_deps.bzl", "taskqueue_bench_deps")
    taskqueue_bench_deps()

Like taskqueue_deps(), each repository is defined only if not defined already.
"""

load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load(":system_library.bzl", "system_cc", "system_library")

def taskqueue_bench_deps():
    """Defines @onetbb and @concurrentqueue, each unless already defined."""

    # oneTBB: #include <tbb/task_group.h> or <oneapi/tbb/...>.
    maybe(
        system_library,
        name = "onetbb",
        debian_packages = ["libtbb-dev"],
        targets = {
            ":tbb": system_cc(
                headers = ["tbb/tbb.h", "oneapi/tbb.h"],
                pkg_config = ["tbb"],
                linkopts = ["-pthread"],
            ),
        },
    )

    # moodycamel::ConcurrentQueue, header-only. Debian installs the headers
    # in /usr/include/concurrentqueue/, so they are included as
    #   #include <concurrentqueue/concurrentqueue.h>
    #   #include <concurrentqueue/blockingconcurrentqueue.h>
    maybe(
        system_library,
        name = "concurrentqueue",
        debian_packages = ["libconcurrentqueue-dev"],
        targets = {
            ":concurrentqueue": system_cc(
                headers = [
                    "concurrentqueue/blockingconcurrentqueue.h",
                    "concurrentqueue/concurrentqueue.h",
                    "concurrentqueue/lightweightsemaphore.h",
                ],
                linkopts = ["-pthread"],
            ),
        },
    )
