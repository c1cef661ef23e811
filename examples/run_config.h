// RunConfig: what the gradient_descent command line asks for, and the checks
// that turn a bad value into a one-line message instead of a crash or a hang.
//
//   RunConfig config{.iterations = absl::GetFlag(FLAGS_iterations), ...};
//   if (absl::Status s = ValidateRunConfig(config); !s.ok()) { ...exit 2 }
//
// Directories are checked where they are made: see output_dir.h.
#ifndef TASKQUEUE_EXAMPLES_RUN_CONFIG_H_
#define TASKQUEUE_EXAMPLES_RUN_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "examples/training_run.h"

namespace gradient_descent {

struct RunConfig {
  int iterations = 600;
  int plot_every = 20;
  absl::Duration plot_latency = absl::Milliseconds(200);
  int workers = 4;
  std::string out_dir = "plots";
  // "none", "sync", "queued", "latest", "remote" or "all".
  std::string mode = "all";
  // The remote run only (the others take none of these, or fail to
  // validate): the port plot nodes connect to on 127.0.0.1 (0: a free one),
  // how long to wait for a node, and a plot_node binary to start, if any.
  int listen_port = 0;
  absl::Duration node_timeout = absl::Seconds(60);
  std::string spawn_plot_node;
  // The queued and latest runs: their queue's live dashboard on
  // 127.0.0.1:PORT (0: a free one; the queue prints it and the write token
  // to stderr); -1: none.
  int dashboard_port = -1;
};

// Upper bounds, so that a typo (an extra zero or three) fails at once
// instead of running for hours. Plot files have room for six digits.
inline constexpr int kMaxIterations = 100000;
inline constexpr absl::Duration kMaxPlotLatency = absl::Seconds(60);
inline constexpr absl::Duration kMaxNodeTimeout = absl::Hours(1);

// OK, or kInvalidArgument naming the first bad flag, its value and what it
// must be, e.g. "--workers must be between 1 and 1024, got 0".
absl::Status ValidateRunConfig(const RunConfig& config);

// The runs `mode` stands for, in the order they run: "all" is none, sync,
// queued, latest (the baseline first; not remote, which needs a plot node).
// kInvalidArgument for anything else.
absl::StatusOr<std::vector<PlotMode>> ParseModes(absl::string_view mode);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_RUN_CONFIG_H_
