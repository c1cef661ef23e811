// A worker node in a process of its own, for tests: started with fork/exec,
// signalled for real, and never left running (the destructor kills it, and
// the kernel kills it should the test process die first).
#ifndef TASKQUEUE_TESTS_REMOTE_NODE_PROCESS_H_
#define TASKQUEUE_TESTS_REMOTE_NODE_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

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
  ~NodeProcess();

  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  void Signal(int signal);
  // Waits up to `timeout` for the process to exit; its exit status (or
  // 128 + the signal), or nullopt when it still runs.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // What it wrote to stderr so far.
  std::string log() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_REMOTE_NODE_PROCESS_H_
