// "Forever" and "long ago" at the API boundary: every duration and time point
// a caller passes is saturated or rejected, never overflowed. A delay or a
// backoff too long for the clock means never (until cancel, clear() or
// shutdown()), a deadline of time_point::max() means none, a join timeout too
// long for the clock waits as join() does, a negative one does not wait; and
// a queue holding such a time stays idle instead of spinning.
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <stdexcept>
#include <thread>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"
#include "tests/watchdog.h"

namespace taskqueue {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using test_support::Clock;
using test_support::Eventually;
using test_support::FailureLog;
using test_support::Watchdog;
using test_support::WorkerHold;

constexpr Clock::duration kForever = Clock::duration::max();
constexpr Clock::time_point kNever = Clock::time_point::max();

// Long enough for a broken queue to run a task it should not, or for a join
// that should wait to return; never needed for a correct queue.
constexpr auto kChance = milliseconds(50);

nanoseconds ProcessCpuTime() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + nanoseconds(now.tv_nsec);
}

// A queue with nothing due burns next to no CPU while the test sleeps; one
// whose timer fires again and again (a delay that overflowed inside CAF)
// burns a whole core all the time. Half a core is far from both. Several
// windows, because a queue that has just started (its threads, under a
// sanitizer its shadow memory) may be busy for a moment: a spinning queue is
// busy in every window.
void ExpectIdle(const char* what) {
  constexpr auto kWall = milliseconds(200);
  constexpr int kWindows = 10;
  nanoseconds least = nanoseconds::max();
  for (int i = 0; i < kWindows; ++i) {
    const nanoseconds before = ProcessCpuTime();
    std::this_thread::sleep_for(kWall);
    least = std::min(least, ProcessCpuTime() - before);
    if (least < kWall / 2) return;
  }
  ADD_FAILURE() << what << ": the queue burned at least "
                << std::chrono::duration_cast<milliseconds>(least).count()
                << " ms of CPU in each of " << kWindows << " windows of "
                << kWall.count() << " ms with nothing due";
}

class TimeLimits : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, TimeLimits, ::testing::Values(1, 4));

// run_after past the end of the clock used to overflow now() + run_after and
// run the task at once.
TEST_P(TimeLimits, RunAfterForeverWaitsUntilCleared) {
  for (Clock::duration delay : {kForever, kForever - nanoseconds(1)}) {
    TaskQueue q(workers());
    std::atomic<bool> ran{false};
    TaskFuture<void> f =
        q.submit(TaskOptions{.run_after = delay}, [&ran] { ran = true; });
    ExpectIdle("run_after = duration::max()");
    EXPECT_FALSE(ran.load()) << "a task delayed for ever ran";
    EXPECT_EQ(TaskStateName(f.handle().state()), "queued");
    EXPECT_EQ(q.stats().queued, 1u);
    EXPECT_FALSE(q.join_for(milliseconds(1)).complete);
    EXPECT_EQ(q.clear(), 1u);
    EXPECT_THROW(f.get(), TaskCancelledError);
    EXPECT_TRUE(q.join().ok());
  }
}

// run_at = time_point::max() used to make the supervisor re-arm a timer that
// CAF fired at once, again and again: a core spent for the queue's life.
TEST_P(TimeLimits, RunAtNeverWaitsUntilShutdownCancelsIt) {
  for (Clock::time_point at : {kNever, kNever - nanoseconds(1)}) {
    TaskQueue q(workers());
    std::atomic<bool> ran{false};
    TaskFuture<void> f =
        q.submit(TaskOptions{.run_at = at}, [&ran] { ran = true; });
    ExpectIdle("run_at = time_point::max()");
    EXPECT_FALSE(ran.load());
    EXPECT_EQ(TaskStateName(f.handle().state()), "queued");
    {
      Watchdog watchdog("shutdown() with a task waiting for ever");
      q.shutdown();
    }
    EXPECT_FALSE(ran.load());
    EXPECT_THROW(f.get(), TaskCancelledError);
  }
}

// deadline = time_point::max() is no deadline: the task runs, and the queue
// does not keep a timer for it (it used to spin for the queue's life, long
// after the task had run).
TEST_P(TimeLimits, DeadlineNeverIsNoDeadline) {
  for (Clock::time_point deadline : {kNever, kNever - nanoseconds(1)}) {
    TaskQueue q(workers());
    TaskFuture<int> f =
        q.submit(TaskOptions{.deadline = deadline}, [] { return 7; });
    EXPECT_EQ(f.get(), 7);
    EXPECT_TRUE(q.join().ok());
    ExpectIdle("deadline = time_point::max()");
  }
}

TEST_P(TimeLimits, TimesLongPastAreJustPast) {
  TaskQueue q(workers());
  TaskFuture<int> expired = q.submit(
      TaskOptions{.deadline = Clock::time_point::min()}, [] { return 1; });
  EXPECT_THROW(expired.get(), TaskExpiredError);
  TaskFuture<int> due = q.submit(
      TaskOptions{.run_at = Clock::time_point::min()}, [] { return 2; });
  EXPECT_EQ(due.get(), 2);
  EXPECT_TRUE(q.join().complete);
  EXPECT_EQ(q.stats().expired, 1u);
  ExpectIdle("deadline = time_point::min()");
}

// Runs `join` on another thread while every worker is held; checks that it
// is still waiting after a while, then releases the workers and returns what
// the join returned.
template <class Join>
JoinResult JoinThatShouldWait(int workers, const char* what, Join join) {
  TaskQueue q(workers);
  WorkerHold hold;
  hold.Occupy(q, workers);
  q.add_task([] {});
  std::atomic<bool> returned{false};
  JoinResult result;
  Watchdog watchdog(what);
  std::thread joiner([&] {
    result = join(q);
    returned = true;
  });
  std::this_thread::sleep_for(kChance);
  EXPECT_FALSE(returned.load()) << what << " returned before the tasks ended";
  hold.ReleaseAll();
  joiner.join();
  return result;
}

// A timeout too long for the clock waits like join(); it used to overflow
// now() + timeout (or the conversion to nanoseconds) and return at once,
// incomplete.
TEST_P(TimeLimits, JoinForForeverWaitsForTheTasks) {
  EXPECT_TRUE(JoinThatShouldWait(
                  workers(), "join_for(nanoseconds::max())",
                  [](TaskQueue& q) { return q.join_for(nanoseconds::max()); })
                  .complete);
  EXPECT_TRUE(
      JoinThatShouldWait(workers(), "join_for(hours::max())", [](TaskQueue& q) {
        return q.join_for(std::chrono::hours::max());
      }).complete);
  EXPECT_TRUE(
      JoinThatShouldWait(workers(), "join_for(1e300 s)", [](TaskQueue& q) {
        return q.join_for(std::chrono::duration<double>(1e300));
      }).complete);
  EXPECT_TRUE(
      JoinThatShouldWait(workers(), "join_until(time_point::max())",
                         [](TaskQueue& q) { return q.join_until(kNever); })
          .complete);
}

// A negative timeout (or a NaN one) does not wait: the join reports at once
// whether everything has ended.
TEST_P(TimeLimits, NegativeJoinTimeoutDoesNotWait) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  q.add_task([] {});
  {
    Watchdog watchdog("a join with a negative timeout");
    EXPECT_FALSE(q.join_for(nanoseconds::min()).complete);
    EXPECT_FALSE(q.join_for(std::chrono::hours::min()).complete);
    EXPECT_FALSE(q.join_for(milliseconds(-1)).complete);
    EXPECT_FALSE(q.join_for(std::chrono::duration<double>(
                                -std::numeric_limits<double>::infinity()))
                     .complete);
    EXPECT_FALSE(q.join_for(std::chrono::duration<double>(
                                std::numeric_limits<double>::quiet_NaN()))
                     .complete);
    EXPECT_FALSE(q.join_until(Clock::time_point::min()).complete);
  }
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
}

// A backoff of duration::max() used to convert 2^63 nanoseconds through a
// double into an integer (undefined; in practice a negative delay) and retry
// at once. It waits for ever: shutdown fails the task with the attempt made.
TEST_P(TimeLimits, BackoffForeverNeverRetries) {
  FailureLog log;
  TaskQueue q(log.Options(workers()));
  TaskHandle h = q.add_task(TaskOptions{.max_attempts = 2,
                                        .backoff = {.initial_delay = kForever,
                                                    .max_delay = kForever,
                                                    .jitter = 0}},
                            [] { throw std::runtime_error("fails"); });
  ASSERT_TRUE(Eventually([&] { return q.stats().retried == 1; }));
  ExpectIdle("backoff of duration::max()");
  EXPECT_EQ(h.attempts(), 1) << "a retry after a backoff of for ever ran";
  EXPECT_EQ(TaskStateName(h.state()), "queued");
  {
    Watchdog watchdog("shutdown() with a retry waiting for ever");
    q.shutdown();
  }
  EXPECT_EQ(TaskStateName(h.state()), "failed");
  EXPECT_EQ(h.attempts(), 1);
  ASSERT_EQ(log.Get().size(), 1u);
  EXPECT_EQ(log.Get()[0].attempts, 1);
}

// max_delay = duration::max() is no cap: the backoff grows from
// initial_delay as usual.
TEST_P(TimeLimits, BackoffUncappedStillRetries) {
  FailureLog log;
  TaskQueue q(log.Options(workers()));
  std::atomic<int> calls{0};
  TaskHandle h =
      q.add_task(TaskOptions{.max_attempts = 3,
                             .backoff = {.initial_delay = milliseconds(1),
                                         .multiplier = 2,
                                         .max_delay = kForever,
                                         .jitter = 0}},
                 [&calls] {
                   if (++calls < 3) throw std::runtime_error("flaky");
                 });
  {
    Watchdog watchdog("join() on retries with an uncapped backoff");
    EXPECT_TRUE(q.join().ok());
  }
  EXPECT_EQ(TaskStateName(h.state()), "completed");
  EXPECT_EQ(h.attempts(), 3);
}

// block_timeout = duration::max() waits for room as long as no limit does.
TEST_P(TimeLimits, BlockTimeoutForeverWaitsForRoom) {
  TaskQueue q(QueueOptions{.num_workers = workers(),
                           .max_queued = 1,
                           .overflow = OverflowPolicy::kBlock,
                           .block_timeout = kForever});
  WorkerHold hold;
  hold.Occupy(q, workers());
  q.add_task([] {});  // The queue is full.
  std::atomic<bool> added{false};
  std::atomic<bool> full{false};
  Watchdog watchdog("a producer blocked with block_timeout = max()");
  std::thread producer([&] {
    try {
      q.add_task([] {});
      added = true;
    } catch (const QueueFullError&) {
      full = true;
    }
  });
  std::this_thread::sleep_for(kChance);
  EXPECT_FALSE(full.load()) << "gave up waiting for room at once";
  EXPECT_FALSE(added.load());
  hold.ReleaseAll();
  producer.join();
  EXPECT_TRUE(added.load());
  EXPECT_TRUE(q.join().ok());
}

}  // namespace
}  // namespace taskqueue
