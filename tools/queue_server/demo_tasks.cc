#include "tools/queue_server/demo_tasks.h"

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace taskqueue_demo {

int64_t Square(int64_t x) { return x * x; }

int64_t SleepMs(int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return ms;
}

std::string Fail(std::string why) { throw std::runtime_error(why); }

int64_t UnixMillisNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t Flaky(int64_t down_until_unix_ms) {
  const int64_t now_ms = UnixMillisNow();
  if (now_ms < down_until_unix_ms) {
    throw std::runtime_error("demo.flaky: the service is down for another " +
                             std::to_string(down_until_unix_ms - now_ms) +
                             " ms; retry me later");
  }
  return down_until_unix_ms;
}

void AddDemoTasks(taskqueue::TaskRegistry& registry) {
  registry.Add(kSquare).Add(kSleepMs).Add(kFail).Add(kFlaky);
}

}  // namespace taskqueue_demo
