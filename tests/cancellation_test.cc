// Cancellation: TaskHandle::cancel() on a queued task (kCancelled: it never
// runs, its future fails, join does not wait for it), on a running task
// (kStopRequested: its std::stop_token is set, it is not retried), after it
// ended or on a default handle (kTooLate); clear(); handles that outlive their
// queue; and cancels racing with each other and with workers.
#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/barrier.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using test_support::Eventually;
using test_support::FailureLog;
using test_support::kBackoffOfAnHour;
using test_support::WaitForStop;
using test_support::WorkerHold;

class Cancellation : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, Cancellation, ::testing::Values(1, 2, 4));

TEST_P(Cancellation, QueuedTaskIsCancelledAndNeverRuns) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<bool> ran{false};
  TaskFuture<int> f = q.submit([&ran] {
    ran = true;
    return 1;
  });
  EXPECT_EQ(f.handle().state(), TaskState::kQueued);
  EXPECT_EQ(f.cancel(), CancelResult::kCancelled);
  EXPECT_EQ(f.handle().state(), TaskState::kCancelled);
  EXPECT_EQ(f.cancel(), CancelResult::kTooLate);  // Only once.
  hold.ReleaseAll();
  try {
    f.get();
    ADD_FAILURE() << "a cancelled task ran";
  } catch (const TaskCancelledError& e) {
    EXPECT_EQ(e.state(), TaskState::kCancelled);
  }
  JoinResult result = q.join();
  EXPECT_TRUE(result.ok());  // Cancelled is not failed.
  EXPECT_FALSE(ran.load());
  EXPECT_EQ(f.handle().attempts(), 0);
  Stats stats = q.stats();
  EXPECT_EQ(stats.cancelled, 1u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(workers() + 1));
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers()));
  EXPECT_EQ(stats.queued + stats.running, 0u);
}

TEST_P(Cancellation, CancelledAddTaskNeverRuns) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  TaskHandle keep = q.add_task(TaskOptions{}, [&ran] { ++ran; });
  TaskHandle drop = q.add_task(TaskOptions{}, [&ran] { ran += 100; });
  TaskHandle copy = drop;  // Copies refer to the same task.
  EXPECT_NE(keep.id(), 0u);
  EXPECT_NE(drop.id(), 0u);
  EXPECT_NE(keep.id(), drop.id());
  EXPECT_EQ(copy.id(), drop.id());
  EXPECT_EQ(copy.cancel(), CancelResult::kCancelled);
  EXPECT_EQ(drop.state(), TaskState::kCancelled);
  EXPECT_EQ(drop.cancel(), CancelResult::kTooLate);
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(keep.state(), TaskState::kCompleted);
  EXPECT_EQ(q.stats().cancelled, 1u);
}

TEST(CancellationTest, JoinDoesNotWaitForACancelledTask) {
  TaskQueue q(1);
  // Delayed by an hour: a join that waited for it would not return.
  TaskHandle h =
      q.add_task(TaskOptions{.run_after = std::chrono::hours(1)}, [] {});
  EXPECT_EQ(h.cancel(), CancelResult::kCancelled);
  JoinResult result = q.join_for(std::chrono::seconds(30));
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(q.stats().cancelled, 1u);
}

TEST(CancellationTest, JoinWhilePausedDoesNotWaitForACancelledTask) {
  TaskQueue q(1);
  q.pause();
  std::atomic<bool> ran{false};
  TaskHandle h = q.add_task(TaskOptions{}, [&ran] { ran = true; });
  EXPECT_EQ(h.cancel(), CancelResult::kCancelled);
  // Paused, nothing else queued: nothing left to wait for.
  EXPECT_TRUE(q.join_for(std::chrono::seconds(30)).complete);
  q.resume();
  EXPECT_TRUE(q.join().ok());
  EXPECT_FALSE(ran.load());
}

TEST_P(Cancellation, RunningTaskSeesItsStopToken) {
  TaskQueue q(workers());
  absl::Notification started;
  TaskFuture<bool> f = q.submit([&started](std::stop_token stop) {
    EXPECT_FALSE(stop.stop_requested());
    started.Notify();
    return WaitForStop(stop);
  });
  started.WaitForNotification();
  EXPECT_EQ(f.handle().state(), TaskState::kRunning);
  EXPECT_EQ(f.cancel(), CancelResult::kStopRequested);
  EXPECT_TRUE(f.get()) << "the running task never saw its stop_token set";
  EXPECT_TRUE(q.join().ok());
  // It returned normally: completed, not cancelled.
  EXPECT_EQ(f.handle().state(), TaskState::kCompleted);
  EXPECT_EQ(f.cancel(), CancelResult::kTooLate);
  Stats stats = q.stats();
  EXPECT_EQ(stats.completed, 1u);
  EXPECT_EQ(stats.cancelled, 0u);
}

TEST(CancellationTest, AddTaskWithStopTokenAndArguments) {
  TaskQueue q(1);
  absl::Notification started;
  std::atomic<bool> saw_stop{false};
  std::string got_text;
  int got_number = 0;
  TaskHandle h = q.add_task(
      TaskOptions{},
      [&](std::stop_token stop, std::string text, int number) {
        got_text = text;
        got_number = number;
        started.Notify();
        saw_stop = WaitForStop(stop);
      },
      std::string("frame"), 7);
  started.WaitForNotification();
  EXPECT_EQ(h.cancel(), CancelResult::kStopRequested);
  EXPECT_TRUE(q.join().ok());
  EXPECT_TRUE(saw_stop.load());
  EXPECT_EQ(got_text, "frame");
  EXPECT_EQ(got_number, 7);
}

TEST(CancellationTest, StopTokenIsNotSetWithoutACancel) {
  TaskQueue q(2);
  TaskFuture<bool> with_options =
      q.submit(TaskOptions{.name = "x"},
               [](std::stop_token stop) { return stop.stop_requested(); });
  TaskFuture<bool> plain =
      q.submit([](std::stop_token stop) { return stop.stop_requested(); });
  EXPECT_FALSE(with_options.get());
  EXPECT_FALSE(plain.get());
  q.join();
}

TEST(CancellationTest, StoppedTaskIsNotRetried) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  absl::Notification started;
  std::atomic<int> attempts_run{0};
  TaskHandle h = q.add_task(
      TaskOptions{.max_attempts = 3,
                  .backoff = {.initial_delay = std::chrono::milliseconds(1),
                              .jitter = 0}},
      [&](std::stop_token stop) {
        ++attempts_run;
        started.Notify();
        WaitForStop(stop);
        throw std::runtime_error("stopped");
      });
  started.WaitForNotification();
  EXPECT_EQ(h.cancel(), CancelResult::kStopRequested);
  JoinResult result = q.join();
  EXPECT_EQ(result.failed, 1u);
  EXPECT_EQ(attempts_run.load(), 1);
  EXPECT_EQ(h.attempts(), 1);
  EXPECT_EQ(h.state(), TaskState::kFailed);
  Stats stats = q.stats();
  EXPECT_EQ(stats.retried, 0u);
  EXPECT_EQ(stats.failed, 1u);
  auto reports = log.Get();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].description, "stopped");
  EXPECT_EQ(reports[0].attempts, 1);
}

// kStopRequested promises no retry also for a callable that takes no
// std::stop_token (and so has none to look at).
TEST(CancellationTest, StoppedTaskWithoutStopTokenIsNotRetried) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  absl::Notification started, release;
  std::atomic<int> attempts_run{0};
  TaskHandle h = q.add_task(
      TaskOptions{.max_attempts = 3,
                  .backoff = {.initial_delay = std::chrono::milliseconds(1),
                              .jitter = 0}},
      [&] {
        if (++attempts_run == 1) {
          started.Notify();
          release.WaitForNotificationWithTimeout(test_support::kHangGuard);
        }
        throw std::runtime_error("gave up");
      });
  started.WaitForNotification();
  EXPECT_EQ(h.cancel(), CancelResult::kStopRequested);
  release.Notify();
  EXPECT_EQ(q.join().failed, 1u);
  EXPECT_EQ(attempts_run.load(), 1);
  EXPECT_EQ(h.attempts(), 1);
  EXPECT_EQ(h.state(), TaskState::kFailed);
  EXPECT_EQ(q.stats().retried, 0u);
  auto reports = log.Get();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].attempts, 1);
}

TEST(CancellationTest, CancelAfterTheTaskEndedIsTooLate) {
  FailureLog log;
  TaskQueue q(log.Options(2));
  TaskFuture<int> done = q.submit(TaskOptions{}, [] { return 1; });
  TaskFuture<void> failed =
      q.submit(TaskOptions{}, [] { throw std::runtime_error("no"); });
  EXPECT_EQ(done.get(), 1);
  EXPECT_THROW(failed.get(), std::runtime_error);
  q.join();
  EXPECT_EQ(done.cancel(), CancelResult::kTooLate);
  EXPECT_EQ(failed.cancel(), CancelResult::kTooLate);
  EXPECT_EQ(done.handle().state(), TaskState::kCompleted);
  EXPECT_EQ(failed.handle().state(), TaskState::kFailed);
  Stats stats = q.stats();
  EXPECT_EQ(stats.cancelled, 0u);
  EXPECT_EQ(stats.completed, 1u);
  EXPECT_EQ(stats.failed, 1u);
}

TEST(CancellationTest, DefaultHandleRefersToNoTask) {
  TaskHandle h;
  EXPECT_EQ(h.cancel(), CancelResult::kTooLate);
  EXPECT_EQ(h.state(), TaskState::kCompleted);
  EXPECT_EQ(h.id(), 0u);
  EXPECT_EQ(h.attempts(), 0);
  TaskFuture<int> f;
  EXPECT_EQ(f.cancel(), CancelResult::kTooLate);
}

TEST_P(Cancellation, ClearCancelsEverythingQueuedAndCountsIt) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  std::vector<TaskHandle> handles;
  for (int i = 0; i < 3; ++i) {
    handles.push_back(
        q.add_task(TaskOptions{.name = "opt"}, [&ran] { ++ran; }));
  }
  q.add_task([&ran] { ++ran; });  // Plain tasks are cancelled too.
  q.add_task([&ran] { ++ran; });
  TaskFuture<int> f = q.submit([&ran] { return ++ran; });
  handles.push_back(q.add_task(TaskOptions{.run_after = std::chrono::hours(1)},
                               [&ran] { ++ran; }));
  EXPECT_EQ(q.clear(), 7u);
  EXPECT_THROW(f.get(), TaskCancelledError);
  for (const TaskHandle& h : handles) {
    EXPECT_EQ(h.state(), TaskState::kCancelled);
  }
  // The running tasks go on.
  Stats stats = q.stats();
  EXPECT_EQ(stats.running, static_cast<uint64_t>(workers()));
  EXPECT_EQ(stats.cancelled, 7u);
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(q.clear(), 0u);  // Nothing left.
  // The queue works as before.
  EXPECT_EQ(q.submit([] { return 5; }).get(), 5);
  EXPECT_TRUE(q.join().ok());
  stats = q.stats();
  EXPECT_EQ(stats.cancelled, 7u);
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers() + 1));
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(workers() + 8));
}

TEST(CancellationTest, ClearCancelsARetryInBackoff) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  std::atomic<int> attempts_run{0};
  TaskHandle h =
      q.add_task(TaskOptions{.max_attempts = 5, .backoff = kBackoffOfAnHour},
                 [&attempts_run] {
                   ++attempts_run;
                   throw std::runtime_error("flaky");
                 });
  ASSERT_TRUE(Eventually([&] {
    return q.stats().retried == 1 && h.state() == TaskState::kQueued;
  }));
  EXPECT_EQ(q.clear(), 1u);
  EXPECT_EQ(h.state(), TaskState::kCancelled);
  EXPECT_TRUE(q.join_for(std::chrono::seconds(30)).complete);
  EXPECT_EQ(attempts_run.load(), 1);
  EXPECT_EQ(h.attempts(), 1);
  EXPECT_TRUE(log.Get().empty());
  Stats stats = q.stats();
  EXPECT_EQ(stats.cancelled, 1u);
  EXPECT_EQ(stats.failed, 0u);
}

TEST(CancellationTest, HandleOutlivesTheQueue) {
  TaskHandle done, cancelled, delayed;
  TaskFuture<int> future;
  {
    TaskQueue q(1);
    WorkerHold hold;
    hold.Occupy(q, 1);
    done = q.add_task(TaskOptions{}, [] {});
    cancelled = q.add_task(TaskOptions{}, [] {});
    delayed =
        q.add_task(TaskOptions{.run_after = std::chrono::hours(1)}, [] {});
    future = q.submit(TaskOptions{}, [] { return 9; });
    EXPECT_EQ(cancelled.cancel(), CancelResult::kCancelled);
    hold.ReleaseAll();
  }  // Shutdown ends the delayed task as cancelled.
  EXPECT_EQ(done.state(), TaskState::kCompleted);
  EXPECT_EQ(cancelled.state(), TaskState::kCancelled);
  EXPECT_EQ(delayed.state(), TaskState::kCancelled);
  EXPECT_EQ(done.attempts(), 1);
  EXPECT_EQ(cancelled.attempts(), 0);
  EXPECT_EQ(done.cancel(), CancelResult::kTooLate);
  EXPECT_EQ(cancelled.cancel(), CancelResult::kTooLate);
  EXPECT_EQ(delayed.cancel(), CancelResult::kTooLate);
  EXPECT_EQ(future.cancel(), CancelResult::kTooLate);
  EXPECT_EQ(future.get(), 9);
}

TEST(CancellationTest, ConcurrentCancelsOfOneTaskHaveOneWinner) {
  constexpr int kThreads = 8;
  TaskQueue q(1);
  WorkerHold hold;
  hold.Occupy(q, 1);
  TaskHandle h = q.add_task(TaskOptions{}, [] {});
  absl::Barrier start(kThreads);
  std::vector<CancelResult> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.Block();
      results[i] = h.cancel();
    });
  }
  for (auto& t : threads) t.join();
  int cancelled = 0, too_late = 0;
  for (CancelResult r : results) {
    cancelled += r == CancelResult::kCancelled;
    too_late += r == CancelResult::kTooLate;
  }
  EXPECT_EQ(cancelled, 1);
  EXPECT_EQ(too_late, kThreads - 1);
  hold.ReleaseAll();
  q.join();
  EXPECT_EQ(q.stats().cancelled, 1u);
}

// Cancels race with workers starting the tasks: whatever cancel() says must
// be what happened.
TEST_P(Cancellation, CancelRacingWithStartIsConsistent) {
  constexpr int kTasks = 2000;
  TaskQueue q(workers());
  std::vector<std::atomic<int>> runs(kTasks);
  std::vector<TaskHandle> handles;
  std::vector<CancelResult> results;
  for (int i = 0; i < kTasks; ++i) {
    handles.push_back(q.add_task(
        TaskOptions{}, [&runs](std::stop_token, int id) { ++runs[id]; }, i));
    if (i % 2 == 0) results.push_back(handles.back().cancel());
  }
  EXPECT_TRUE(q.join().ok());
  uint64_t cancelled = 0;
  for (int i = 0; i < kTasks; ++i) {
    if (i % 2 == 1) {
      ASSERT_EQ(runs[i].load(), 1) << "task " << i;
      continue;
    }
    switch (results[i / 2]) {
      case CancelResult::kCancelled:
        ++cancelled;
        ASSERT_EQ(runs[i].load(), 0) << "cancelled task " << i << " ran";
        ASSERT_EQ(handles[i].state(), TaskState::kCancelled);
        break;
      case CancelResult::kStopRequested:
      case CancelResult::kTooLate:
        ASSERT_EQ(runs[i].load(), 1) << "task " << i;
        ASSERT_EQ(handles[i].state(), TaskState::kCompleted);
        break;
    }
  }
  Stats stats = q.stats();
  EXPECT_EQ(stats.cancelled, cancelled);
  EXPECT_EQ(stats.completed, kTasks - cancelled);
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(kTasks));
}

}  // namespace
}  // namespace taskqueue
