// Deadlines (TaskOptions::deadline): a task not started by its deadline is
// not run, ends as expired (TaskExpiredError, Stats::expired) at the deadline
// and not before, even while every worker is busy, and join stops waiting for
// it; a task that started in time is never interrupted: its std::stop_token
// is set at the deadline, and it is not retried after that.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <stop_token>
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
using test_support::FailureLog;
using test_support::WaitForStop;
using test_support::WorkerHold;

// For tasks that must start before their deadline: far more than an idle
// worker needs. Tests that depend on it skip when a machine is slower still.
constexpr auto kStartMargin = std::chrono::seconds(1);

class Deadline : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, Deadline, ::testing::Values(1, 2, 4));

TEST_P(Deadline, TaskNotStartedByItsDeadlineExpiresWhileWorkersAreBusy) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<bool> ran{false};
  const auto deadline = Clock::now() + milliseconds(50);
  TaskFuture<int> f = q.submit(TaskOptions{.deadline = deadline}, [&ran] {
    ran = true;
    return 1;
  });
  // Every worker is still held: the future must fail at the deadline, not
  // when a worker comes free.
  try {
    f.get();
    ADD_FAILURE() << "a task past its deadline ran";
  } catch (const TaskExpiredError& e) {
    EXPECT_EQ(e.state(), TaskState::kExpired);
  }
  EXPECT_GE(Clock::now(), deadline) << "expired before its deadline";
  EXPECT_EQ(f.handle().state(), TaskState::kExpired);
  EXPECT_EQ(f.cancel(), CancelResult::kTooLate);
  EXPECT_TRUE(Eventually([&] { return q.stats().expired == 1; }));
  Stats stats = q.stats();
  EXPECT_EQ(stats.running, static_cast<uint64_t>(workers()));
  EXPECT_EQ(stats.queued, 0u);
  hold.ReleaseAll();
  JoinResult result = q.join();
  EXPECT_TRUE(result.ok());  // Expired is not failed.
  EXPECT_FALSE(ran.load());
  EXPECT_EQ(f.handle().attempts(), 0);
  stats = q.stats();
  EXPECT_EQ(stats.expired, 1u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers()));
}

TEST_P(Deadline, ExpiredTasksDoNotHoldUpTheOthers) {
  constexpr int kEach = 10;
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> expiring_ran{0}, others_ran{0};
  std::vector<TaskHandle> expiring;
  const auto deadline = Clock::now() + milliseconds(30);
  for (int i = 0; i < kEach; ++i) {
    expiring.push_back(
        q.add_task(TaskOptions{.name = "late", .deadline = deadline},
                   [&expiring_ran] { ++expiring_ran; }));
    q.add_task(TaskOptions{.name = "whenever"},
               [&others_ran] { ++others_ran; });
  }
  ASSERT_TRUE(Eventually([&] { return q.stats().expired == kEach; }));
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(expiring_ran.load(), 0);
  EXPECT_EQ(others_ran.load(), kEach);
  for (const TaskHandle& h : expiring) {
    EXPECT_EQ(h.state(), TaskState::kExpired);
  }
  Stats stats = q.stats();
  EXPECT_EQ(stats.by_name["late"].not_run, static_cast<uint64_t>(kEach));
  EXPECT_EQ(stats.by_name["whenever"].completed, static_cast<uint64_t>(kEach));
}

// Deadlines that fall while tasks are being handed out and run: each task
// either runs once or expires without running.
TEST_P(Deadline, ManyTasksRaceTheirDeadlines) {
  constexpr int kTasks = 3000;
  TaskQueue q(workers());
  std::vector<std::atomic<int>> runs(kTasks);
  std::vector<TaskFuture<int>> futures;
  const auto start = Clock::now();
  for (int i = 0; i < kTasks; ++i) {
    futures.push_back(q.submit(
        TaskOptions{.deadline = start + std::chrono::microseconds(10 * i)},
        [&runs](int id) {
          ++runs[id];
          return id;
        },
        i));
  }
  EXPECT_TRUE(q.join().ok());
  uint64_t expired = 0;
  for (int i = 0; i < kTasks; ++i) {
    try {
      EXPECT_EQ(futures[i].get(), i);
      EXPECT_EQ(runs[i].load(), 1) << "task " << i;
    } catch (const TaskExpiredError&) {
      ++expired;
      EXPECT_EQ(runs[i].load(), 0) << "task " << i;
    }
  }
  Stats stats = q.stats();
  EXPECT_EQ(stats.expired, expired);
  EXPECT_EQ(stats.completed + stats.expired, static_cast<uint64_t>(kTasks));
  EXPECT_EQ(stats.queued + stats.running, 0u);
}

TEST(DeadlineTest, DeadlineAlreadyPassedNeverRuns) {
  TaskQueue q(2);
  std::atomic<bool> ran{false};
  TaskFuture<void> f =
      q.submit(TaskOptions{.deadline = Clock::now() - std::chrono::seconds(1)},
               [&ran] { ran = true; });
  EXPECT_THROW(f.get(), TaskExpiredError);
  EXPECT_TRUE(q.join().ok());
  EXPECT_FALSE(ran.load());
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, 1u);
  EXPECT_EQ(stats.expired, 1u);
}

// No worker can take the task (the queue is paused): join must stop waiting
// for it at its deadline instead of waiting for resume().
TEST(DeadlineTest, JoinStopsWaitingAtTheDeadlineWhilePaused) {
  TaskQueue q(1);
  q.pause();
  const auto deadline = Clock::now() + milliseconds(50);
  TaskHandle h = q.add_task(TaskOptions{.deadline = deadline}, [] {});
  JoinResult result = q.join_for(std::chrono::seconds(30));
  EXPECT_TRUE(result.complete);
  EXPECT_GE(Clock::now(), deadline);
  EXPECT_EQ(h.state(), TaskState::kExpired);
  EXPECT_EQ(q.stats().expired, 1u);
  q.resume();
}

// Delayed past its deadline, the task can never start; join waits for the
// deadline, not for the delay.
TEST(DeadlineTest, JoinStopsWaitingAtTheDeadlineOfADelayedTask) {
  TaskQueue q(1);
  const auto deadline = Clock::now() + milliseconds(50);
  std::atomic<bool> ran{false};
  TaskHandle h = q.add_task(
      TaskOptions{.deadline = deadline, .run_after = std::chrono::hours(1)},
      [&ran] { ran = true; });
  JoinResult result = q.join_for(std::chrono::seconds(30));
  EXPECT_TRUE(result.complete);
  EXPECT_GE(Clock::now(), deadline);
  EXPECT_EQ(h.state(), TaskState::kExpired);
  EXPECT_FALSE(ran.load());
}

TEST_P(Deadline, RunningTaskSeesItsStopTokenAtTheDeadline) {
  TaskQueue q(workers());
  const auto deadline = Clock::now() + kStartMargin;
  TaskFuture<Clock::time_point> f =
      q.submit(TaskOptions{.deadline = deadline}, [](std::stop_token stop) {
        EXPECT_TRUE(WaitForStop(stop));
        return Clock::now();  // It can stop: it returns.
      });
  Clock::time_point stopped_at;
  try {
    stopped_at = f.get();
  } catch (const TaskExpiredError&) {
    GTEST_SKIP() << "the task did not start within " << kStartMargin.count()
                 << " s";
  }
  EXPECT_GE(stopped_at, deadline) << "stop requested before the deadline";
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(f.handle().state(), TaskState::kCompleted);
  Stats stats = q.stats();
  EXPECT_EQ(stats.completed, 1u);
  EXPECT_EQ(stats.expired, 0u);
}

TEST(DeadlineTest, RunningTaskIsNotInterruptedPastItsDeadline) {
  TaskQueue q(1);
  const auto deadline = Clock::now() + kStartMargin;
  absl::Notification started, release;
  TaskFuture<int> f = q.submit(TaskOptions{.deadline = deadline}, [&] {
    started.Notify();
    release.WaitForNotificationWithTimeout(test_support::kHangGuard);
    return 5;
  });
  ASSERT_TRUE(Eventually([&] {
    return started.HasBeenNotified() ||
           f.handle().state() == TaskState::kExpired;
  }));
  if (!started.HasBeenNotified()) {
    GTEST_SKIP() << "the task did not start before its deadline";
  }
  std::this_thread::sleep_until(deadline + milliseconds(20));
  EXPECT_EQ(f.handle().state(), TaskState::kRunning);
  release.Notify();
  EXPECT_EQ(f.get(), 5);
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(f.handle().state(), TaskState::kCompleted);
  EXPECT_EQ(q.stats().expired, 0u);
}

TEST(DeadlineTest, TaskStoppedByItsDeadlineIsNotRetried) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  const auto deadline = Clock::now() + kStartMargin;
  std::atomic<int> attempts_run{0};
  TaskHandle h = q.add_task(
      TaskOptions{.deadline = deadline,
                  .max_attempts = 3,
                  .backoff = {.initial_delay = milliseconds(1), .jitter = 0}},
      [&attempts_run](std::stop_token stop) {
        ++attempts_run;
        WaitForStop(stop);
        throw std::runtime_error("stopped at the deadline");
      });
  JoinResult result = q.join();
  if (h.state() == TaskState::kExpired) {
    GTEST_SKIP() << "the task did not start before its deadline";
  }
  EXPECT_EQ(result.failed, 1u);
  EXPECT_EQ(h.state(), TaskState::kFailed);
  EXPECT_EQ(attempts_run.load(), 1);
  EXPECT_EQ(h.attempts(), 1);
  EXPECT_EQ(q.stats().retried, 0u);
  auto reports = log.Get();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].attempts, 1);
}

// The same for a callable without a std::stop_token: its deadline passed
// while it ran, so it is not retried.
TEST(DeadlineTest, TaskWithoutStopTokenPastItsDeadlineIsNotRetried) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  const auto deadline = Clock::now() + kStartMargin;
  absl::Notification started;
  std::atomic<int> attempts_run{0};
  TaskHandle h = q.add_task(
      TaskOptions{.deadline = deadline,
                  .max_attempts = 3,
                  .backoff = {.initial_delay = milliseconds(1), .jitter = 0}},
      [&] {
        if (++attempts_run == 1) {
          started.Notify();
          std::this_thread::sleep_until(deadline + milliseconds(20));
        }
        throw std::runtime_error("too slow");
      });
  JoinResult result = q.join();
  if (!started.HasBeenNotified()) {
    GTEST_SKIP() << "the task did not start before its deadline";
  }
  EXPECT_EQ(result.failed, 1u);
  EXPECT_EQ(h.state(), TaskState::kFailed);
  EXPECT_EQ(attempts_run.load(), 1);
  EXPECT_EQ(q.stats().retried, 0u);
}

}  // namespace
}  // namespace taskqueue
