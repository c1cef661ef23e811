// Output directory: where a gradient_descent run puts its pictures.
//
//   <out_dir>/index.html          the gallery of the whole training (the
//                                 queued run's, with --mode=all)
//   <out_dir>/sync/plot_*.svg     the sync run's plots, and its index.html
//   <out_dir>/queued/plot_*.svg   the queued run's, and its index.html
//   <out_dir>/latest/plot_*.svg   the latest run's (fewer: it coalesces), and
//                                 its index.html
//
// Each plotting run gets a directory of its own, so that a plot the queued
// run lost could not hide behind the sync run's file of the same name.
#ifndef TASKQUEUE_EXAMPLES_OUTPUT_DIR_H_
#define TASKQUEUE_EXAMPLES_OUTPUT_DIR_H_

#include <filesystem>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gradient_descent {

// The absolute path of --out_dir=`flag`, created with its parents if missing.
// A relative `flag` is taken relative to `working_dir` when that is non-empty
// (`bazel run` runs the program in its runfiles tree and says where the user
// was in BUILD_WORKING_DIRECTORY), else to the current directory. Fails with
// kFailedPrecondition (e.g. "--out_dir=/etc/passwd is not a directory") or
// the OS's reason for not creating it.
absl::StatusOr<std::filesystem::path> PrepareOutDir(
    absl::string_view flag, absl::string_view working_dir);

// out_dir/run_name, created if missing, with the plot files an earlier run
// left there removed (only files named as PlotWriter names them), so that it
// holds exactly this run's plots. Fails like PrepareOutDir.
absl::StatusOr<std::filesystem::path> PreparePlotDir(
    const std::filesystem::path& out_dir, absl::string_view run_name);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_OUTPUT_DIR_H_
