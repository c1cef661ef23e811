// Worker supervision with real actors and threads: a worker actor that dies
// is replaced, so the pool never shrinks and no task is lost. (Which task a
// dying worker fails, and that its unclaimed tasks move on, is shown one
// message at a time in supervisor_actor_test.cc.)
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "actors/actor_backend.h"
#include "gtest/gtest.h"
#include "taskqueue/task.h"

namespace taskqueue::internal {
namespace {

class SupervisionTest : public ::testing::TestWithParam<int> {};

TEST_P(SupervisionTest, ADeadWorkerIsReplacedAndThePoolKeepsItsSize) {
  const int workers = GetParam();
  ActorBackend backend(QueueOptions{.num_workers = workers});
  backend.KillWorkerForTesting(0);

  // Every worker but the replaced one blocks in a task; if the pool had
  // shrunk, the tasks after them would never run and join would hang.
  absl::Notification release;
  std::atomic<int> blocked{0};
  for (int i = 0; i < workers - 1; ++i) {
    ASSERT_TRUE(backend.Add(MakePlainAttempt([&] {
      blocked.fetch_add(1);
      release.WaitForNotification();
    })));
  }
  std::atomic<int> ran{0};
  absl::Notification all_ran;
  constexpr int kTasks = 200;
  for (int i = 0; i < kTasks; ++i) {
    ASSERT_TRUE(backend.Add(MakePlainAttempt([&] {
      if (ran.fetch_add(1) + 1 == kTasks) all_ran.Notify();
    })));
  }
  all_ran.WaitForNotification();
  release.Notify();
  backend.Join();

  Stats stats = backend.GetStats();
  EXPECT_EQ(ran.load(), kTasks);
  EXPECT_EQ(stats.completed, kTasks + workers - 1);
  EXPECT_EQ(stats.restarts, 1);
  ASSERT_EQ(stats.workers.size(), workers);
  EXPECT_EQ(stats.workers[0].restarts, 1);
  EXPECT_EQ(stats.queued + stats.running, 0);
}

TEST_P(SupervisionTest, KillingEveryWorkerRepeatedlyLosesNothing) {
  const int workers = GetParam();
  ActorBackend backend(QueueOptions{.num_workers = workers});
  std::atomic<int> ran{0};
  constexpr int kRounds = 5;
  constexpr int kTasksPerRound = 500;
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kTasksPerRound; ++i) {
      ASSERT_TRUE(backend.Add(MakePlainAttempt([&] { ran.fetch_add(1); })));
    }
    for (int w = 0; w < workers; ++w) {
      // Kill each replacement, not its dead predecessor again.
      uint64_t restarts = backend.GetStats().restarts;
      backend.KillWorkerForTesting(w);
      while (backend.GetStats().restarts == restarts) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  }
  backend.Join();
  Stats stats = backend.GetStats();
  // A worker killed between two tasks of a batch loses none of them: it
  // finishes the batch it is in, and its later batches are handed out again.
  EXPECT_EQ(ran.load(), kRounds * kTasksPerRound);
  EXPECT_EQ(stats.completed, kRounds * kTasksPerRound);
  EXPECT_EQ(stats.failed, 0);
  EXPECT_EQ(stats.restarts, kRounds * workers);
}

INSTANTIATE_TEST_SUITE_P(Workers, SupervisionTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace taskqueue::internal
