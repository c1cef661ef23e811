#include "tests/remote/remote_fixture.h"

#include <cstdlib>
#include <thread>
#include <utility>

#include "tests/remote/test_tasks.h"

namespace taskqueue_test {
namespace {

std::string& Binary() {
  static std::string path;
  return path;
}

}  // namespace

const std::string& NodeBinary() { return Binary(); }
void SetNodeBinary(std::string path) { Binary() = std::move(path); }

taskqueue::QueueOptions ListeningOptions(int num_workers) {
  taskqueue::QueueOptions options;
  options.num_workers = num_workers;
  options.listen = taskqueue::ListenOptions{
      .registry = TestRegistry(),
      .heartbeat_interval = std::chrono::milliseconds(100),
      .connection_timeout = std::chrono::milliseconds(1000),
  };
  return options;
}

bool WaitFor(const std::function<bool()>& done,
             std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

int ConnectedNodes(taskqueue::TaskQueue& q) {
  int connected = 0;
  for (const auto& [name, node] : q.stats().nodes) connected += node.connected;
  return connected;
}

std::string EndCounter::CheckEachCompletedOnce(
    const std::vector<uint64_t>& ids) const {
  absl::MutexLock lock(&mu_);
  const std::map<uint64_t, int>& completed = counts_[kCompleted];
  std::string wrong;
  size_t shown = 0;
  auto note = [&](const std::string& line) {
    if (++shown <= 10) wrong += line + "\n";
  };
  for (uint64_t id : ids) {
    auto it = completed.find(id);
    int times = it == completed.end() ? 0 : it->second;
    if (times != 1) {
      note("task " + std::to_string(id) + " completed " +
           std::to_string(times) + " times");
    }
  }
  if (completed.size() != ids.size()) {
    note(std::to_string(completed.size()) + " ids completed, " +
         std::to_string(ids.size()) + " expected");
  }
  for (const auto& [id, times] : counts_[kFailed]) {
    note("task " + std::to_string(id) + " failed");
  }
  for (const auto& [id, times] : counts_[kNotRun]) {
    note("task " + std::to_string(id) + " did not run");
  }
  if (shown > 10) wrong += "... " + std::to_string(shown - 10) + " more\n";
  return wrong;
}

uint64_t EndCounter::Sum(Kind kind) const {
  absl::MutexLock lock(&mu_);
  uint64_t sum = 0;
  for (const auto& [id, times] : counts_[kind]) sum += times;
  return sum;
}

std::string NodeLog(const std::string& name) {
  // Kept with the test's outputs (outputs.zip), for a failure's post-mortem.
  const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (dir == nullptr) dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/node_" + name + ".log";
}

}  // namespace taskqueue_test
