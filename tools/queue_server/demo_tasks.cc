#include "tools/queue_server/demo_tasks.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace taskqueue_demo {

int64_t Square(int64_t x) { return x * x; }

int64_t SleepMs(int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return ms;
}

std::string Fail(std::string why) { throw std::runtime_error(why); }

void AddDemoTasks(taskqueue::TaskRegistry& registry) {
  registry.Add(kSquare).Add(kSleepMs).Add(kFail);
}

}  // namespace taskqueue_demo
