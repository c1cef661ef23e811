#include "tests/server/server_process.h"

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "gtest/gtest.h"

namespace taskqueue_test {

int64_t Record(int64_t x, int64_t) { return x; }
std::string Fail(std::string why) { throw std::logic_error("runs remotely"); }

ServerProcess::ServerProcess(const std::filesystem::path& dir, int generation,
                             const std::vector<std::string>& flags,
                             std::map<std::string, std::string> env) {
  const char* binary = std::getenv("TEST_SERVER");
  std::filesystem::path ports = dir / ("ports." + std::to_string(generation));
  std::vector<std::string> argv = {binary != nullptr ? binary : "test_server",
                                   "--port=0",
                                   "--http_port=0",
                                   "--http_token=" + std::string(kTestToken),
                                   "--workers=2",
                                   "--journal=" + (dir / "journal").string(),
                                   "--port_file=" + ports.string()};
  argv.insert(argv.end(), flags.begin(), flags.end());  // The last one wins.
  env["TASKQUEUE_TEST_RECORD"] = (dir / "runs").string();
  process_.emplace(taskqueue_tools::ChildOptions{
      .argv = std::move(argv),
      .stderr_path =
          (dir / ("server." + std::to_string(generation) + ".log")).string(),
      .env = std::move(env),
  });
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!std::filesystem::exists(ports) &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::ifstream in(ports);
  std::string which;
  for (uint16_t port = 0; in >> which >> port;) {
    if (which == "clients") port_ = port;
    if (which == "nodes") node_port_ = port;
    if (which == "http") http_port_ = port;
  }
}

void ServerProcess::Kill() {
  process_->Signal(SIGKILL);
  EXPECT_EQ(process_->Wait(std::chrono::seconds(10)), 128 + SIGKILL);
}

std::optional<int> ServerProcess::Stop() {
  process_->Signal(SIGTERM);
  return process_->Wait(std::chrono::seconds(30));
}

std::map<int64_t, int> Runs(const std::filesystem::path& dir) {
  std::map<int64_t, int> runs;
  std::ifstream in(dir / "runs");
  for (int64_t x; in >> x;) ++runs[x];
  return runs;
}

}  // namespace taskqueue_test
