// The tasks of the stock queue server binary, to try it and its clients
// with: a user's own server links their tasks instead
// (queue_server_main.h).
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>

#include "taskqueue/named_task.h"
#include "tools/queue_server/queue_server_main.h"

namespace {

int64_t Square(int64_t x) { return x * x; }
int64_t SleepMs(int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return ms;
}
std::string Fail(std::string why) { throw std::runtime_error(why); }

}  // namespace

void taskqueue::RegisterServerTasks(TaskRegistry& registry) {
  static constexpr NamedTask<&Square> kSquare{"demo.square"};
  static constexpr NamedTask<&SleepMs> kSleepMs{"demo.sleep_ms"};
  static constexpr NamedTask<&Fail> kFail{"demo.fail"};
  registry.Add(kSquare).Add(kSleepMs).Add(kFail);
}
