// PlotNodeProcess: a plot node (//examples:plot_node) that the remote run
// starts itself (--spawn_plot_node), so that one command runs both sides.
//
//   absl::StatusOr<std::unique_ptr<PlotNodeProcess>> node =
//       PlotNodeProcess::Start("/path/to/plot_node", port, /*slots=*/4);
//   ... the run ...
//   absl::Status stopped = (*node)->Stop();  // SIGTERM, then wait
//
// Contract: the process is always stopped and waited for, never left
// running. Stop() sends SIGTERM, which drains the node (it finishes the
// plot it writes and exits), and waits for it, for at most `grace`; then
// SIGKILL. The destructor does the same if Stop() was not called, and the
// kernel kills the node should this process die first (PR_SET_PDEATHSIG).
// The node's stdout and stderr are this process's.
//
// Thread-safety: none; use from one thread.
#ifndef TASKQUEUE_EXAMPLES_PLOT_NODE_PROCESS_H_
#define TASKQUEUE_EXAMPLES_PLOT_NODE_PROCESS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/child_process/child_process.h"

namespace gradient_descent {

class PlotNodeProcess {
 public:
  // Starts `binary --connect=127.0.0.1:<port> --slots=<slots>`. Fails with
  // kNotFound when `binary` is not an executable file, and with the OS's
  // reason when fork fails.
  static absl::StatusOr<std::unique_ptr<PlotNodeProcess>> Start(
      const std::string& binary, uint16_t port, int slots);

  // Stop(), if it has not run.
  ~PlotNodeProcess();
  PlotNodeProcess(const PlotNodeProcess&) = delete;
  PlotNodeProcess& operator=(const PlotNodeProcess&) = delete;

  // OK while the process runs; kAborted ("the plot node process exited with
  // status 2") once it has exited by itself. Does not block.
  absl::Status CheckRunning();

  // Stops the process as the contract says and reaps it. OK when it exited
  // with status 0 (a node that drains does); otherwise says how it ended.
  // Idempotent: later calls return the first answer.
  absl::Status Stop(absl::Duration grace = absl::Seconds(10));

 private:
  explicit PlotNodeProcess(taskqueue_tools::ChildOptions options);

  taskqueue_tools::ChildProcess process_;
  std::optional<absl::Status> stopped_;
};

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_PLOT_NODE_PROCESS_H_
