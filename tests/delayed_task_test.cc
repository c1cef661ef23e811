// Delayed tasks (TaskOptions::run_after, run_at): not started before their
// time (lower bounds only), holding no worker while they wait; join waits for
// them; shutdown does not wait out a delay: the task ends as cancelled, never
// silently dropped; and a retry waiting in backoff at shutdown ends as failed.
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using std::chrono::milliseconds;
using test_support::Clock;
using test_support::Eventually;
using test_support::FailureLog;
using test_support::kBackoffOfAnHour;
using test_support::RecordingObserver;

class Delayed : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, Delayed, ::testing::Values(1, 2, 4));

TEST_P(Delayed, RunAfterIsNotStartedBeforeItsTime) {
  const auto delay = milliseconds(60);
  TaskQueue q(workers());
  const auto before_add = Clock::now();
  TaskFuture<Clock::time_point> f =
      q.submit(TaskOptions{.run_after = delay}, [] { return Clock::now(); });
  EXPECT_EQ(f.handle().state(), TaskState::kQueued);
  EXPECT_GE(f.get() - before_add, delay);
  EXPECT_TRUE(q.join().ok());
}

TEST_P(Delayed, RunAtIsNotStartedBeforeItsTime) {
  TaskQueue q(workers());
  const auto at = Clock::now() + milliseconds(60);
  TaskFuture<Clock::time_point> f =
      q.submit(TaskOptions{.run_at = at}, [] { return Clock::now(); });
  EXPECT_GE(f.get(), at);
  EXPECT_TRUE(q.join().ok());
}

TEST_P(Delayed, JoinWaitsForDelayedTasks) {
  constexpr int kTasks = 8;
  TaskQueue q(workers());
  std::atomic<int> ran{0};
  const auto before_add = Clock::now();
  for (int i = 0; i < kTasks; ++i) {
    if (i % 2 == 0) {
      q.add_task(TaskOptions{.run_after = milliseconds(10 * i)},
                 [&ran] { ++ran; });
    } else {
      q.add_task(TaskOptions{.run_at = before_add + milliseconds(10 * i)},
                 [&ran] { ++ran; });
    }
  }
  JoinResult result = q.join();
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(ran.load(), kTasks);
  EXPECT_GE(Clock::now() - before_add, milliseconds(10 * (kTasks - 1)));
  Stats stats = q.stats();
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(kTasks));
  EXPECT_EQ(stats.queued + stats.running, 0u);
}

TEST(DelayedTest, WaitingTaskHoldsNoWorkerAndCountsAsQueued) {
  TaskQueue q(1);
  std::atomic<bool> delayed_ran{false};
  TaskHandle later = q.add_task(TaskOptions{.run_after = std::chrono::hours(1)},
                                [&delayed_ran] { delayed_ran = true; });
  // The only worker is free for other work meanwhile.
  EXPECT_EQ(q.submit([] { return 1; }).get(), 1);
  // The future is ready a moment before the worker counts the task done.
  ASSERT_TRUE(Eventually([&] { return q.stats().completed == 1; }));
  Stats stats = q.stats();
  EXPECT_EQ(stats.queued, 1u);
  EXPECT_EQ(stats.running, 0u);
  EXPECT_FALSE(q.join_for(milliseconds(20)).complete);
  EXPECT_EQ(later.cancel(), CancelResult::kCancelled);
  EXPECT_TRUE(q.join().ok());
  EXPECT_FALSE(delayed_ran.load());
}

TEST_P(Delayed, ShutdownCancelsDelayedTasksInsteadOfWaiting) {
  auto observer = std::make_shared<RecordingObserver>();
  std::atomic<int> ran{0};
  TaskFuture<int> later_future;
  TaskHandle later_handle, at_handle;
  Stats stats;
  {
    TaskQueue q(QueueOptions{.num_workers = workers(), .observer = observer});
    later_future = q.submit(TaskOptions{.run_after = std::chrono::hours(1)},
                            [&ran] { return ++ran; });
    later_handle = q.add_task(
        TaskOptions{.name = "later", .run_after = std::chrono::hours(1)},
        [&ran] { ++ran; });
    at_handle =
        q.add_task(TaskOptions{.run_at = Clock::now() + std::chrono::hours(2)},
                   [&ran] { ++ran; });
    q.add_task([&ran] { ++ran; });  // Not delayed: it runs.
    q.shutdown();                   // Does not wait an hour.
    stats = q.stats();
  }
  EXPECT_EQ(ran.load(), 1);
  EXPECT_THROW(later_future.get(), TaskCancelledError);
  EXPECT_EQ(later_future.handle().state(), TaskState::kCancelled);
  EXPECT_EQ(later_handle.state(), TaskState::kCancelled);
  EXPECT_EQ(at_handle.state(), TaskState::kCancelled);
  EXPECT_EQ(stats.cancelled, 3u);
  EXPECT_EQ(stats.completed, 1u);
  EXPECT_EQ(stats.submitted, 4u);
  EXPECT_EQ(stats.queued + stats.running, 0u);
  EXPECT_EQ(stats.by_name["later"].not_run, 1u);
  // Never dropped silently: the observer heard of each.
  int not_run = 0;
  for (const auto& e : observer->All()) {
    if (e.kind == RecordingObserver::Kind::kNotRun) {
      ++not_run;
      EXPECT_EQ(e.state, TaskState::kCancelled);
    }
  }
  EXPECT_EQ(not_run, 3);
}

TEST(DelayedTest, DestructorEndsDelayedTasksAsCancelled) {
  TaskHandle h;
  TaskFuture<void> f;
  {
    TaskQueue q(1);
    h = q.add_task(TaskOptions{.run_after = std::chrono::hours(1)}, [] {});
    f = q.submit(TaskOptions{.run_after = std::chrono::hours(1)}, [] {});
  }
  EXPECT_EQ(h.state(), TaskState::kCancelled);
  EXPECT_THROW(f.get(), TaskCancelledError);
}

TEST_P(Delayed, ShutdownEndsARetryInBackoffAsFailed) {
  FailureLog log;
  auto calls = std::make_shared<std::atomic<int>>(0);
  TaskHandle fire_and_forget;
  TaskFuture<void> submitted;
  Stats stats;
  {
    TaskQueue q(log.Options(workers()));
    const TaskOptions options{.max_attempts = 5, .backoff = kBackoffOfAnHour};
    fire_and_forget = q.add_task(options, [calls] {
      ++*calls;
      throw std::runtime_error("service down");
    });
    submitted = q.submit(options, [calls] {
      ++*calls;
      throw std::runtime_error("service down too");
    });
    ASSERT_TRUE(Eventually([&] { return q.stats().retried == 2; }));
    q.shutdown();  // Does not wait an hour.
    stats = q.stats();
  }
  EXPECT_EQ(calls->load(), 2);
  EXPECT_EQ(fire_and_forget.state(), TaskState::kFailed);
  EXPECT_EQ(fire_and_forget.attempts(), 1);
  EXPECT_EQ(submitted.handle().state(), TaskState::kFailed);
  EXPECT_EQ(submitted.handle().attempts(), 1);
  // The future carries the last attempt's own exception.
  try {
    submitted.get();
    ADD_FAILURE() << "no exception";
  } catch (const TaskNotRunError& e) {
    ADD_FAILURE() << "ended as " << TaskStateName(e.state());
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "service down too");
  }
  EXPECT_EQ(stats.failed, 2u);
  EXPECT_EQ(stats.cancelled, 0u);
  EXPECT_EQ(stats.queued + stats.running, 0u);
  // Reported once, with the attempts made.
  auto reports = log.Get();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].description, "service down");
  EXPECT_EQ(reports[0].attempts, 1);
}

}  // namespace
}  // namespace taskqueue
