"""Repository rule `system_library`: C++ libraries installed by Debian packages.

Each repository stands in for a Bazel Central Registry module (`@abseil-cpp`,
`@googletest`, ...) and exports that module's target names, so BUILD files
name the same targets they would name with the real module. Nothing is
downloaded: the rule checks that the headers and libraries are installed
and generates one `cc_library` per target.

Headers are not copied or symlinked into the repository: they are found in
the compiler's system include directories (/usr/include), which the
auto-configured C++ toolchain already allows. Exporting them as `hdrs` would
not make the build stricter (the compiler searches /usr/include anyway), and
every compile action would then stage hundreds or thousands of header
symlinks in its sandbox (Abseil ~1,000, Boost ~15,000). The price: Bazel does
not hash system headers and libraries, so after upgrading one of these
Debian packages run `bazel clean`.

Link flags come from pkg-config where the package ships a .pc file, so the
transitive libraries are the ones the package was built with.

The fetch fails, naming the Debian packages to install, when a header, a
library or a pkg-config module is missing.
"""

def system_cc(
        headers = [],
        pkg_config = [],
        linkopts = [],
        deps = [],
        srcs = {},
        copts = []):
    """Describes one cc_library of a `system_library` repository.

    Args:
      headers: headers (relative to a system include directory) that must exist.
      pkg_config: pkg-config modules; their `--libs` become linkopts and the
        `-D` flags of their `--cflags` become defines.
      linkopts: further link flags. Every `-lNAME` is checked to be found by
        the compiler.
      deps: labels of other targets in the same repository, or a dict
        {config_setting label: [labels]} for a select() (its keys must be
        absolute: "@repo//pkg:name", "@//pkg:name" for the main repository).
      srcs: {file name: content} of sources generated into the target's package.
      copts: compile flags for those sources.

    Returns:
      A string, the value for one entry of `system_library(targets = ...)`.
    """
    return json.encode({
        "copts": copts,
        "deps": deps,
        "headers": headers,
        "linkopts": linkopts,
        "pkg_config": pkg_config,
        "srcs": srcs,
    })

def _compiler(rctx):
    cc = rctx.os.environ.get("CC", "gcc")
    path = rctx.path(cc) if "/" in cc else rctx.which(cc)
    if not path or not path.exists:
        fail("@%s: C++ compiler '%s' not found (install the Debian package g++)" % (rctx.name, cc))
    return path

def _include_dirs(rctx, cc):
    """The directories the compiler searches for #include <...>."""
    result = rctx.execute([cc, "-E", "-xc++", "-v", "/dev/null"])
    dirs = []
    in_list = False
    for line in result.stderr.splitlines():
        if line.startswith("#include <...> search starts here"):
            in_list = True
        elif line.startswith("End of search list"):
            in_list = False
        elif in_list:
            dirs.append(line.strip())
    return dirs or ["/usr/local/include", "/usr/include"]

def _library_found(rctx, cc, name):
    for file in ["lib%s.so" % name, "lib%s.a" % name]:
        result = rctx.execute([cc, "-print-file-name=" + file])
        path = result.stdout.strip()
        if result.return_code == 0 and path.startswith("/") and rctx.path(path).exists:
            return True
    return False

def _words(text):
    """Splits on whitespace (Bazel 4's str.split needs a separator)."""
    return [w for w in text.replace("\t", " ").replace("\n", " ").split(" ") if w]

def _pkg_config(rctx, pkg_config, module, include_dirs, missing):
    """Returns (defines, linkopts) of a pkg-config module; records failures in `missing`."""
    if not pkg_config:
        missing.append("the pkg-config tool (Debian package pkg-config)")
        return [], []
    cflags = rctx.execute([pkg_config, "--cflags", module])
    libs = rctx.execute([pkg_config, "--libs", module])
    if cflags.return_code != 0 or libs.return_code != 0:
        missing.append("pkg-config module %s" % module)
        return [], []
    defines = []
    for flag in _words(cflags.stdout):
        if flag.startswith("-D"):
            defines.append(flag[2:])
        elif flag.startswith("-I") and flag[2:] in include_dirs:
            pass
        elif flag == "-pthread":
            pass  # The targets that need it link with -pthread.
        else:
            fail("@%s: pkg-config %s: unsupported compile flag '%s'" % (rctx.name, module, flag))
    return defines, _words(libs.stdout)

def _split_label(rctx, label):
    """'absl/status:status' -> ('absl/status', 'status'); ':gtest' -> ('', 'gtest')."""
    label = label[2:] if label.startswith("//") else label
    if ":" not in label:
        fail("@%s: target '%s' must be written as 'package:name' or ':name'" % (rctx.name, label))
    package, name = label.split(":")
    return package, name

def _starlark_list(attr, values):
    if not values:
        return ""
    if len(values) == 1:
        return '    %s = ["%s"],\n' % (attr, values[0])
    return "    %s = [\n%s    ],\n" % (attr, "".join(['        "%s",\n' % v for v in values]))

def _deps(deps):
    if type(deps) != "dict":
        return _starlark_list("deps", deps)
    branches = "".join([
        '        "%s": [%s],\n' % (key, ", ".join(['"%s"' % d for d in deps[key]]))
        for key in sorted(deps.keys())
    ])
    return "    deps = select({\n%s    }),\n" % branches

def _dedupe(values):
    result = []
    for v in values:
        if v not in result:
            result.append(v)
    return result

def _system_library_impl(rctx):
    cc = _compiler(rctx)
    include_dirs = _include_dirs(rctx, cc)
    pkg_config = rctx.which("pkg-config")
    missing = []
    checked_libraries = {}
    packages = {}  # package -> [cc_library text]

    for label, spec_json in sorted(rctx.attr.targets.items()):
        spec = json.decode(spec_json)
        package, name = _split_label(rctx, label)

        for header in spec["headers"]:
            if not [d for d in include_dirs if rctx.path(d + "/" + header).exists]:
                missing.append("header <%s>" % header)

        defines = []
        linkopts = []
        for module in spec["pkg_config"]:
            module_defines, module_linkopts = _pkg_config(rctx, pkg_config, module, include_dirs, missing)
            defines += module_defines
            linkopts += module_linkopts
        linkopts += spec["linkopts"]

        for flag in linkopts:
            if flag.startswith("-l") and flag not in checked_libraries:
                checked_libraries[flag] = True
                if not _library_found(rctx, cc, flag[2:]):
                    missing.append("library %s" % flag)

        for file, content in spec["srcs"].items():
            rctx.file(package + "/" + file if package else file, content)

        packages.setdefault(package, []).append(
            "cc_library(\n" +
            '    name = "%s",\n' % name +
            _starlark_list("srcs", sorted(spec["srcs"].keys())) +
            _starlark_list("copts", spec["copts"]) +
            _starlark_list("defines", _dedupe(defines)) +
            # Not deduplicated: the order and repetition of link flags can matter.
            _starlark_list("linkopts", linkopts) +
            _deps(spec["deps"]) +
            ")\n",
        )

    if missing:
        fail(("\n@{name}: the system's copy is incomplete. Missing:\n  {missing}\n" +
              "Install the Debian package(s) {pkgs}: as root, " +
              "`apt-get install {pkgs}` (or run tools/setup.sh of the taskqueue repository).").format(
            name = rctx.name,
            missing = "\n  ".join(_dedupe(missing)),
            pkgs = " ".join(rctx.attr.debian_packages),
        ))

    header = ("# Generated by the system_library rule of @taskqueue//tools/bazel from the\n" +
              "# Debian package(s) %s. Do not edit.\n\n" % ", ".join(rctx.attr.debian_packages))
    rctx.file("WORKSPACE", header)
    if "" not in packages:
        packages[""] = []
    for package, rules in packages.items():
        rctx.file(
            package + "/BUILD" if package else "BUILD",
            header +
            # As in our own BUILD files: the rule from @rules_cc, not Bazel's
            # native one, which later Bazel versions no longer have.
            ('load("@rules_cc//cc:defs.bzl", "cc_library")\n\n' if rules else "") +
            'package(default_visibility = ["//visibility:public"])\n' +
            "".join(["\n" + r for r in rules]),
        )

system_library = repository_rule(
    implementation = _system_library_impl,
    doc = "C++ libraries from the system's Debian packages, under BCR target names.",
    attrs = {
        "debian_packages": attr.string_list(
            mandatory = True,
            doc = "Packages named in the error message when something is missing.",
        ),
        "targets": attr.string_dict(
            mandatory = True,
            doc = "'package:name' (':name' for the root package) -> system_cc(...).",
        ),
    },
    environ = ["CC", "PKG_CONFIG_PATH", "PKG_CONFIG_LIBDIR"],
    # Re-run when the Bazel server restarts and on `bazel sync --configure`:
    # what it reads lives outside Bazel's view.
    local = True,
    configure = True,
)
