// Callbacks that call back into their queue: on_error and observer hooks may
// call the queue's methods (the header allows its methods from any thread,
// tasks included), and no such call deadlocks. on_error runs on the worker
// thread that ran the task (queue_options.h), so a join() there throws
// JoinFromTaskError as it does in a task, and pause() and clear() return.
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"
#include "tests/watchdog.h"

namespace taskqueue {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using test_support::Eventually;
using test_support::Watchdog;

// What a callback calls on its own queue.
enum class Call { kJoin, kPause, kClear };

std::string CallName(Call call) {
  switch (call) {
    case Call::kJoin:
      return "join()";
    case Call::kPause:
      return "pause()";
    case Call::kClear:
      return "clear()";
  }
  return "?";
}

// An on_error that makes `call` on the queue set in `queue`, and records how
// it went.
struct ReentrantOnError {
  std::atomic<TaskQueue*> queue{nullptr};
  Call call = Call::kJoin;
  std::atomic<int> reports{0};
  std::atomic<int> join_refused{0};
  std::atomic<int> returned{0};
  absl::Notification done;

  std::function<void(const TaskFailure&)> OnError() {
    return [this](const TaskFailure&) {
      ++reports;
      TaskQueue& q = *queue.load();
      try {
        switch (call) {
          case Call::kJoin:
            q.join();
            break;
          case Call::kPause:
            q.pause();
            break;
          case Call::kClear:
            q.clear();
            break;
        }
        ++returned;
      } catch (const JoinFromTaskError&) {
        ++join_refused;
      }
      if (!done.HasBeenNotified()) done.Notify();
    };
  }
};

// A value that can be copied `copies` times; the next copy throws. Moves are
// free.
class CopyBudget {
 public:
  explicit CopyBudget(int copies)
      : left_(std::make_shared<std::atomic<int>>(copies)) {}
  CopyBudget(const CopyBudget& other) : left_(other.left_) {
    if (left_->fetch_sub(1) <= 0) throw std::runtime_error("copy refused");
  }
  CopyBudget(CopyBudget&&) = default;

 private:
  std::shared_ptr<std::atomic<int>> left_;
};

// A retry that shutdown() fails is reported on the supervisor's thread: a
// join() in on_error there must throw JoinFromTaskError, not wait for the
// supervisor, which waits for on_error (defect 6 of issue 9: it hung).
TEST(CallbackReentryTest, OnErrorOfARetryFailedByShutdownCanJoin) {
  ReentrantOnError on_error;
  on_error.call = Call::kJoin;
  TaskQueue q(QueueOptions{.num_workers = 2, .on_error = on_error.OnError()});
  on_error.queue = &q;
  TaskHandle h = q.add_task(TaskOptions{.max_attempts = 2,
                                        .backoff = {.initial_delay = hours(1),
                                                    .max_delay = hours(1)}},
                            [] { throw std::runtime_error("fails"); });
  ASSERT_TRUE(Eventually([&] { return q.stats().retried == 1; }));
  {
    Watchdog watchdog("shutdown() whose on_error calls join()");
    q.shutdown();
  }
  EXPECT_EQ(TaskStateName(h.state()), "failed");
  EXPECT_EQ(on_error.reports.load(), 1);
  EXPECT_EQ(on_error.join_refused.load(), 1)
      << "join() in on_error did not throw JoinFromTaskError";
}

class ReentryFromOnError : public ::testing::TestWithParam<Call> {};
INSTANTIATE_TEST_SUITE_P(
    Calls, ReentryFromOnError,
    ::testing::Values(Call::kJoin, Call::kPause, Call::kClear),
    [](const auto& info) {
      return CallName(info.param).substr(0, CallName(info.param).size() - 2);
    });

// A task that throws is reported on the worker that ran it: a join() in
// on_error throws JoinFromTaskError, pause() and clear() return.
TEST_P(ReentryFromOnError, TaskThatThrows) {
  ReentrantOnError on_error;
  on_error.call = GetParam();
  TaskQueue q(QueueOptions{.num_workers = 2, .on_error = on_error.OnError()});
  on_error.queue = &q;
  q.add_task([] { throw std::runtime_error("fails"); });
  {
    Watchdog watchdog("on_error calling " + CallName(GetParam()));
    on_error.done.WaitForNotification();
  }
  EXPECT_EQ(on_error.reports.load(), 1);
  if (GetParam() == Call::kJoin) {
    EXPECT_EQ(on_error.join_refused.load(), 1);
  } else {
    EXPECT_EQ(on_error.returned.load(), 1);
  }
  q.resume();
  Watchdog watchdog("join() after on_error called back");
  EXPECT_EQ(q.join().failed, 1u);
}

// An attempt whose arguments throw when copied fails before it runs: the
// supervisor builds the attempt and reports the failure on its own thread,
// where join() must throw and pause() and clear() must return (defect 6 of
// issue 9: they waited for the supervisor itself).
TEST_P(ReentryFromOnError, AttemptWhoseArgumentsThrowWhenCopied) {
  ReentrantOnError on_error;
  on_error.call = GetParam();
  TaskQueue q(QueueOptions{.num_workers = 2, .on_error = on_error.OnError()});
  on_error.queue = &q;
  std::atomic<int> runs{0};
  // One copy for the first attempt; the retry's copy throws.
  q.add_task(
      TaskOptions{.max_attempts = 2,
                  .backoff = {.initial_delay = milliseconds(1), .jitter = 0}},
      [&runs](CopyBudget) {
        ++runs;
        throw std::runtime_error("first attempt fails");
      },
      CopyBudget(1));
  {
    Watchdog watchdog("on_error calling " + CallName(GetParam()) +
                      " after a retry's arguments threw when copied");
    on_error.done.WaitForNotification();
  }
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(on_error.reports.load(), 1);
  if (GetParam() == Call::kJoin) {
    EXPECT_EQ(on_error.join_refused.load(), 1);
  } else {
    EXPECT_EQ(on_error.returned.load(), 1);
  }
  q.resume();
  Watchdog watchdog("join() after on_error called back");
  EXPECT_EQ(q.join().failed, 1u);
}

// An observer whose first OnNotRun (or, with on_completed, OnCompleted)
// makes `call` on the queue set in `queue`.
class ReentrantObserver : public TaskObserver {
 public:
  ReentrantObserver(Call call, bool on_completed)
      : call_(call), on_completed_(on_completed) {}

  void OnCompleted(const TaskEvent&) override {
    if (on_completed_) CallBack();
  }
  void OnNotRun(const TaskEvent&) override {
    if (!on_completed_) CallBack();
  }

  std::atomic<TaskQueue*> queue{nullptr};
  std::atomic<int> returned{0};
  absl::Notification done;

 private:
  void CallBack() {
    if (!armed_.exchange(false)) return;
    TaskQueue& q = *queue.load();
    if (call_ == Call::kPause) {
      q.pause();
    } else {
      q.clear();
    }
    ++returned;
    done.Notify();
  }

  const Call call_;
  const bool on_completed_;
  std::atomic<bool> armed_{true};
};

// Where a task's end is decided: the events that the supervisor decides.
enum class Decided { kCoalesced, kExpired, kDropped, kCleared };

std::string DecidedName(Decided decided) {
  switch (decided) {
    case Decided::kCoalesced:
      return "coalesced";
    case Decided::kExpired:
      return "expired";
    case Decided::kDropped:
      return "dropped";
    case Decided::kCleared:
      return "cleared";
  }
  return "?";
}

class ReentryFromObserver
    : public ::testing::TestWithParam<std::tuple<Call, Decided>> {
 protected:
  Call call() const { return std::get<0>(GetParam()); }
  Decided decided() const { return std::get<1>(GetParam()); }
};
INSTANTIATE_TEST_SUITE_P(
    CallsAndEnds, ReentryFromObserver,
    ::testing::Combine(::testing::Values(Call::kPause, Call::kClear),
                       ::testing::Values(Decided::kCoalesced, Decided::kExpired,
                                         Decided::kDropped, Decided::kCleared)),
    [](const auto& info) {
      std::string call = CallName(std::get<0>(info.param));
      return call.substr(0, call.size() - 2) + "_on_" +
             DecidedName(std::get<1>(info.param));
    });

// A task that ends unrun by the supervisor's decision (coalesced, expired,
// dropped, cleared) is reported on the supervisor's thread; a hook there
// that calls pause() or clear() must return (defect 7 of issue 9: it waited
// for an answer only that thread could send, and the queue deadlocked).
TEST_P(ReentryFromObserver, HookOnAnEndTheSupervisorDecided) {
  auto observer = std::make_shared<ReentrantObserver>(call(), false);
  QueueOptions options{.num_workers = 1, .observer = observer};
  if (decided() == Decided::kDropped) {
    options.max_queued = 1;
    options.overflow = OverflowPolicy::kDropOldest;
  }
  TaskQueue q(options);
  observer->queue = &q;
  test_support::WorkerHold hold;
  hold.Occupy(q, 1);
  Watchdog watchdog("an observer hook calling " + CallName(call()) +
                    " on a task " + DecidedName(decided()));
  switch (decided()) {
    case Decided::kCoalesced:
      q.add_task(TaskOptions{.coalesce_key = "k"}, [] {});
      q.add_task(TaskOptions{.coalesce_key = "k"}, [] {});
      break;
    case Decided::kExpired:
      q.add_task(TaskOptions{.deadline = std::chrono::steady_clock::now() +
                                         milliseconds(20)},
                 [] {});
      break;
    case Decided::kDropped:
      q.add_task([] {});
      q.add_task([] {});
      break;
    case Decided::kCleared:
      q.add_task([] {});
      EXPECT_EQ(q.clear(), 1u);
      break;
  }
  observer->done.WaitForNotification();
  EXPECT_EQ(observer->returned.load(), 1);
  q.resume();
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().complete);
}

class ReentryFromWorkerHook : public ::testing::TestWithParam<Call> {};
INSTANTIATE_TEST_SUITE_P(
    Calls, ReentryFromWorkerHook, ::testing::Values(Call::kPause, Call::kClear),
    [](const auto& info) {
      return CallName(info.param).substr(0, CallName(info.param).size() - 2);
    });

// A hook on a worker's thread (OnCompleted) can pause and clear.
TEST_P(ReentryFromWorkerHook, OnCompleted) {
  auto observer = std::make_shared<ReentrantObserver>(GetParam(), true);
  TaskQueue q(QueueOptions{.num_workers = 2, .observer = observer});
  observer->queue = &q;
  Watchdog watchdog("an OnCompleted hook calling " + CallName(GetParam()));
  q.add_task([] {});
  observer->done.WaitForNotification();
  EXPECT_EQ(observer->returned.load(), 1);
  q.resume();
  EXPECT_TRUE(q.join().ok());
}

}  // namespace
}  // namespace taskqueue
