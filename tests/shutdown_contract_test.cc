// Shutdown is total: after shutdown() (and while it runs) every call has a
// defined result and none throws an undocumented exception or hangs: clear()
// returns 0, pause() and resume() do nothing and paused() is false, joins
// return complete, stats() works, adds throw QueueClosedError. And paused()
// always says what the queue does, whatever pause() and resume() race.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/barrier.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"
#include "tests/watchdog.h"

namespace taskqueue {
namespace {

using std::chrono::milliseconds;
using test_support::Clock;
using test_support::Watchdog;

// Long enough for a broken queue to start a task it should not; never needed
// for a correct one.
constexpr auto kChance = milliseconds(20);

class ShutdownContract : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, ShutdownContract, ::testing::Values(1, 4));

TEST_P(ShutdownContract, EveryCallAfterShutdownHasItsDocumentedResult) {
  TaskQueue q(workers());
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) q.add_task([&ran] { ++ran; });
  q.shutdown();
  ASSERT_EQ(ran.load(), 10);

  Watchdog watchdog("calls on a queue after shutdown()");
  size_t cleared = 1;
  EXPECT_NO_THROW(cleared = q.clear());
  EXPECT_EQ(cleared, 0u);
  EXPECT_NO_THROW(q.pause());
  EXPECT_FALSE(q.paused()) << "a stopped queue reports itself paused";
  EXPECT_FALSE(q.stats().paused);
  EXPECT_NO_THROW(q.resume());
  EXPECT_FALSE(q.paused());
  EXPECT_TRUE(q.join().complete);
  EXPECT_TRUE(q.join_for(milliseconds(0)).complete);
  EXPECT_TRUE(q.join_until(Clock::now() - milliseconds(1)).complete);
  EXPECT_THROW(q.add_task([] {}), QueueClosedError);
  EXPECT_THROW(q.add_task(TaskOptions{.name = "late"}, [] {}),
               QueueClosedError);
  EXPECT_THROW(q.submit([] { return 1; }), QueueClosedError);
  EXPECT_NO_THROW(q.shutdown());  // Idempotent.
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, 10u);
  EXPECT_EQ(stats.completed, 10u);
  EXPECT_EQ(stats.queued + stats.running, 0u);
  EXPECT_TRUE(stats.by_name.empty()) << "a refused task was counted by name";
}

// A pause() before shutdown() is undone by it: the stopped queue is not
// paused, and a later pause() does not make it so.
TEST_P(ShutdownContract, APausedQueueIsNotPausedOnceStopped) {
  TaskQueue q(workers());
  q.pause();
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) q.add_task([&ran] { ++ran; });
  q.shutdown();
  EXPECT_EQ(ran.load(), 5);
  EXPECT_FALSE(q.paused());
  q.pause();
  EXPECT_FALSE(q.paused());
  EXPECT_FALSE(q.stats().paused);
}

// clear() from other threads while shutdown() runs and after it: each call
// returns a count (0 once shutdown began) and never throws.
TEST_P(ShutdownContract, ClearRacingShutdownNeverThrows) {
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    TaskQueue q(workers());
    for (int i = 0; i < 20; ++i) q.add_task([] {});
    Watchdog watchdog("clear() racing shutdown()");
    std::atomic<bool> stopped{false};
    std::atomic<int> throws{0};
    std::thread clearer([&] {
      // Also once after shutdown() has returned.
      for (bool last = false; !last;) {
        last = stopped.load();
        try {
          q.clear();
        } catch (...) {
          ++throws;
        }
      }
    });
    q.shutdown();
    stopped = true;
    clearer.join();
    ASSERT_EQ(throws.load(), 0) << "in round " << round;
  }
}

// Blocks until shutdown() has begun on `q`, as an add_task() that throws
// QueueClosedError shows. The tasks it adds meanwhile do nothing.
void AwaitShutdownBegun(TaskQueue& q) {
  for (;;) {
    try {
      q.add_task([] {});
    } catch (const QueueClosedError&) {
      return;
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
}

// A pause() from another thread once shutdown() has begun does nothing:
// shutdown still runs every accepted task and returns.
TEST_P(ShutdownContract, PauseDuringShutdownDoesNotHoldItUp) {
  TaskQueue q(workers());
  test_support::WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) q.add_task([&ran] { ++ran; });
  Watchdog watchdog("shutdown() after a pause() during it");
  std::thread stopper([&q] { q.shutdown(); });
  AwaitShutdownBegun(q);
  q.pause();
  EXPECT_FALSE(q.paused()) << "pause() took effect during shutdown()";
  hold.ReleaseAll();
  stopper.join();
  EXPECT_EQ(ran.load(), 10);
  EXPECT_FALSE(q.paused());
}

// The same pause() from a task of the queue, which the header allows.
TEST_P(ShutdownContract, PauseFromATaskDuringShutdownDoesNotHoldItUp) {
  TaskQueue q(workers());
  absl::Notification shutdown_begun;
  std::atomic<bool> paused_in_task{true};
  q.add_task([&] {
    shutdown_begun.WaitForNotification();
    q.pause();
    paused_in_task = q.paused();
  });
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) q.add_task([&ran] { ++ran; });
  Watchdog watchdog("shutdown() after a task's pause() during it");
  std::thread stopper([&q] { q.shutdown(); });
  AwaitShutdownBegun(q);
  shutdown_begun.Notify();
  stopper.join();
  EXPECT_FALSE(paused_in_task.load());
  EXPECT_EQ(ran.load(), 10);
  EXPECT_FALSE(q.paused());
}

// Counts OnQueued; yields in it, as a hook that does a little work would.
class QueuedCounter : public TaskObserver {
 public:
  void OnQueued(const TaskEvent&) override {
    queued.fetch_add(1);
    std::this_thread::yield();
  }
  std::atomic<uint64_t> queued{0};
};

// Producers race shutdown(): every add either returns (the task was
// accepted: counted in stats().submitted, by name, and by OnQueued) or
// throws QueueClosedError (the task was never reported anywhere), so the
// counts balance exactly. With an observer, and with named tasks only.
TEST_P(ShutdownContract, RefusedTasksAreNeverReportedAsQueued) {
  constexpr int kRounds = 20;
  constexpr int kProducers = 3;
  for (bool observed : {true, false}) {
    for (int round = 0; round < kRounds; ++round) {
      auto counter = std::make_shared<QueuedCounter>();
      TaskQueue q(QueueOptions{.num_workers = workers(),
                               .observer = observed ? counter : nullptr});
      std::atomic<uint64_t> accepted{0};
      std::atomic<uint64_t> named{0};
      std::vector<std::thread> producers;
      for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&, p] {
          try {
            for (int i = p;; ++i) {
              if (i % 3 == 0) {
                q.add_task(TaskOptions{.name = "named"}, [] {});
                ++named;
              } else if (i % 3 == 1) {
                q.submit(TaskOptions{.name = "named"}, [] { return 1; });
                ++named;
              } else {
                q.add_task([] {});
              }
              ++accepted;
            }
          } catch (const QueueClosedError&) {
          }
        });
      }
      while (accepted.load() < 50) std::this_thread::yield();
      {
        Watchdog watchdog("shutdown() racing producers");
        q.shutdown();
        for (auto& producer : producers) producer.join();
      }
      Stats stats = q.stats();
      EXPECT_EQ(stats.submitted, accepted.load());
      EXPECT_EQ(stats.by_name["named"].submitted, named.load())
          << "observed: " << observed << ", round " << round;
      EXPECT_EQ(stats.by_name["named"].completed, named.load());
      if (observed) {
        EXPECT_EQ(counter->queued.load(), accepted.load())
            << "OnQueued for a task that add_task refused, round " << round;
      }
      if (HasFailure()) return;
    }
  }
}

// pause() and resume() racing each other: once both have returned, paused()
// says what the queue does. When it says paused, no task starts; when it
// says running, tasks run.
TEST(ShutdownContractTest, PausedAgreesWithTheQueueWhenPauseRacesResume) {
  constexpr int kRounds = 200;
  TaskQueue q(2);
  int disagreements = 0;
  for (int round = 0; round < kRounds; ++round) {
    q.resume();
    ASSERT_TRUE(q.join().ok());
    if (round % 2 == 1) q.pause();  // Both orders of the two states.
    absl::Barrier* start = new absl::Barrier(2);
    std::thread pauser([&] {
      if (start->Block()) delete start;
      q.pause();
    });
    std::thread resumer([&] {
      if (start->Block()) delete start;
      q.resume();
    });
    pauser.join();
    resumer.join();
    // Shared: a task held by a pause runs in a later round.
    auto ran = std::make_shared<std::atomic<bool>>(false);
    q.add_task([ran] { *ran = true; });
    if (q.paused()) {
      std::this_thread::sleep_for(kChance);
      if (ran->load()) ++disagreements;
    } else {
      Watchdog watchdog("join() on a queue that says it is not paused");
      q.join();
      if (!ran->load()) ++disagreements;
    }
  }
  q.resume();
  EXPECT_EQ(disagreements, 0)
      << "paused() said one thing and the queue did the other, in "
      << disagreements << " of " << kRounds << " rounds";
}

}  // namespace
}  // namespace taskqueue
