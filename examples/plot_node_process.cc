#include "examples/plot_node_process.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace gradient_descent {

absl::StatusOr<std::unique_ptr<PlotNodeProcess>> PlotNodeProcess::Start(
    const std::string& binary, uint16_t port, int slots) {
  // Checked here, where the error can be returned: after fork, the child
  // could only exit with 127.
  if (access(binary.c_str(), X_OK) != 0) {
    return absl::NotFoundError(
        absl::StrCat("--spawn_plot_node=", binary,
                     " is not an executable file (build it: bazel build "
                     "//examples:plot_node)"));
  }
  try {
    // SIGTERM, not SIGKILL, should this process die first: a node that
    // outlives us drains and exits.
    return std::unique_ptr<PlotNodeProcess>(
        new PlotNodeProcess(taskqueue_tools::ChildOptions{
            .argv = {binary, absl::StrCat("--connect=127.0.0.1:", port),
                     absl::StrCat("--slots=", slots)},
            .death_signal = SIGTERM,
        }));
  } catch (const std::runtime_error& e) {
    return absl::InternalError(
        absl::StrCat("cannot start the plot node: ", e.what()));
  }
}

PlotNodeProcess::PlotNodeProcess(taskqueue_tools::ChildOptions options)
    : process_(std::move(options)) {}

PlotNodeProcess::~PlotNodeProcess() { Stop().IgnoreError(); }

absl::Status PlotNodeProcess::CheckRunning() {
  std::optional<int> status = process_.Wait(std::chrono::milliseconds(0));
  if (!status) return absl::OkStatus();
  if (*status > 128) {
    return absl::AbortedError(absl::StrCat(
        "the plot node process was killed by signal ", *status - 128));
  }
  return absl::AbortedError(
      absl::StrCat("the plot node process exited with status ", *status,
                   *status == 127 ? " (it could not be started)" : ""));
}

absl::Status PlotNodeProcess::Stop(absl::Duration grace) {
  if (stopped_) return *stopped_;
  if (!process_.Wait(std::chrono::milliseconds(0))) {
    process_.Signal(SIGTERM);
    if (!process_.Wait(absl::ToChronoMilliseconds(grace))) {
      process_.Signal(SIGKILL);
      // SIGKILL cannot be ignored: this wait ends.
      process_.Wait(std::chrono::hours(1));
      stopped_ = absl::DeadlineExceededError(absl::StrCat(
          "the plot node did not stop within ", absl::FormatDuration(grace),
          " of SIGTERM and was killed"));
      return *stopped_;
    }
  }
  stopped_ = process_.Wait(std::chrono::milliseconds(0)) == 0 ? absl::OkStatus()
                                                              : CheckRunning();
  return *stopped_;
}

}  // namespace gradient_descent
