// Destroying a queue ends every thread it started, whatever its size and
// however loaded the machine: the destructor never hangs, also with the
// largest pool (QueueOptions::kMaxWorkers workers) created and destroyed
// again and again.
#include <dirent.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/watchdog.h"

namespace taskqueue {
namespace {

using test_support::Watchdog;

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
// A sanitizer makes each of the 1,024 threads far slower to start and stop.
constexpr int kRounds = 3;
constexpr absl::Duration kRoundLimit = absl::Seconds(120);
#else
constexpr int kRounds = 10;
constexpr absl::Duration kRoundLimit = test_support::kWatchdogLimit;
#endif

// Gives every thread of this process named `name` the lowest priority (nice
// 19; Linux keeps nice values per thread). Returns how many it found.
int LowerPriorityOfThreads(const std::string& name) {
  int found = 0;
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return 0;
  while (dirent* entry = readdir(tasks)) {
    if (entry->d_name[0] == '.') continue;
    std::string comm;
    std::ifstream(std::string("/proc/self/task/") + entry->d_name + "/comm") >>
        comm;
    if (comm != name) continue;
    setpriority(PRIO_PROCESS, std::atoi(entry->d_name), 19);
    ++found;
  }
  closedir(tasks);
  return found;
}

// The hang this guards against (CAF 0.17.6): an exiting actor unregisters
// from the actor system before it cancels its timeouts through the system
// clock's 64-slot ring buffer. The actor system's destructor waits only for
// the unregistering, then stops the clock; when a large pool exits at once,
// workers that have unregistered are still waiting for the clock thread to
// drain the full buffer, and wait for ever once it has stopped.
//
// The race needs a clock thread that lags behind, as on a loaded machine:
// the test lowers the priority of CAF's clock thread ("caf.clock") alone.
// Everything else runs as usual, and the clock still gets the CPU whenever
// the others wait. Before the fix this hung within a few rounds.
TEST(TeardownTest, ManyWorkersWithASlowClockAreDestroyedAgainAndAgain) {
  constexpr int kWorkers = QueueOptions::kMaxWorkers;
  for (int round = 0; round < kRounds; ++round) {
    Watchdog watchdog("creating and destroying a queue of " +
                          std::to_string(kWorkers) + " workers (round " +
                          std::to_string(round) + ")",
                      kRoundLimit);
    std::atomic<int> ran{0};
    {
      TaskQueue q(kWorkers);
      LowerPriorityOfThreads("caf.clock");
      for (int i = 0; i < kWorkers; ++i) q.add_task([&ran] { ++ran; });
    }
    ASSERT_EQ(ran.load(), kWorkers) << "round " << round;
  }
}

// A timer the queue still has pending (a deadline an hour away, a task
// delayed for an hour, a retry in a long backoff) holds the supervisor until
// it fires; the destructor does not wait for it.
TEST(TeardownTest, PendingTimersDoNotHoldUpTheDestructor) {
  using std::chrono::hours;
  const auto now = std::chrono::steady_clock::now();
  Watchdog watchdog("destroying a queue with timers pending");
  {
    TaskQueue q(2);
    q.add_task(TaskOptions{.deadline = now + hours(1)}, [] {});
    q.join();
  }
  {
    TaskQueue q(2);
    q.add_task(TaskOptions{.run_after = hours(1)}, [] {});
  }
  {
    TaskQueue q(QueueOptions{.num_workers = 2, .on_error = [](auto&) {}});
    TaskHandle h = q.add_task(
        TaskOptions{.max_attempts = 2, .backoff = {.initial_delay = hours(1)}},
        [] { throw 1; });
    while (h.attempts() == 0 || h.state() == TaskState::kRunning) {
      std::this_thread::yield();
    }
  }
}

}  // namespace
}  // namespace taskqueue
