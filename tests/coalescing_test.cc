// Coalescing (TaskOptions::coalesce_key): a task replaces the still-queued
// task with its key, which ends as coalesced; other keys and no key never
// coalesce; a running task is not interrupted and the newcomer runs after it;
// and the plotting case: of many frames added while the workers are busy,
// only the newest is drawn.
#include <atomic>
#include <stop_token>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using test_support::Eventually;
using test_support::WorkerHold;

class Coalescing : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, Coalescing, ::testing::Values(1, 2, 4));

TEST_P(Coalescing, SameKeyReplacesTheQueuedTask) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<bool> old_ran{false};
  TaskFuture<int> old_frame =
      q.submit(TaskOptions{.coalesce_key = "plot"}, [&old_ran] {
        old_ran = true;
        return 1;
      });
  TaskFuture<int> new_frame =
      q.submit(TaskOptions{.coalesce_key = "plot"}, [] { return 2; });
  ASSERT_TRUE(Eventually([&] { return q.stats().coalesced == 1; }));
  hold.ReleaseAll();
  try {
    old_frame.get();
    ADD_FAILURE() << "the replaced task ran";
  } catch (const TaskCoalescedError& e) {
    EXPECT_EQ(e.state(), TaskState::kCoalesced);
  }
  EXPECT_EQ(new_frame.get(), 2);
  EXPECT_TRUE(q.join().ok());
  EXPECT_FALSE(old_ran.load());
  EXPECT_EQ(old_frame.handle().state(), TaskState::kCoalesced);
  EXPECT_EQ(new_frame.handle().state(), TaskState::kCompleted);
  Stats stats = q.stats();
  EXPECT_EQ(stats.coalesced, 1u);
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(workers() + 2));
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers() + 1));
}

TEST_P(Coalescing, ReplacedAddTaskEndsCoalesced) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> runs_of_old{0}, runs_of_new{0};
  TaskHandle old_handle = q.add_task(TaskOptions{.coalesce_key = "k"},
                                     [&runs_of_old] { ++runs_of_old; });
  TaskHandle new_handle = q.add_task(TaskOptions{.coalesce_key = "k"},
                                     [&runs_of_new] { ++runs_of_new; });
  ASSERT_TRUE(
      Eventually([&] { return old_handle.state() == TaskState::kCoalesced; }));
  EXPECT_EQ(old_handle.cancel(), CancelResult::kTooLate);
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(runs_of_old.load(), 0);
  EXPECT_EQ(runs_of_new.load(), 1);
  EXPECT_EQ(new_handle.state(), TaskState::kCompleted);
}

TEST_P(Coalescing, DifferentKeysAndNoKeyDoNotCoalesce) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::vector<TaskFuture<std::string>> futures;
  futures.push_back(q.submit(TaskOptions{.coalesce_key = "a"},
                             [] { return std::string("a"); }));
  futures.push_back(q.submit(TaskOptions{.coalesce_key = "b"},
                             [] { return std::string("b"); }));
  futures.push_back(
      q.submit(TaskOptions{}, [] { return std::string("none1"); }));
  futures.push_back(
      q.submit(TaskOptions{}, [] { return std::string("none2"); }));
  futures.push_back(q.submit([] { return std::string("plain"); }));
  // Keys are compared whole: "a" and "a " differ.
  futures.push_back(q.submit(TaskOptions{.coalesce_key = "a "},
                             [] { return std::string("a "); }));
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(futures[0].get(), "a");
  EXPECT_EQ(futures[1].get(), "b");
  EXPECT_EQ(futures[2].get(), "none1");
  EXPECT_EQ(futures[3].get(), "none2");
  EXPECT_EQ(futures[4].get(), "plain");
  EXPECT_EQ(futures[5].get(), "a ");
  EXPECT_EQ(q.stats().coalesced, 0u);
}

TEST_P(Coalescing, RunningTaskIsNotInterruptedAndTheNewOneRunsAfter) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers() - 1);  // One worker left, for the keyed task.
  absl::Mutex mu;
  std::vector<std::string> order;
  absl::Notification first_started, release_first;
  std::atomic<bool> first_saw_stop{false};
  TaskFuture<void> first =
      q.submit(TaskOptions{.coalesce_key = "k"}, [&](std::stop_token stop) {
        first_started.Notify();
        release_first.WaitForNotificationWithTimeout(test_support::kHangGuard);
        first_saw_stop = stop.stop_requested();
        absl::MutexLock lock(&mu);
        order.push_back("first");
      });
  first_started.WaitForNotification();
  TaskFuture<void> second = q.submit(TaskOptions{.coalesce_key = "k"}, [&] {
    absl::MutexLock lock(&mu);
    order.push_back("second");
  });
  EXPECT_EQ(first.handle().state(), TaskState::kRunning);
  release_first.Notify();
  first.get();
  second.get();
  EXPECT_FALSE(first_saw_stop.load());
  {
    absl::MutexLock lock(&mu);
    EXPECT_EQ(order, (std::vector<std::string>{"first", "second"}));
  }
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  Stats stats = q.stats();
  EXPECT_EQ(stats.coalesced, 0u);
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers() + 1));
}

TEST_P(Coalescing, OnlyTheNewestFrameIsDrawn) {
  constexpr int kFrames = 100;
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  absl::Mutex mu;
  std::vector<int> drawn;
  for (int frame = 0; frame < kFrames; ++frame) {
    q.add_task(
        TaskOptions{.name = "plot", .coalesce_key = "loss-curve"},
        [&](int f) {
          absl::MutexLock lock(&mu);
          drawn.push_back(f);
        },
        frame);
  }
  ASSERT_TRUE(Eventually([&] { return q.stats().coalesced == kFrames - 1; }));
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  {
    absl::MutexLock lock(&mu);
    EXPECT_EQ(drawn, std::vector<int>{kFrames - 1});
  }
  Stats stats = q.stats();
  EXPECT_EQ(stats.coalesced, static_cast<uint64_t>(kFrames - 1));
  EXPECT_EQ(stats.by_name["plot"].submitted, static_cast<uint64_t>(kFrames));
  EXPECT_EQ(stats.by_name["plot"].completed, 1u);
  EXPECT_EQ(stats.by_name["plot"].not_run, static_cast<uint64_t>(kFrames - 1));
}

// The plotting loop itself: one worker draws frame 0 while the loop makes 99
// more; when frame 0 is done, only frame 99 is drawn.
TEST(CoalescingTest, FramesAddedWhileOneIsDrawingLeaveOnlyTheNewest) {
  constexpr int kFrames = 100;
  TaskQueue q(1);
  absl::Mutex mu;
  std::vector<int> drawn;
  absl::Notification first_drawing, release_first;
  auto draw = [&](int f) {
    if (f == 0) {
      first_drawing.Notify();
      release_first.WaitForNotificationWithTimeout(test_support::kHangGuard);
    }
    absl::MutexLock lock(&mu);
    drawn.push_back(f);
  };
  q.add_task(TaskOptions{.coalesce_key = "plot"}, draw, 0);
  first_drawing.WaitForNotification();
  for (int frame = 1; frame < kFrames; ++frame) {
    q.add_task(TaskOptions{.coalesce_key = "plot"}, draw, frame);
  }
  ASSERT_TRUE(Eventually([&] { return q.stats().coalesced == kFrames - 2; }));
  release_first.Notify();
  EXPECT_TRUE(q.join().ok());
  absl::MutexLock lock(&mu);
  EXPECT_EQ(drawn, (std::vector<int>{0, kFrames - 1}));
}

TEST(CoalescingTest, NewcomerQueuesAtTheBackOfItsPriority) {
  TaskQueue q(1);
  WorkerHold hold;
  hold.Occupy(q, 1);
  absl::Mutex mu;
  std::vector<std::string> order;
  auto record = [&](std::string what) {
    absl::MutexLock lock(&mu);
    order.push_back(what);
  };
  q.add_task(TaskOptions{.coalesce_key = "k"}, record, "old keyed");
  q.add_task(TaskOptions{}, record, "plain");
  q.add_task(TaskOptions{.coalesce_key = "k"}, record, "new keyed");
  ASSERT_TRUE(Eventually([&] { return q.stats().coalesced == 1; }));
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  absl::MutexLock lock(&mu);
  EXPECT_EQ(order, (std::vector<std::string>{"plain", "new keyed"}));
}

TEST(CoalescingTest, KeyIsFreeAgainOnceItsTaskRan) {
  TaskQueue q(2);
  TaskFuture<int> first =
      q.submit(TaskOptions{.coalesce_key = "k"}, [] { return 1; });
  EXPECT_EQ(first.get(), 1);
  q.join();
  TaskFuture<int> second =
      q.submit(TaskOptions{.coalesce_key = "k"}, [] { return 2; });
  EXPECT_EQ(second.get(), 2);
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(q.stats().coalesced, 0u);
}

TEST(CoalescingTest, CancelledTaskIsNotCoalescedAgain) {
  TaskQueue q(1);
  WorkerHold hold;
  hold.Occupy(q, 1);
  TaskFuture<int> cancelled =
      q.submit(TaskOptions{.coalesce_key = "k"}, [] { return 1; });
  EXPECT_EQ(cancelled.cancel(), CancelResult::kCancelled);
  TaskFuture<int> next =
      q.submit(TaskOptions{.coalesce_key = "k"}, [] { return 2; });
  hold.ReleaseAll();
  EXPECT_THROW(cancelled.get(), TaskCancelledError);
  EXPECT_EQ(next.get(), 2);
  q.join();
  Stats stats = q.stats();
  EXPECT_EQ(stats.cancelled, 1u);
  EXPECT_EQ(stats.coalesced, 0u);
}

}  // namespace
}  // namespace taskqueue
