// Destroying a queue ends every thread it started, whatever its size and
// however little CPU its threads get: the destructor never hangs, also with
// the largest pool (QueueOptions::kMaxWorkers workers) created and destroyed
// again and again.
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/watchdog.h"

namespace taskqueue {
namespace {

using test_support::Watchdog;

// Builds a queue of `workers` on a thread of the lowest priority, which every
// thread of the queue inherits, and has each worker run a task: the queue's
// threads then get the CPU only when the destroying thread does not want it,
// as on a loaded machine. Falls back to the lowest nice value where
// SCHED_IDLE is refused.
std::unique_ptr<TaskQueue> StartStarvedQueue(int workers) {
  std::unique_ptr<TaskQueue> q;
  std::thread builder([&q, workers] {
    sched_param param{};
    if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &param) != 0) {
      setpriority(PRIO_PROCESS, 0, 19);
    }
    q = std::make_unique<TaskQueue>(workers);
  });
  builder.join();
  return q;
}

// The hang this guards against (CAF 0.17.6): an exiting actor unregisters
// from the actor system before it cancels its timeouts through the system
// clock's 64-slot ring buffer. The actor system's destructor waits only for
// the unregistering, then stops the clock, and workers still between the two
// steps block for ever on the full ring buffer. Before the fix this hung
// within a few rounds.
TEST(TeardownTest, ManyStarvedWorkersAreDestroyedAgainAndAgain) {
  constexpr int kRounds = 10;
  constexpr int kWorkers = QueueOptions::kMaxWorkers;
  for (int round = 0; round < kRounds; ++round) {
    Watchdog watchdog("creating and destroying a queue of " +
                      std::to_string(kWorkers) + " workers (round " +
                      std::to_string(round) + ")");
    std::atomic<int> ran{0};
    std::unique_ptr<TaskQueue> q = StartStarvedQueue(kWorkers);
    for (int i = 0; i < kWorkers; ++i) q->add_task([&ran] { ++ran; });
    q.reset();
    ASSERT_EQ(ran.load(), kWorkers) << "round " << round;
  }
}

// The same at normal priority, as most programs build and destroy a queue.
TEST(TeardownTest, ManyWorkersAreDestroyedAgainAndAgain) {
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    Watchdog watchdog("creating and destroying a queue of " +
                      std::to_string(QueueOptions::kMaxWorkers) +
                      " workers (round " + std::to_string(round) + ")");
    std::atomic<int> ran{0};
    {
      TaskQueue q(QueueOptions::kMaxWorkers);
      for (int i = 0; i < QueueOptions::kMaxWorkers; ++i) {
        q.add_task([&ran] { ++ran; });
      }
    }
    ASSERT_EQ(ran.load(), QueueOptions::kMaxWorkers);
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
