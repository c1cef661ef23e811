#include "examples/run_config.h"

#include "absl/strings/str_cat.h"
#include "taskqueue/queue_options.h"

namespace gradient_descent {
namespace {

absl::Status OutOfRange(absl::string_view flag, int min, int max, int value) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--", flag, " must be between ", min, " and ", max, ", got ", value));
}

}  // namespace

absl::Status ValidateRunConfig(const RunConfig& config) {
  if (config.iterations < 1 || config.iterations > kMaxIterations) {
    return OutOfRange("iterations", 1, kMaxIterations, config.iterations);
  }
  if (config.plot_every < 1 || config.plot_every > kMaxIterations) {
    return OutOfRange("plot_every", 1, kMaxIterations, config.plot_every);
  }
  if (config.plot_latency < absl::ZeroDuration() ||
      config.plot_latency > kMaxPlotLatency) {
    return absl::InvalidArgumentError(
        absl::StrCat("--plot_latency must be between 0 and ",
                     absl::FormatDuration(kMaxPlotLatency), ", got ",
                     absl::FormatDuration(config.plot_latency)));
  }
  if (config.workers < 1 ||
      config.workers > taskqueue::QueueOptions::kMaxWorkers) {
    return OutOfRange("workers", 1, taskqueue::QueueOptions::kMaxWorkers,
                      config.workers);
  }
  if (config.out_dir.empty()) {
    return absl::InvalidArgumentError("--out_dir must not be empty");
  }
  if (absl::Status modes = ParseModes(config.mode).status(); !modes.ok()) {
    return modes;
  }
  if (config.listen_port < 0 || config.listen_port > 65535) {
    return OutOfRange("listen", 0, 65535, config.listen_port);
  }
  if (config.dashboard_port < -1 || config.dashboard_port > 65535) {
    return OutOfRange("dashboard", -1, 65535, config.dashboard_port);
  }
  if (config.dashboard_port >= 0 && config.mode != "queued" &&
      config.mode != "latest" && config.mode != "all") {
    return absl::InvalidArgumentError(
        "--dashboard needs a run on an in-process queue: --mode=queued, "
        "latest or all");
  }
  if (config.node_timeout <= absl::ZeroDuration() ||
      config.node_timeout > kMaxNodeTimeout) {
    return absl::InvalidArgumentError(
        absl::StrCat("--node_timeout must be positive and at most ",
                     absl::FormatDuration(kMaxNodeTimeout), ", got ",
                     absl::FormatDuration(config.node_timeout)));
  }
  // Silently ignoring them would leave a user waiting for a node that the
  // run never asks for.
  if (config.mode != "remote") {
    if (config.listen_port != 0) {
      return absl::InvalidArgumentError("--listen needs --mode=remote");
    }
    if (!config.spawn_plot_node.empty()) {
      return absl::InvalidArgumentError(
          "--spawn_plot_node needs --mode=remote");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<PlotMode>> ParseModes(absl::string_view mode) {
  if (mode == "none") return std::vector<PlotMode>{PlotMode::kNone};
  if (mode == "sync") return std::vector<PlotMode>{PlotMode::kSync};
  if (mode == "queued") return std::vector<PlotMode>{PlotMode::kQueued};
  if (mode == "latest") return std::vector<PlotMode>{PlotMode::kLatest};
  if (mode == "remote") return std::vector<PlotMode>{PlotMode::kRemote};
  if (mode == "all") {
    return std::vector<PlotMode>{PlotMode::kNone, PlotMode::kSync,
                                 PlotMode::kQueued, PlotMode::kLatest};
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--mode must be none, sync, queued, latest or all (or remote: plots on "
      "a plot node), got '",
      mode, "'"));
}

}  // namespace gradient_descent
