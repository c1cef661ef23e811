"""Repository rule `caf_source`: CAF 0.17.6's network modules, patched.

Debian's libcaf-dev has bugs in its io and openssl modules that reach our
users through the network (tools/bazel/caf_patches/ says which, one patch
each). Those two modules are built here instead, from Debian's source of the
same version (`actor-framework_0.17.6.orig.tar.gz`, which tools/setup.sh
fetches with `apt-get source`), with our patches applied: the way a monorepo
patches upstream code. CAF's core stays Debian's library (`@caf//:core`); its
headers are the ones these modules were written against.

Built from source, the modules are also compiled with the build's sanitizer
flags, so ASan and TSan see inside them.

The tarball is found at `tarball`, or wherever the environment variable
TASKQUEUE_CAF_SOURCE points; its SHA-256 must be `sha256` (the one in
Debian's .dsc).
"""

def _caf_source_impl(rctx):
    tarball = rctx.os.environ.get("TASKQUEUE_CAF_SOURCE", rctx.attr.tarball)
    path = rctx.path(tarball)
    if not path.exists:
        fail(("CAF's source is not at %s: run tools/setup.sh (as root: it " +
              "fetches actor-framework_0.17.6.orig.tar.gz with apt-get " +
              "source), or set TASKQUEUE_CAF_SOURCE to that tarball") % tarball)
    result = rctx.execute(["sha256sum", str(path)])
    if result.return_code != 0:
        fail("cannot hash %s: %s" % (tarball, result.stderr))
    sha256 = result.stdout.split(" ")[0]
    if sha256 != rctx.attr.sha256:
        fail("%s has SHA-256 %s, not Debian's %s" % (tarball, sha256, rctx.attr.sha256))
    rctx.extract(path, stripPrefix = rctx.attr.strip_prefix)
    for patch in rctx.attr.patches:
        rctx.patch(patch, strip = 1)
    rctx.template("BUILD.bazel", rctx.attr.build_file)

caf_source = repository_rule(
    implementation = _caf_source_impl,
    attrs = {
        "build_file": attr.label(mandatory = True, allow_single_file = True),
        "patches": attr.label_list(allow_files = True),
        "sha256": attr.string(mandatory = True),
        "strip_prefix": attr.string(mandatory = True),
        "tarball": attr.string(mandatory = True),
    },
    environ = ["TASKQUEUE_CAF_SOURCE"],
)
