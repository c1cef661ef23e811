// pause()/resume(): while paused no task starts (also tasks already handed to
// a worker), running ones finish, join_for times out and join waits for
// resume(); tasks can still be added, cancelled, coalesced and expire; and
// shutdown() resumes a paused queue.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using std::chrono::milliseconds;
using test_support::Clock;
using test_support::Eventually;
using test_support::WorkerHold;

// Long enough for a broken queue to start a task it should not; never needed
// for a correct one.
constexpr auto kChance = milliseconds(50);

class Pause : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, Pause, ::testing::Values(1, 2, 4));

TEST_P(Pause, PausedQueueStartsNothing) {
  constexpr int kTasks = 20;
  TaskQueue q(workers());
  EXPECT_FALSE(q.paused());
  q.pause();
  EXPECT_TRUE(q.paused());
  EXPECT_TRUE(q.stats().paused);
  std::atomic<int> ran{0};
  std::vector<TaskFuture<void>> futures;
  for (int i = 0; i < kTasks; ++i) {
    if (i % 3 == 0) q.add_task([&ran] { ++ran; });
    if (i % 3 == 1) q.add_task(TaskOptions{.priority = i}, [&ran] { ++ran; });
    if (i % 3 == 2) futures.push_back(q.submit([&ran] { ++ran; }));
  }
  std::this_thread::sleep_for(kChance);
  EXPECT_EQ(ran.load(), 0);
  Stats stats = q.stats();
  EXPECT_EQ(stats.running, 0u);
  EXPECT_EQ(stats.queued, static_cast<uint64_t>(kTasks));
  q.resume();
  EXPECT_FALSE(q.paused());
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), kTasks);
  for (auto& f : futures) f.get();
  EXPECT_FALSE(q.stats().paused);
}

// Tasks added while every worker was busy may already be handed to a worker;
// they must not start either once pause() has returned.
TEST_P(Pause, RunningTasksFinishAndQueuedOnesWait) {
  constexpr int kTasks = 20;
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  for (int i = 0; i < kTasks; ++i) q.add_task([&ran] { ++ran; });
  q.pause();
  hold.ReleaseAll();
  hold.WaitFinished(workers());  // The running tasks finish.
  ASSERT_TRUE(Eventually([&] {
    Stats s = q.stats();
    return s.running == 0 && s.completed == static_cast<uint64_t>(workers());
  }));
  std::this_thread::sleep_for(kChance);
  EXPECT_EQ(ran.load(), 0);
  Stats stats = q.stats();
  EXPECT_EQ(stats.queued, static_cast<uint64_t>(kTasks));
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers()));
  q.resume();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), kTasks);
}

TEST_P(Pause, JoinForTimesOutWhilePaused) {
  TaskQueue q(workers());
  q.pause();
  std::atomic<bool> ran{false};
  q.add_task([&ran] { ran = true; });
  const auto timeout = milliseconds(100);
  const auto before = Clock::now();
  JoinResult result = q.join_for(timeout);
  EXPECT_GE(Clock::now() - before, timeout);
  EXPECT_FALSE(result.complete);
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(ran.load());
  EXPECT_TRUE(q.paused());  // A timed-out join changes nothing.
  q.resume();
  result = q.join();
  EXPECT_TRUE(result.complete);
  EXPECT_TRUE(ran.load());
}

// The mix from the issue: pause, a join_for that times out, more tasks,
// another join_for, then resume: everything runs and join completes.
TEST_P(Pause, PauseJoinForResumeThenJoin) {
  TaskQueue q(workers());
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) q.add_task([&ran] { ++ran; });
  EXPECT_TRUE(q.join().ok());
  q.pause();
  for (int i = 0; i < 10; ++i) q.add_task([&ran] { ++ran; });
  EXPECT_FALSE(q.join_for(milliseconds(20)).complete);
  for (int i = 0; i < 10; ++i) {
    q.add_task(TaskOptions{.name = "late"}, [&ran] { ++ran; });
  }
  EXPECT_FALSE(q.join_until(Clock::now() + milliseconds(20)).complete);
  EXPECT_EQ(ran.load(), 10);
  q.resume();
  JoinResult result = q.join();
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(ran.load(), 30);
  // And again: the queue is not left in a strange state.
  q.pause();
  q.add_task([&ran] { ++ran; });
  EXPECT_FALSE(q.join_for(milliseconds(1)).complete);
  q.resume();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 31);
}

TEST_P(Pause, JoinWhilePausedWaitsForResume) {
  TaskQueue q(workers());
  q.pause();
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) q.add_task([&ran] { ++ran; });
  std::atomic<bool> joined{false};
  std::atomic<int> ran_at_join{-1};
  std::thread joiner([&] {
    q.join();
    ran_at_join = ran.load();
    joined = true;
  });
  std::this_thread::sleep_for(kChance);
  EXPECT_FALSE(joined.load());
  q.resume();
  joiner.join();
  EXPECT_EQ(ran_at_join.load(), 5);
}

TEST(PauseTest, PauseAndResumeAreIdempotent) {
  TaskQueue q(2);
  q.resume();  // Not paused: nothing happens.
  EXPECT_FALSE(q.paused());
  q.pause();
  q.pause();
  EXPECT_TRUE(q.paused());
  std::atomic<int> ran{0};
  q.add_task([&ran] { ++ran; });
  q.resume();
  q.resume();
  EXPECT_FALSE(q.paused());
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 1);
}

TEST(PauseTest, WhilePausedTasksAreCancelledCoalescedAndExpire) {
  TaskQueue q(1);
  q.pause();
  std::atomic<int> ran{0};
  TaskFuture<void> cancelled = q.submit(TaskOptions{}, [&ran] { ran += 1; });
  EXPECT_EQ(cancelled.cancel(), CancelResult::kCancelled);
  TaskFuture<void> old_frame =
      q.submit(TaskOptions{.coalesce_key = "k"}, [&ran] { ran += 10; });
  TaskFuture<void> new_frame =
      q.submit(TaskOptions{.coalesce_key = "k"}, [&ran] { ran += 100; });
  TaskFuture<void> expiring =
      q.submit(TaskOptions{.deadline = Clock::now() + milliseconds(20)},
               [&ran] { ran += 1000; });
  // All three end while the queue is still paused.
  EXPECT_THROW(cancelled.get(), TaskCancelledError);
  EXPECT_THROW(old_frame.get(), TaskCoalescedError);
  EXPECT_THROW(expiring.get(), TaskExpiredError);
  EXPECT_TRUE(q.paused());
  EXPECT_EQ(ran.load(), 0);
  q.resume();
  new_frame.get();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 100);
  Stats stats = q.stats();
  EXPECT_EQ(stats.cancelled, 1u);
  EXPECT_EQ(stats.coalesced, 1u);
  EXPECT_EQ(stats.expired, 1u);
  EXPECT_EQ(stats.completed, 1u);
}

TEST_P(Pause, ShutdownResumesAPausedQueue) {
  constexpr int kTasks = 10;
  TaskQueue q(workers());
  q.pause();
  std::atomic<int> ran{0};
  for (int i = 0; i < kTasks; ++i) q.add_task([&ran] { ++ran; });
  q.shutdown();
  EXPECT_EQ(ran.load(), kTasks);
  EXPECT_FALSE(q.paused());
}

TEST(PauseTest, TaskCanPauseItsOwnQueue) {
  TaskQueue q(1);
  std::atomic<bool> later_ran{false};
  absl::Notification paused;
  q.add_task([&] {
    q.pause();
    paused.Notify();
  });
  q.add_task([&later_ran] { later_ran = true; });
  paused.WaitForNotification();
  std::this_thread::sleep_for(kChance);
  EXPECT_FALSE(later_ran.load());
  EXPECT_TRUE(q.paused());
  q.resume();
  EXPECT_TRUE(q.join().ok());
  EXPECT_TRUE(later_ran.load());
}

}  // namespace
}  // namespace taskqueue
