"""`node_test`: a multi-process test that starts test_node processes."""

load("@rules_cc//cc:defs.bzl", "cc_test")

def node_test(name, srcs, size = "medium", deps = [], **kwargs):
    """A cc_test given test_node's path as its first argument.

    remote_test_main.cc (in :remote_fixture) reads that argument.

    Args:
      name: the test's name.
      srcs: its sources.
      size: its Bazel size.
      deps: what it needs beyond the fixture, the test tasks, taskqueue and
        gtest.
      **kwargs: further cc_test attributes.
    """
    cc_test(
        name = name,
        size = size,
        srcs = srcs,
        args = ["$(rootpath :test_node)"],
        data = [":test_node"],
        deps = [
            ":remote_fixture",
            ":test_tasks",
            "//:taskqueue",
            "@googletest//:gtest",
        ] + deps,
        **kwargs
    )
