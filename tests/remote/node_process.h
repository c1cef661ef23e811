// A worker node in a process of its own, for tests: started with fork/exec,
// signalled for real, and never left running (taskqueue_tools::ChildProcess).
#ifndef TASKQUEUE_TESTS_REMOTE_NODE_PROCESS_H_
#define TASKQUEUE_TESTS_REMOTE_NODE_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "tools/child_process/child_process.h"

namespace taskqueue_test {

class NodeProcess {
 public:
  // Starts `binary --connect=127.0.0.1:<port> --slots=<slots> --name=<name>`
  // plus `flags`, with `env` added to the environment. Its stderr goes to
  // `log_path` (read by log()).
  NodeProcess(const std::string& binary, uint16_t port, int slots,
              const std::string& name, const std::string& log_path,
              const std::map<std::string, std::string>& env = {},
              const std::string& flags = "");

  void Signal(int signal) { process_.Signal(signal); }
  // Waits up to `timeout` for the process to exit; its exit status (or
  // 128 + the signal), or nullopt when it still runs.
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    return process_.Wait(timeout);
  }
  // What it wrote to stderr so far.
  std::string log() const;
  pid_t pid() const { return process_.pid(); }

 private:
  std::string log_path_;
  taskqueue_tools::ChildProcess process_;
};

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_REMOTE_NODE_PROCESS_H_
