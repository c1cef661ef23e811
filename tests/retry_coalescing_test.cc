// Coalescing meets retries: a task waiting out its backoff is still queued
// (task_options.h: "a task with a non-empty key replaces the still-queued
// task with the same key"; errors.h: "A task waiting for a retry can end the
// same ways"), so a newer task with its coalesce_key replaces it: the retry
// ends as coalesced and never runs again.
#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <thread>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using test_support::Eventually;
using test_support::FailureLog;
using test_support::kBackoffOfAnHour;

// Polls `condition` for up to 10 s: long enough for any correct queue, short
// enough that a broken one fails the test quickly.
bool Within10s(const std::function<bool()>& condition) {
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// One worker, so that the plain task below runs after the worker has
// reported the batch of the failed attempt: by the time the newer task
// arrives, the supervisor has handled that report (defect 4 of issue 9: it
// forgot the key of every task of the batch there, the retry's included).
TEST(RetryCoalescingTest, ANewerTaskReplacesARetryInBackoff) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  std::atomic<int> old_runs{0};
  TaskFuture<void> old = q.submit(TaskOptions{.coalesce_key = "frame",
                                              .max_attempts = 3,
                                              .backoff = kBackoffOfAnHour},
                                  [&old_runs] {
                                    ++old_runs;
                                    throw std::runtime_error("flaky");
                                  });
  ASSERT_TRUE(Eventually([&] { return q.stats().retried == 1; }));
  q.submit([] {}).get();
  ASSERT_EQ(TaskStateName(old.handle().state()), "queued");

  std::atomic<bool> newer_ran{false};
  TaskFuture<void> newer = q.submit(TaskOptions{.coalesce_key = "frame"},
                                    [&newer_ran] { newer_ran = true; });
  newer.get();
  ASSERT_TRUE(Within10s([&] {
    return old.handle().state() == TaskState::kCoalesced;
  })) << "the retry in backoff is still "
      << TaskStateName(old.handle().state())
      << " after a newer task with its key ran";
  EXPECT_THROW(old.get(), TaskCoalescedError);
  EXPECT_TRUE(newer_ran.load());
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(old_runs.load(), 1);
  Stats stats = q.stats();
  EXPECT_EQ(stats.coalesced, 1u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_TRUE(log.Get().empty());
}

}  // namespace
}  // namespace taskqueue
