// TaskLifecycle: every state change of a task, who may make it, and what it
// reports. Driven directly on a fake clock, with no threads; a recording
// sink keeps every transition.
#include "actors/lifecycle/task_lifecycle.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/lifecycle/transition.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using std::chrono::seconds;

TimePoint At(Clock::duration since_start) { return TimePoint() + since_start; }

// One transition, with what a test checks of it.
struct Entry {
  uint64_t id = 0;  // 0 for a plain task.
  TaskState from = TaskState::kQueued;
  TaskState to = TaskState::kQueued;
  bool retry = false;
  int worker = -1;
  int attempt = 0;
  std::string failure;       // The failure's description, if any.
  int failure_attempts = 0;  // The failure's attempts, if any.
  TimePoint now{};

  bool operator==(const Entry&) const = default;
};

void PrintTo(const Entry& e, std::ostream* os) {
  *os << "{id " << e.id << ", " << TaskStateName(e.from) << " -> "
      << TaskStateName(e.to) << (e.retry ? " (retry)" : "") << ", worker "
      << e.worker << ", attempt " << e.attempt << ", failure \"" << e.failure
      << "\" x" << e.failure_attempts << ", now "
      << e.now.time_since_epoch().count() << "}";
}

class RecordingSink : public LifecycleSink {
 public:
  void Record(const Transition& t) override {
    entries.push_back({.id = t.control != nullptr ? t.control->id : 0,
                       .from = t.from,
                       .to = t.to,
                       .retry = t.retry,
                       .worker = t.worker,
                       .attempt = t.attempt,
                       .failure = t.failure ? t.failure->description : "",
                       .failure_attempts = t.failure ? t.failure->attempts : 0,
                       .now = t.now});
    // The state has changed by the time the sink hears of it (but for a
    // retry's, which is about to).
    if (t.control != nullptr) states_seen.push_back(t.control->state.load());
    if (on_record) on_record(t);
  }
  bool wants_plain_queued() const override { return wants_plain; }

  std::vector<Entry> entries;
  std::vector<TaskState> states_seen;
  bool wants_plain = false;
  // Called after each record, on the reporting thread.
  std::function<void(const Transition&)> on_record;
};

// What an attempt that threw std::runtime_error(`what`) leaves behind.
TaskFailure Failure(const std::string& what) {
  try {
    throw std::runtime_error(what);
  } catch (...) {
    return TaskFailure::FromCurrentException();
  }
}

class TaskLifecycleTest : public ::testing::Test {
 protected:
  // A task `id` with `max_attempts`; with more than one, it can build its
  // next attempt.
  static ControlRef Task(uint64_t id, int max_attempts = 1) {
    ControlRef task = ControlRef::Make();
    task->id = id;
    task->options.max_attempts = max_attempts;
    if (max_attempts > 1) {
      task->make_attempt = [] { return Attempt([] {}); };
    }
    return task;
  }

  RecordingSink sink_;
  TaskLifecycle lifecycle_{sink_};
};

TEST_F(TaskLifecycleTest, QueuedIsReported) {
  ControlRef task = Task(1);
  lifecycle_.Queued(task.get());
  EXPECT_THAT(sink_.entries, ElementsAre(Entry{.id = 1}));
  EXPECT_EQ(task->state.load(), TaskState::kQueued);
}

TEST_F(TaskLifecycleTest, WantsPlainQueuedAsksTheSink) {
  EXPECT_FALSE(lifecycle_.wants_plain_queued());
  sink_.wants_plain = true;
  EXPECT_TRUE(lifecycle_.wants_plain_queued());
}

TEST_F(TaskLifecycleTest, StartRunsAQueuedTaskAndCountsTheAttempt) {
  ControlRef task = Task(1);
  EXPECT_TRUE(lifecycle_.Start(task.get(), 2, At(seconds(3))));
  EXPECT_EQ(task->state.load(), TaskState::kRunning);
  EXPECT_EQ(task->attempts.load(), 1);
  EXPECT_EQ(task->started_at, At(seconds(3)));
  EXPECT_THAT(sink_.entries, ElementsAre(Entry{.id = 1,
                                               .from = TaskState::kQueued,
                                               .to = TaskState::kRunning,
                                               .worker = 2,
                                               .attempt = 1,
                                               .now = At(seconds(3))}));
  EXPECT_THAT(sink_.states_seen, ElementsAre(TaskState::kRunning));
}

TEST_F(TaskLifecycleTest, StartRefusesATaskThatEndedFirst) {
  // A handle cancelled it before the worker got to it: it must not run.
  ControlRef task = Task(1);
  ASSERT_TRUE(lifecycle_.EndUnrun(task.get(), TaskState::kCancelled));
  sink_.entries.clear();
  EXPECT_FALSE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  EXPECT_EQ(task->state.load(), TaskState::kCancelled);
  EXPECT_EQ(task->attempts.load(), 0);
  EXPECT_THAT(sink_.entries, IsEmpty());
}

TEST_F(TaskLifecycleTest, StartRefusesARunningTask) {
  ControlRef task = Task(1);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  EXPECT_FALSE(lifecycle_.Start(task.get(), 1, At(seconds(1))));
  EXPECT_EQ(task->attempts.load(), 1);
  EXPECT_EQ(sink_.entries.size(), 1);
}

TEST_F(TaskLifecycleTest, StartExpiresATaskPastItsDeadline) {
  ControlRef task = Task(1);
  task->options.deadline = At(seconds(5));
  EXPECT_FALSE(lifecycle_.Start(task.get(), 3, At(seconds(6))));
  EXPECT_EQ(task->state.load(), TaskState::kExpired);
  EXPECT_EQ(task->attempts.load(), 0);
  // Reported as expired (decided here, not by the worker's run), never as
  // running.
  EXPECT_THAT(sink_.entries, ElementsAre(Entry{.id = 1,
                                               .from = TaskState::kQueued,
                                               .to = TaskState::kExpired,
                                               .worker = -1,
                                               .attempt = 0}));
}

TEST_F(TaskLifecycleTest, StartBeforeTheDeadlineRuns) {
  ControlRef task = Task(1);
  task->options.deadline = At(seconds(5));
  EXPECT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(4))));
  EXPECT_EQ(task->state.load(), TaskState::kRunning);
}

TEST_F(TaskLifecycleTest, CompleteEndsTheTask) {
  ControlRef task = Task(1, /*max_attempts=*/3);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 4, At(seconds(1))));
  lifecycle_.Complete(task.get(), 4, At(seconds(2)));
  EXPECT_EQ(task->state.load(), TaskState::kCompleted);
  // No further attempt will be built: its captures can go.
  EXPECT_FALSE(task->make_attempt);
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kRunning,
                                         .to = TaskState::kCompleted,
                                         .worker = 4,
                                         .attempt = 1,
                                         .now = At(seconds(2))}));
  EXPECT_THAT(sink_.states_seen,
              ElementsAre(TaskState::kRunning, TaskState::kCompleted));
}

TEST_F(TaskLifecycleTest, AttemptFailedRetriesWhileAttemptsAreLeft) {
  ControlRef task = Task(1, /*max_attempts=*/3);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 1, At(seconds(1))));
  EXPECT_TRUE(
      lifecycle_.AttemptFailed(task.get(), 1, Failure("boom"), At(seconds(2))));
  EXPECT_EQ(task->state.load(), TaskState::kQueued);
  EXPECT_TRUE(task->make_attempt);
  ASSERT_TRUE(task->last_failure);
  EXPECT_THROW(std::rethrow_exception(task->last_failure), std::runtime_error);
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kRunning,
                                         .to = TaskState::kQueued,
                                         .retry = true,
                                         .worker = 1,
                                         .attempt = 1,
                                         .failure = "boom",
                                         .failure_attempts = 1,
                                         .now = At(seconds(2))}));

  // The retry starts as attempt 2.
  EXPECT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(3))));
  EXPECT_EQ(task->attempts.load(), 2);
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kQueued,
                                         .to = TaskState::kRunning,
                                         .worker = 0,
                                         .attempt = 2,
                                         .now = At(seconds(3))}));
}

TEST_F(TaskLifecycleTest, AttemptFailedOnTheLastAttemptFailsForGood) {
  ControlRef task = Task(1, /*max_attempts=*/2);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  ASSERT_TRUE(
      lifecycle_.AttemptFailed(task.get(), 0, Failure("one"), At(seconds(2))));
  ASSERT_TRUE(lifecycle_.Start(task.get(), 1, At(seconds(3))));
  EXPECT_FALSE(
      lifecycle_.AttemptFailed(task.get(), 1, Failure("two"), At(seconds(4))));
  EXPECT_EQ(task->state.load(), TaskState::kFailed);
  EXPECT_FALSE(task->make_attempt);
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kRunning,
                                         .to = TaskState::kFailed,
                                         .worker = 1,
                                         .attempt = 2,
                                         .failure = "two",
                                         .failure_attempts = 2,
                                         .now = At(seconds(4))}));
  EXPECT_THAT(sink_.states_seen,
              ElementsAre(TaskState::kRunning, TaskState::kRunning,
                          TaskState::kRunning, TaskState::kFailed));
}

TEST_F(TaskLifecycleTest, ARetryIsReportedBeforeAnythingCanEndIt) {
  // A handle cancelling the task as the sink hears of the retry finds it
  // still running: the attempt's end is on record before a cancel can end
  // (and settle) the task, so a join that sees it settled sees that end.
  ControlRef task = Task(1, /*max_attempts=*/2);
  std::vector<bool> cancels_won;
  sink_.on_record = [&](const Transition& t) {
    if (t.retry) {
      cancels_won.push_back(
          lifecycle_.EndUnrun(t.control, TaskState::kCancelled));
    }
  };
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  EXPECT_TRUE(
      lifecycle_.AttemptFailed(task.get(), 0, Failure("boom"), At(seconds(2))));
  EXPECT_THAT(cancels_won, ElementsAre(false));
  EXPECT_EQ(task->state.load(), TaskState::kQueued);
  // Once put back, it can be.
  EXPECT_TRUE(lifecycle_.EndUnrun(task.get(), TaskState::kCancelled));
}

TEST_F(TaskLifecycleTest, AStopRequestedAfterTheRetryWasDecidedCancelsIt) {
  // cancel() found the task running just after the failed attempt's retry
  // was decided: the retry is put back, and refused when it would start.
  ControlRef task = Task(1, /*max_attempts=*/3);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  ASSERT_TRUE(
      lifecycle_.AttemptFailed(task.get(), 0, Failure("boom"), At(seconds(2))));
  task->RequestStop();
  EXPECT_FALSE(lifecycle_.Start(task.get(), 1, At(seconds(3))));
  EXPECT_EQ(task->state.load(), TaskState::kCancelled);
  EXPECT_EQ(task->attempts.load(), 1);
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kQueued,
                                         .to = TaskState::kCancelled,
                                         .worker = -1,
                                         .attempt = 1}));
}

TEST_F(TaskLifecycleTest, AttemptFailedWithoutRetriesFails) {
  ControlRef task = Task(1);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  EXPECT_FALSE(
      lifecycle_.AttemptFailed(task.get(), 0, Failure("boom"), At(seconds(2))));
  EXPECT_EQ(task->state.load(), TaskState::kFailed);
  EXPECT_EQ(sink_.entries.back().to, TaskState::kFailed);
  EXPECT_EQ(sink_.entries.back().failure_attempts, 1);
}

TEST_F(TaskLifecycleTest, AttemptFailedWithoutMakeAttemptFails) {
  // Attempts are left, but no way to build the next one.
  ControlRef task = Task(1, /*max_attempts=*/3);
  task->make_attempt = nullptr;
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  EXPECT_FALSE(
      lifecycle_.AttemptFailed(task.get(), 0, Failure("boom"), At(seconds(2))));
  EXPECT_EQ(task->state.load(), TaskState::kFailed);
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kRunning,
                                         .to = TaskState::kFailed,
                                         .worker = 0,
                                         .attempt = 1,
                                         .failure = "boom",
                                         .failure_attempts = 1,
                                         .now = At(seconds(2))}));
}

TEST_F(TaskLifecycleTest, AStopRequestedFailsInsteadOfRetrying) {
  // cancel() (or the deadline) while it ran: the attempt's failure is final.
  ControlRef task = Task(1, /*max_attempts=*/3);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 2, At(seconds(1))));
  task->RequestStop();
  EXPECT_FALSE(
      lifecycle_.AttemptFailed(task.get(), 2, Failure("boom"), At(seconds(2))));
  EXPECT_EQ(task->state.load(), TaskState::kFailed);
  EXPECT_FALSE(task->make_attempt);
  EXPECT_THAT(sink_.entries, ElementsAre(Entry{.id = 1,
                                               .from = TaskState::kQueued,
                                               .to = TaskState::kRunning,
                                               .worker = 2,
                                               .attempt = 1,
                                               .now = At(seconds(1))},
                                         Entry{.id = 1,
                                               .from = TaskState::kRunning,
                                               .to = TaskState::kFailed,
                                               .worker = 2,
                                               .attempt = 1,
                                               .failure = "boom",
                                               .failure_attempts = 1,
                                               .now = At(seconds(2))}));
}

TEST_F(TaskLifecycleTest, AttemptLostIsDecidedOffTheWorker) {
  ControlRef task = Task(1, /*max_attempts=*/2);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 3, At(seconds(1))));
  EXPECT_TRUE(lifecycle_.AttemptLost(task.get(), Failure("worker died")));
  EXPECT_EQ(task->state.load(), TaskState::kQueued);
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kRunning,
                                         .to = TaskState::kQueued,
                                         .retry = true,
                                         .worker = -1,
                                         .attempt = 1,
                                         .failure = "worker died",
                                         .failure_attempts = 1}));
}

TEST_F(TaskLifecycleTest, EndUnrunEndsAQueuedTaskOnce) {
  ControlRef task = Task(1);
  EXPECT_TRUE(lifecycle_.EndUnrun(task.get(), TaskState::kCoalesced));
  EXPECT_EQ(task->state.load(), TaskState::kCoalesced);
  // A second ending (a cancel racing the coalescing, say) loses.
  EXPECT_FALSE(lifecycle_.EndUnrun(task.get(), TaskState::kCancelled));
  EXPECT_EQ(task->state.load(), TaskState::kCoalesced);
  EXPECT_THAT(sink_.entries, ElementsAre(Entry{.id = 1,
                                               .from = TaskState::kQueued,
                                               .to = TaskState::kCoalesced,
                                               .worker = -1,
                                               .attempt = 0}));
}

TEST_F(TaskLifecycleTest, EndUnrunRefusesARunningTask) {
  ControlRef task = Task(1);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  EXPECT_FALSE(lifecycle_.EndUnrun(task.get(), TaskState::kCancelled));
  EXPECT_EQ(task->state.load(), TaskState::kRunning);
  EXPECT_EQ(sink_.entries.size(), 1);
}

TEST_F(TaskLifecycleTest, EndUnrunOfAWaitingRetryReportsItsAttempts) {
  ControlRef task = Task(1, /*max_attempts=*/3);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  ASSERT_TRUE(
      lifecycle_.AttemptFailed(task.get(), 0, Failure("boom"), At(seconds(2))));
  EXPECT_TRUE(lifecycle_.EndUnrun(task.get(), TaskState::kCancelled));
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kQueued,
                                         .to = TaskState::kCancelled,
                                         .worker = -1,
                                         .attempt = 1}));
}

TEST_F(TaskLifecycleTest, FailWaitingRetryReportsTheLastFailure) {
  ControlRef task = Task(1, /*max_attempts=*/5);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
    ASSERT_TRUE(lifecycle_.AttemptFailed(
        task.get(), 0, Failure("boom " + std::to_string(i)), At(seconds(2))));
  }
  EXPECT_TRUE(lifecycle_.FailWaitingRetry(task.get()));
  EXPECT_EQ(task->state.load(), TaskState::kFailed);
  EXPECT_FALSE(task->make_attempt);
  EXPECT_EQ(sink_.entries.back(), (Entry{.id = 1,
                                         .from = TaskState::kQueued,
                                         .to = TaskState::kFailed,
                                         .worker = -1,
                                         .attempt = 2,
                                         .failure = "boom 1",
                                         .failure_attempts = 2}));
  // Once.
  EXPECT_FALSE(lifecycle_.FailWaitingRetry(task.get()));
  EXPECT_EQ(sink_.entries.size(), 5);
}

TEST_F(TaskLifecycleTest, FailWaitingRetryWithoutAFailureStillFails) {
  ControlRef task = Task(1, /*max_attempts=*/2);
  EXPECT_TRUE(lifecycle_.FailWaitingRetry(task.get()));
  EXPECT_EQ(task->state.load(), TaskState::kFailed);
  ASSERT_EQ(sink_.entries.size(), 1);
  EXPECT_THAT(sink_.entries[0].failure, ::testing::HasSubstr("without"));
}

TEST_F(TaskLifecycleTest, FailWaitingRetryRefusesATaskNoLongerQueued) {
  ControlRef task = Task(1, /*max_attempts=*/2);
  ASSERT_TRUE(lifecycle_.Start(task.get(), 0, At(seconds(1))));
  EXPECT_FALSE(lifecycle_.FailWaitingRetry(task.get()));
  EXPECT_EQ(task->state.load(), TaskState::kRunning);
  EXPECT_EQ(sink_.entries.size(), 1);
}

TEST_F(TaskLifecycleTest, PlainTasksAlwaysSucceed) {
  // A plain task has one owner at a time: nothing can race its transitions.
  EXPECT_TRUE(lifecycle_.Start(nullptr, 1, At(seconds(1))));
  lifecycle_.Complete(nullptr, 1, At(seconds(2)));
  EXPECT_TRUE(lifecycle_.Start(nullptr, 2, At(seconds(3))));
  EXPECT_FALSE(
      lifecycle_.AttemptFailed(nullptr, 2, Failure("boom"), At(seconds(4))));
  EXPECT_TRUE(lifecycle_.EndUnrun(nullptr, TaskState::kDropped));
  EXPECT_THAT(sink_.entries, ElementsAre(Entry{.from = TaskState::kQueued,
                                               .to = TaskState::kRunning,
                                               .worker = 1,
                                               .attempt = 1,
                                               .now = At(seconds(1))},
                                         Entry{.from = TaskState::kRunning,
                                               .to = TaskState::kCompleted,
                                               .worker = 1,
                                               .attempt = 1,
                                               .now = At(seconds(2))},
                                         Entry{.from = TaskState::kQueued,
                                               .to = TaskState::kRunning,
                                               .worker = 2,
                                               .attempt = 1,
                                               .now = At(seconds(3))},
                                         Entry{.from = TaskState::kRunning,
                                               .to = TaskState::kFailed,
                                               .worker = 2,
                                               .attempt = 1,
                                               .failure = "boom",
                                               .failure_attempts = 1,
                                               .now = At(seconds(4))},
                                         Entry{.from = TaskState::kQueued,
                                               .to = TaskState::kDropped,
                                               .worker = -1,
                                               .attempt = 0}));
}

}  // namespace
}  // namespace taskqueue::internal
