// ChildProcess: a program run as a process of its own that never outlives
// its owner, for the tests, examples and benchmarks that start worker nodes
// and other peers for real.
//
//   taskqueue_tools::ChildProcess node({.argv = {"bazel-bin/examples/plot_node",
//                                      "--connect=127.0.0.1:7070"},
//                             .stderr_path = "/tmp/node.log"});
//   node.Signal(SIGTERM);
//   std::optional<int> status = node.Wait(std::chrono::seconds(10));
//
// Contract:
//   * The constructor forks and execs argv[0] (a path, not searched for);
//     it throws std::runtime_error only when fork fails. An exec that fails
//     shows as exit status 127.
//   * The process dies with its owner's process (PR_SET_PDEATHSIG, with
//     `death_signal`), and the destructor kills it (SIGKILL) and reaps it
//     if it still runs: nothing is left running, whatever happens.
//   * Not thread-safe: use from one thread.
#ifndef TASKQUEUE_TOOLS_CHILD_PROCESS_CHILD_PROCESS_H_
#define TASKQUEUE_TOOLS_CHILD_PROCESS_CHILD_PROCESS_H_

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace taskqueue_tools {

struct ChildOptions {
  std::vector<std::string> argv;
  // Where its output goes (truncated first); empty: this process's own.
  std::string stdout_path;
  std::string stderr_path;
  // Set in its environment, on top of this process's.
  std::map<std::string, std::string> env;
  // What it gets should this process die first. SIGTERM lets a worker node
  // drain; SIGKILL is for peers that must not linger at all.
  int death_signal = SIGKILL;
};

class ChildProcess {
 public:
  explicit ChildProcess(ChildOptions options);
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Sends `signal` unless it has been reaped.
  void Signal(int signal);
  // Waits up to `timeout` for it to exit: its exit status, or 128 + the
  // signal that killed it; nullopt while it runs.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }
  // CPU time (user + system) it has used so far, in seconds.
  double CpuSeconds() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace taskqueue_tools

#endif  // TASKQUEUE_TOOLS_CHILD_PROCESS_CHILD_PROCESS_H_
