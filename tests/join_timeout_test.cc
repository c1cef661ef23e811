// join_for()/join_until(): complete == true when everything finished in
// time, false when time ran out first (never before the timeout), and the
// tasks themselves are not affected by a join giving up.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using std::chrono::milliseconds;
using test_support::Clock;
using test_support::FailureLog;
using test_support::WorkerHold;

class JoinTimeout : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, JoinTimeout, ::testing::Values(1, 2, 4));

TEST_P(JoinTimeout, EmptyQueueIsCompleteAtOnce) {
  TaskQueue q(workers());
  EXPECT_TRUE(q.join_for(milliseconds(0)).complete);
  JoinResult past = q.join_until(Clock::now() - std::chrono::seconds(1));
  EXPECT_TRUE(past.complete) << "nothing to wait for, yet incomplete";
  EXPECT_EQ(past.failed, 0u);
}

TEST_P(JoinTimeout, CompleteWhenDoneInTime) {
  constexpr int kTasks = 100;
  TaskQueue q(workers());
  std::atomic<int> ran{0};
  for (int i = 0; i < kTasks; ++i) q.add_task([&ran] { ++ran; });
  JoinResult result = q.join_for(std::chrono::seconds(60));
  EXPECT_TRUE(result.complete);
  EXPECT_TRUE(result.ok());
  // complete means finished: every task ran.
  EXPECT_EQ(ran.load(), kTasks);
  Stats stats = q.stats();
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(kTasks));
  EXPECT_EQ(stats.queued + stats.running, 0u);
}

TEST_P(JoinTimeout, JoinUntilCompleteWhenDoneInTime) {
  TaskQueue q(workers());
  TaskFuture<int> f = q.submit([] { return 4; });
  JoinResult result = q.join_until(Clock::now() + std::chrono::seconds(60));
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(f.get(), 4);
}

TEST_P(JoinTimeout, IncompleteWhenTimeRunsOutAndTasksGoOn) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  TaskFuture<int> queued = q.submit([&ran] { return ++ran; });
  const auto timeout = milliseconds(50);
  const auto before = Clock::now();
  JoinResult result = q.join_for(timeout);
  EXPECT_GE(Clock::now() - before, timeout);
  EXPECT_FALSE(result.complete);
  EXPECT_FALSE(result.ok());
  // The tasks did not notice.
  Stats stats = q.stats();
  EXPECT_EQ(stats.running, static_cast<uint64_t>(workers()));
  EXPECT_EQ(stats.queued, 1u);
  EXPECT_EQ(stats.cancelled + stats.expired + stats.dropped, 0u);
  EXPECT_EQ(queued.handle().state(), TaskState::kQueued);

  const auto deadline = Clock::now() + milliseconds(30);
  result = q.join_until(deadline);
  EXPECT_GE(Clock::now(), deadline);
  EXPECT_FALSE(result.complete);

  hold.ReleaseAll();
  result = q.join();
  EXPECT_TRUE(result.complete);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(queued.get(), 1);
  EXPECT_EQ(q.stats().completed, static_cast<uint64_t>(workers() + 1));
}

TEST(JoinTimeoutTest, DeadlineInThePastGivesUpAtOnce) {
  TaskQueue q(1);
  WorkerHold hold;
  hold.Occupy(q, 1);
  EXPECT_FALSE(q.join_until(Clock::now() - std::chrono::seconds(1)).complete);
  EXPECT_FALSE(q.join_for(milliseconds(-5)).complete);
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().complete);
}

// Each failure is reported by exactly one join, timed out or not.
TEST(JoinTimeoutTest, FailuresAreReportedOnceAcrossTimedOutJoins) {
  FailureLog log;
  TaskQueue q(log.Options(2));
  TaskFuture<void> failing = q.submit([] { throw std::runtime_error("x"); });
  EXPECT_THROW(failing.get(), std::runtime_error);
  WorkerHold hold;
  hold.Occupy(q, 1);
  JoinResult timed_out = q.join_for(milliseconds(20));
  EXPECT_FALSE(timed_out.complete);
  hold.ReleaseAll();
  JoinResult last = q.join();
  EXPECT_TRUE(last.complete);
  EXPECT_EQ(timed_out.failed + last.failed, 1u);
  EXPECT_EQ(q.join().failed, 0u);
}

TEST_P(JoinTimeout, SeveralTimedJoinersAtOnce) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  for (int i = 0; i < 50; ++i) q.add_task([&ran] { ++ran; });
  std::vector<std::thread> joiners;
  std::vector<JoinResult> short_results(3), long_results(3);
  for (int j = 0; j < 3; ++j) {
    joiners.emplace_back(
        [&, j] { short_results[j] = q.join_for(milliseconds(20)); });
  }
  for (auto& t : joiners) t.join();
  joiners.clear();
  for (int j = 0; j < 3; ++j) {
    joiners.emplace_back(
        [&, j] { long_results[j] = q.join_for(std::chrono::seconds(60)); });
  }
  hold.ReleaseAll();
  for (auto& t : joiners) t.join();
  for (int j = 0; j < 3; ++j) {
    EXPECT_FALSE(short_results[j].complete);
    EXPECT_TRUE(long_results[j].complete);
  }
  EXPECT_EQ(ran.load(), 50);
}

}  // namespace
}  // namespace taskqueue
