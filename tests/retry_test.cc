// Retries (TaskOptions::max_attempts, backoff): a flaky task runs until it
// succeeds, each attempt on fresh copies; only the final failure is reported,
// once, with its attempt count; backoff waits at least its delay (lower
// bounds only); a task in backoff holds no worker and can be cancelled; and
// invalid options or a non-copyable callable are rejected with
// std::invalid_argument.
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
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

// Retries at once (well, after 1 ms), so tests do not wait.
constexpr Backoff kQuick{.initial_delay = milliseconds(1), .jitter = 0};

class Retry : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, Retry, ::testing::Values(1, 2, 4));

TEST_P(Retry, FlakyTaskSucceedsAfterFailing) {
  for (int failures : {0, 1, 3}) {
    SCOPED_TRACE("failures: " + std::to_string(failures));
    FailureLog log;
    TaskQueue q(log.Options(workers()));
    auto calls = std::make_shared<std::atomic<int>>(0);
    TaskFuture<int> f = q.submit(
        TaskOptions{.max_attempts = 5, .backoff = kQuick},
        [calls](int fail_first) {
          int attempt = ++*calls;
          if (attempt <= fail_first) throw std::runtime_error("flaky");
          return attempt;
        },
        failures);
    JoinResult result = q.join();  // Waits for the retries too.
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(f.handle().state(), TaskState::kCompleted);
    EXPECT_EQ(f.get(), failures + 1);
    EXPECT_EQ(f.handle().attempts(), failures + 1);
    EXPECT_EQ(calls->load(), failures + 1);
    Stats stats = q.stats();
    EXPECT_EQ(stats.retried, static_cast<uint64_t>(failures));
    EXPECT_EQ(stats.completed, 1u);
    EXPECT_EQ(stats.failed, 0u);
    EXPECT_EQ(stats.submitted, 1u);
    EXPECT_TRUE(log.Get().empty());  // Retried failures are not reported.
  }
}

TEST_P(Retry, FireAndForgetFlakyTaskIsNotReported) {
  FailureLog log;
  TaskQueue q(log.Options(workers()));
  auto calls = std::make_shared<std::atomic<int>>(0);
  TaskHandle h =
      q.add_task(TaskOptions{.max_attempts = 3, .backoff = kQuick}, [calls] {
        if (++*calls < 3) throw std::runtime_error("flaky");
      });
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(h.attempts(), 3);
  EXPECT_EQ(h.state(), TaskState::kCompleted);
  EXPECT_TRUE(log.Get().empty());
  EXPECT_EQ(q.stats().retried, 2u);
}

TEST(RetryTest, EachAttemptRunsOnFreshCopies) {
  TaskQueue q(1);
  struct Seen {
    absl::Mutex mu;
    std::vector<std::pair<int, size_t>> attempts ABSL_GUARDED_BY(mu);
  };
  auto seen = std::make_shared<Seen>();
  TaskHandle h = q.add_task(
      TaskOptions{.max_attempts = 3, .backoff = kQuick},
      [seen, calls = 0](std::vector<int> values) mutable {
        size_t attempt;
        {
          absl::MutexLock lock(&seen->mu);
          seen->attempts.emplace_back(calls, values.size());
          attempt = seen->attempts.size();
        }
        ++calls;         // Would show in the next attempt if reused...
        values.clear();  // ...and so would this.
        if (attempt < 3) throw std::runtime_error("again");
      },
      std::vector<int>{1, 2});
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(h.attempts(), 3);
  absl::MutexLock lock(&seen->mu);
  EXPECT_EQ(seen->attempts,
            (std::vector<std::pair<int, size_t>>{{0, 2}, {0, 2}, {0, 2}}));
}

TEST_P(Retry, FinalFailureIsReportedOnceWithItsAttempts) {
  FailureLog log;
  TaskQueue q(log.Options(workers()));
  auto calls = std::make_shared<std::atomic<int>>(0);
  TaskHandle h =
      q.add_task(TaskOptions{.max_attempts = 3, .backoff = kQuick}, [calls] {
        throw std::runtime_error("attempt " + std::to_string(++*calls));
      });
  JoinResult result = q.join();
  EXPECT_EQ(result.failed, 1u);
  EXPECT_EQ(h.state(), TaskState::kFailed);
  EXPECT_EQ(h.attempts(), 3);
  auto reports = log.Get();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].description, "attempt 3");
  EXPECT_EQ(reports[0].attempts, 3);
  Stats stats = q.stats();
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.retried, 2u);
  EXPECT_EQ(stats.completed, 0u);
}

TEST(RetryTest, SubmitFutureGetsTheLastException) {
  FailureLog log;
  TaskQueue q(log.Options(2));
  auto calls = std::make_shared<std::atomic<int>>(0);
  TaskFuture<int> f = q.submit(
      TaskOptions{.max_attempts = 4, .backoff = kQuick}, [calls]() -> int {
        throw std::runtime_error("attempt " + std::to_string(++*calls));
      });
  try {
    f.get();
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "attempt 4");
  }
  EXPECT_EQ(q.join().failed, 1u);
  EXPECT_EQ(f.handle().attempts(), 4);
  EXPECT_TRUE(log.Get().empty());  // It went to the future only.
  EXPECT_EQ(q.stats().retried, 3u);
}

TEST(RetryTest, WithoutRetriesAFailureReportsOneAttempt) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  q.add_task([] { throw std::runtime_error("plain"); });
  q.add_task(TaskOptions{.name = "named"},
             [] { throw std::runtime_error("with options"); });
  EXPECT_EQ(q.join().failed, 2u);
  auto reports = log.Get();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].attempts, 1);
  EXPECT_EQ(reports[1].attempts, 1);
  EXPECT_EQ(q.stats().retried, 0u);
}

// Lower bounds only: the wait before attempt k + 1 is at least
// initial_delay * multiplier^(k - 1) with jitter 0.
TEST(RetryTest, BackoffWaitsBetweenAttempts) {
  const auto initial = milliseconds(30);
  FailureLog log;
  TaskQueue q(log.Options(2));
  struct Times {
    absl::Mutex mu;
    std::vector<Clock::time_point> starts ABSL_GUARDED_BY(mu);
    std::vector<Clock::time_point> ends ABSL_GUARDED_BY(mu);
  };
  auto times = std::make_shared<Times>();
  TaskHandle h = q.add_task(
      TaskOptions{.max_attempts = 3,
                  .backoff = {.initial_delay = initial,
                              .multiplier = 2.0,
                              .jitter = 0}},
      [times] {
        absl::MutexLock lock(&times->mu);
        times->starts.push_back(Clock::now());
        times->ends.push_back(Clock::now());  // Just before it throws.
        throw std::runtime_error("down");
      });
  EXPECT_EQ(q.join().failed, 1u);
  EXPECT_EQ(h.attempts(), 3);
  absl::MutexLock lock(&times->mu);
  ASSERT_EQ(times->starts.size(), 3u);
  EXPECT_GE(times->starts[1] - times->ends[0], initial);
  EXPECT_GE(times->starts[2] - times->ends[1], 2 * initial);
}

TEST(RetryTest, BackoffIsCappedByMaxDelayButStillWaitsIt) {
  const auto cap = milliseconds(40);
  FailureLog log;
  TaskQueue q(log.Options(1));
  auto times = std::make_shared<std::vector<Clock::time_point>>();
  TaskHandle h = q.add_task(
      TaskOptions{.max_attempts = 3,
                  .backoff = {.initial_delay = milliseconds(20),
                              .multiplier = 100.0,
                              .max_delay = cap,
                              .jitter = 0}},
      [times] {
        times->push_back(Clock::now());  // One worker: one attempt at a time.
        throw std::runtime_error("down");
      });
  EXPECT_EQ(q.join().failed, 1u);
  ASSERT_EQ(times->size(), 3u);
  EXPECT_GE((*times)[1] - (*times)[0], milliseconds(20));
  EXPECT_GE((*times)[2] - (*times)[1], cap);
}

TEST(RetryTest, TaskInBackoffHoldsNoWorkerAndCanBeCancelled) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  std::atomic<int> attempts_run{0};
  TaskFuture<void> flaky =
      q.submit(TaskOptions{.max_attempts = 5, .backoff = kBackoffOfAnHour},
               [&attempts_run] {
                 ++attempts_run;
                 throw std::runtime_error("flaky");
               });
  ASSERT_TRUE(Eventually([&] {
    return q.stats().retried == 1 &&
           flaky.handle().state() == TaskState::kQueued;
  }));
  ASSERT_TRUE(Eventually([&] { return q.stats().running == 0; }));
  Stats stats = q.stats();
  EXPECT_EQ(stats.queued, 1u);  // Waiting in backoff counts as queued.
  EXPECT_EQ(stats.running, 0u);
  // The only worker is free meanwhile.
  EXPECT_EQ(q.submit([] { return 2; }).get(), 2);
  EXPECT_EQ(flaky.cancel(), CancelResult::kCancelled);
  EXPECT_THROW(flaky.get(), TaskCancelledError);
  EXPECT_TRUE(q.join_for(std::chrono::seconds(30)).complete);
  EXPECT_EQ(attempts_run.load(), 1);
  EXPECT_EQ(flaky.handle().attempts(), 1);
  EXPECT_EQ(flaky.handle().state(), TaskState::kCancelled);
  EXPECT_TRUE(log.Get().empty());
  stats = q.stats();
  EXPECT_EQ(stats.cancelled, 1u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.completed, 1u);
  EXPECT_EQ(stats.queued + stats.running, 0u);
}

TEST(RetryTest, NonCopyableTaskWithRetriesIsRejected) {
  TaskQueue q(1);
  auto owned = [p = std::make_unique<int>(1)] { return *p; };
  EXPECT_THROW(q.add_task(TaskOptions{.max_attempts = 2}, std::move(owned)),
               std::invalid_argument);
  EXPECT_THROW(q.submit(TaskOptions{.max_attempts = 3},
                        [p = std::make_unique<int>(1)] { return *p; }),
               std::invalid_argument);
  EXPECT_THROW(q.add_task(
                   TaskOptions{.max_attempts = 2}, [](std::unique_ptr<int>) {},
                   std::make_unique<int>(1)),
               std::invalid_argument);
  EXPECT_EQ(q.stats().submitted, 0u);
  // With one attempt, move-only is fine.
  EXPECT_EQ(q.submit(TaskOptions{.max_attempts = 1},
                     [p = std::make_unique<int>(6)] { return *p; })
                .get(),
            6);
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(q.stats().submitted, 1u);
}

struct InvalidCase {
  const char* what;
  TaskOptions options;
};

TEST(RetryTest, InvalidOptionsAreRejectedAndNothingIsQueued) {
  const auto now = Clock::now();
  const std::vector<InvalidCase> cases = {
      {"max_attempts 0", TaskOptions{.max_attempts = 0}},
      {"max_attempts -1", TaskOptions{.max_attempts = -1}},
      {"negative run_after", TaskOptions{.run_after = milliseconds(-1)}},
      {"run_after and run_at",
       TaskOptions{.run_after = milliseconds(1), .run_at = now}},
      {"jitter above 1",
       TaskOptions{.max_attempts = 3, .backoff = {.jitter = 1.5}}},
      {"negative jitter",
       TaskOptions{.max_attempts = 3, .backoff = {.jitter = -0.1}}},
      {"multiplier below 1",
       TaskOptions{.max_attempts = 3, .backoff = {.multiplier = 0.5}}},
      {"negative initial_delay",
       TaskOptions{.max_attempts = 3,
                   .backoff = {.initial_delay = milliseconds(-1)}}},
      {"negative max_delay",
       TaskOptions{.max_attempts = 3,
                   .backoff = {.max_delay = milliseconds(-1)}}},
  };
  TaskQueue q(1);
  std::atomic<int> ran{0};
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_THROW(q.add_task(c.options, [&ran] { ++ran; }),
                 std::invalid_argument);
    EXPECT_THROW(q.submit(c.options, [&ran] { return ++ran; }),
                 std::invalid_argument);
  }
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(q.stats().submitted, 0u);
}

TEST(RetryTest, EdgesOfValidOptionsAreAccepted) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  const std::vector<TaskOptions> valid = {
      TaskOptions{.max_attempts = 1},
      TaskOptions{.run_after = milliseconds(0)},
      TaskOptions{.run_at = Clock::now() - std::chrono::seconds(1)},
      TaskOptions{.max_attempts = 2,
                  .backoff = {.initial_delay = milliseconds(0),
                              .multiplier = 1.0,
                              .max_delay = milliseconds(0),
                              .jitter = 0.0}},
      TaskOptions{.max_attempts = 2,
                  .backoff = {.initial_delay = milliseconds(1), .jitter = 1.0}},
  };
  std::atomic<int> ran{0};
  for (const TaskOptions& options : valid) {
    q.add_task(options, [&ran] { ++ran; });
  }
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), static_cast<int>(valid.size()));
}

}  // namespace
}  // namespace taskqueue
