// The test queue server (//tests/server:test_server) as a process of the
// test's own, and its tasks as a client names them. The binary's path is
// in $TEST_SERVER (see BUILD).
#ifndef TASKQUEUE_TESTS_SERVER_SERVER_PROCESS_H_
#define TASKQUEUE_TESTS_SERVER_SERVER_PROCESS_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "taskqueue/named_task.h"
#include "tools/child_process/child_process.h"

namespace taskqueue_test {

// The server's tasks (test_server_tasks.cc) by their names and types; the
// bodies here never run.
int64_t Record(int64_t x, int64_t sleep_ms);
std::string Fail(std::string why);
inline constexpr taskqueue::NamedTask<&Record> kRecord{"test.record"};
inline constexpr taskqueue::NamedTask<&Fail> kFail{"test.fail"};

// A test server on a free loopback port with 2 workers (unless `flags` say
// otherwise), its journal and its record of runs in `dir`, its log in
// dir/server.<generation>.log. `env` adds to its environment
// (TASKQUEUE_TEST_MAX_FILE_BYTES: see test_server_main.cc).
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& dir, int generation,
                const std::vector<std::string>& flags = {},
                std::map<std::string, std::string> env = {});
  // 0 if it did not start within 30 s.
  uint16_t port() const { return port_; }
  // The worker nodes' port (with --node_port), else 0.
  uint16_t node_port() const { return node_port_; }
  // Its HTTP pages' port (unless --http_port=-1); writes need kTestToken.
  uint16_t http_port() const { return http_port_; }
  static constexpr const char* kTestToken = "test-token";
  void Kill();
  // SIGTERM; its exit status.
  std::optional<int> Stop();

 private:
  std::optional<taskqueue_tools::ChildProcess> process_;
  uint16_t port_ = 0;
  uint16_t node_port_ = 0;
  uint16_t http_port_ = 0;
};

// Runs of each argument of test.record, from the record file in `dir`.
std::map<int64_t, int> Runs(const std::filesystem::path& dir);

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_SERVER_SERVER_PROCESS_H_
