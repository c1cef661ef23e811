// TaskBatch's claim/reclaim race: every task is either run by the worker or
// taken back by the supervisor, never both, never neither.
#include "actors/scheduler/task_batch.h"

#include <atomic>
#include <deque>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

std::vector<QueuedTask> Tasks(int n, std::vector<std::atomic<int>>& runs) {
  std::vector<QueuedTask> tasks;
  for (int i = 0; i < n; ++i) {
    tasks.push_back(
        QueuedTask{[&runs, i] { ++runs[i]; }, static_cast<uint64_t>(i / 10)});
  }
  return tasks;
}

TEST(TaskBatchTest, ClaimsFrontToBackThenNothing) {
  std::vector<std::atomic<int>> runs(3);
  TaskBatch batch(Tasks(3, runs));
  for (int i = 0; i < 3; ++i) {
    QueuedTask* t = batch.Claim();
    ASSERT_NE(t, nullptr);
    std::move(t->attempt)();
    EXPECT_EQ(runs[i].load(), 1);
  }
  EXPECT_EQ(batch.Claim(), nullptr);
  EXPECT_FALSE(batch.HasUnclaimed());
}

TEST(TaskBatchTest, ClaimedCountsOnlyWhatTheWorkerClaimed) {
  std::vector<std::atomic<int>> runs(10);
  TaskBatch batch(Tasks(10, runs));
  ASSERT_NE(batch.Claim(), nullptr);
  ASSERT_NE(batch.Claim(), nullptr);
  std::deque<QueuedTask> back;
  batch.ReclaimInto(back);
  EXPECT_EQ(back.size(), 8);
  // The worker's next claim fails; the reclaimed tasks are not its own.
  EXPECT_EQ(batch.Claim(), nullptr);
  EXPECT_EQ(batch.claimed(), 2);
}

TEST(TaskBatchTest, ClaimedStopsAtTheBatchSize) {
  std::vector<std::atomic<int>> runs(2);
  TaskBatch batch(Tasks(2, runs));
  while (batch.Claim() != nullptr) {
  }
  EXPECT_EQ(batch.Claim(), nullptr);  // Claims past the end count nothing.
  EXPECT_EQ(batch.claimed(), 2);
}

TEST(TaskBatchTest, ReclaimTakesOnlyTheUnclaimedRest) {
  std::vector<std::atomic<int>> runs(5);
  TaskBatch batch(Tasks(5, runs));
  ASSERT_NE(batch.Claim(), nullptr);
  ASSERT_NE(batch.Claim(), nullptr);
  std::deque<QueuedTask> back;
  batch.ReclaimInto(back);
  EXPECT_EQ(back.size(), 3);
  EXPECT_EQ(batch.Claim(), nullptr);
  for (auto& t : back) std::move(t.attempt)();
  EXPECT_EQ(runs[2] + runs[3] + runs[4], 3);
}

TEST(TaskBatchTest, EpochRunsCoverExactlyWhatRan) {
  std::vector<std::atomic<int>> runs(25);
  TaskBatch batch(Tasks(25, runs));  // Epochs 0 x10, 1 x10, 2 x5.
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  batch.ForEachEpochRun(23, [&](uint64_t epoch, uint64_t count) {
    seen.emplace_back(epoch, count);
  });
  EXPECT_EQ(seen, (std::vector<std::pair<uint64_t, uint64_t>>{
                      {0, 10}, {1, 10}, {2, 3}}));
}

TEST(TaskBatchTest, ConcurrentClaimAndReclaimLoseNothing) {
  for (int round = 0; round < 200; ++round) {
    constexpr int kTasks = 64;
    std::vector<std::atomic<int>> runs(kTasks);
    TaskBatch batch(Tasks(kTasks, runs));
    std::thread worker([&] {
      while (QueuedTask* t = batch.Claim()) std::move(t->attempt)();
    });
    std::deque<QueuedTask> back;
    batch.ReclaimInto(back);
    worker.join();
    for (auto& t : back) std::move(t.attempt)();
    for (int i = 0; i < kTasks; ++i) ASSERT_EQ(runs[i].load(), 1) << i;
  }
}

}  // namespace
}  // namespace taskqueue::internal
