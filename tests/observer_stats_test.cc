// TaskObserver and Stats: each task gets OnQueued (on the producer), OnStarted
// before each attempt and exactly one of OnCompleted/OnFailed/OnNotRun, with
// the right id, name, state, worker and attempt; Stats::workers and
// Stats::by_name add up; record_timings fills queue_wait/run_time with one
// sample per attempt, and leaves them zero without it.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using std::chrono::milliseconds;
using test_support::Clock;
using test_support::Ended;
using test_support::Eventually;
using test_support::FailureLog;
using test_support::RecordingObserver;
using test_support::WorkerHold;
using Kind = RecordingObserver::Kind;

class ObserverStats : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, ObserverStats, ::testing::Values(1, 2, 4));

// Checks one task's events: OnQueued, one OnStarted per attempt on one of the
// workers, then `end` (completed or failed) on the last attempt's worker.
void ExpectRanAndEnded(const std::vector<RecordingObserver::Event>& events,
                       const std::string& name, Kind end, int attempts,
                       int num_workers, std::thread::id producer) {
  ASSERT_EQ(events.size(), static_cast<size_t>(attempts + 2));
  const auto& queued = events.front();
  EXPECT_EQ(queued.kind, Kind::kQueued);
  EXPECT_EQ(queued.state, TaskState::kQueued);
  EXPECT_EQ(queued.name, name);
  EXPECT_EQ(queued.worker, -1);
  EXPECT_EQ(queued.attempt, 0);
  EXPECT_EQ(queued.thread, producer);
  EXPECT_FALSE(queued.has_failure);
  for (int a = 1; a <= attempts; ++a) {
    const auto& started = events[a];
    EXPECT_EQ(started.kind, Kind::kStarted);
    EXPECT_EQ(started.state, TaskState::kRunning);
    EXPECT_EQ(started.name, name);
    EXPECT_EQ(started.attempt, a);
    EXPECT_GE(started.worker, 0);
    EXPECT_LT(started.worker, num_workers);
    EXPECT_NE(started.thread, producer);
    EXPECT_FALSE(started.has_failure);
  }
  const auto& last_start = events[attempts];
  const auto& ended = events.back();
  EXPECT_EQ(ended.kind, end);
  EXPECT_EQ(ended.state, end == Kind::kCompleted ? TaskState::kCompleted
                                                 : TaskState::kFailed);
  EXPECT_EQ(ended.name, name);
  EXPECT_EQ(ended.attempt, attempts);
  EXPECT_EQ(ended.worker, last_start.worker);
  EXPECT_EQ(ended.thread, last_start.thread);
  EXPECT_EQ(ended.has_failure, end == Kind::kFailed);
}

// OnQueued, then OnNotRun with `why`; never started.
void ExpectNotRun(const std::vector<RecordingObserver::Event>& events,
                  const std::string& name, TaskState why) {
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kQueued);
  EXPECT_EQ(events[0].name, name);
  EXPECT_EQ(events[1].kind, Kind::kNotRun);
  EXPECT_EQ(events[1].state, why);
  EXPECT_EQ(events[1].name, name);
  EXPECT_EQ(events[1].attempt, 0);
  EXPECT_FALSE(events[1].has_failure);
}

TEST_P(ObserverStats, EachTaskIsQueuedStartedAndEndsOnce) {
  constexpr int kTasks = 60;
  auto observer = std::make_shared<RecordingObserver>();
  FailureLog log;
  QueueOptions options = log.Options(workers());
  options.observer = observer;
  TaskQueue q(options);
  std::vector<TaskHandle> handles;
  std::vector<TaskFuture<int>> futures;
  for (int i = 0; i < kTasks; ++i) {
    const std::string name = "task" + std::to_string(i % 3);
    if (i % 2 == 0) {
      handles.push_back(q.add_task(TaskOptions{.name = name}, [i] {
        if (i % 5 == 0) throw std::runtime_error("fail " + std::to_string(i));
      }));
    } else {
      futures.push_back(q.submit(TaskOptions{.name = name}, [i] {
        if (i % 5 == 0) throw std::runtime_error("fail " + std::to_string(i));
        return i;
      }));
      handles.push_back(futures.back().handle());
    }
  }
  q.join();
  ASSERT_TRUE(observer->WaitForEnds(kTasks));
  const std::thread::id producer = std::this_thread::get_id();
  for (int i = 0; i < kTasks; ++i) {
    SCOPED_TRACE("task " + std::to_string(i));
    ExpectRanAndEnded(
        observer->For(handles[i].id()), "task" + std::to_string(i % 3),
        i % 5 == 0 ? Kind::kFailed : Kind::kCompleted, 1, workers(), producer);
  }
  // The failure event carries the exception.
  auto first = observer->For(handles[0].id());
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.back().failure_description, "fail 0");
  EXPECT_EQ(first.back().failure_attempts, 1);
  EXPECT_EQ(observer->All().size(), static_cast<size_t>(3 * kTasks));
}

TEST(ObserverStatsTest, PlainTasksHaveNoIdAndNoName) {
  constexpr int kTasks = 20;
  auto observer = std::make_shared<RecordingObserver>();
  TaskQueue q(QueueOptions{.num_workers = 2, .observer = observer});
  for (int i = 0; i < kTasks; ++i) q.add_task([] {});
  q.join();
  EXPECT_TRUE(observer->WaitForEnds(kTasks));
  std::map<Kind, int> counts;
  for (const auto& e : observer->All()) {
    EXPECT_EQ(e.id, 0u);
    EXPECT_EQ(e.name, "");
    ++counts[e.kind];
  }
  EXPECT_EQ(counts[Kind::kQueued], kTasks);
  EXPECT_EQ(counts[Kind::kStarted], kTasks);
  EXPECT_EQ(counts[Kind::kCompleted], kTasks);
  EXPECT_EQ(counts[Kind::kFailed] + counts[Kind::kNotRun], 0);
}

TEST(ObserverStatsTest, RetriedTaskStartsOncePerAttemptAndEndsOnce) {
  auto observer = std::make_shared<RecordingObserver>();
  FailureLog log;
  QueueOptions options = log.Options(2);
  options.observer = observer;
  TaskQueue q(options);
  const Backoff quick{.initial_delay = milliseconds(1), .jitter = 0};
  auto calls = std::make_shared<std::atomic<int>>(0);
  TaskHandle flaky = q.add_task(
      TaskOptions{.name = "flaky", .max_attempts = 5, .backoff = quick},
      [calls] {
        if (++*calls < 3) throw std::runtime_error("not yet");
      });
  TaskHandle doomed = q.add_task(
      TaskOptions{.name = "doomed", .max_attempts = 3, .backoff = quick},
      [] { throw std::runtime_error("never"); });
  q.join();
  ASSERT_TRUE(observer->WaitForEnds(2));
  const std::thread::id producer = std::this_thread::get_id();
  {
    SCOPED_TRACE("flaky");
    ExpectRanAndEnded(observer->For(flaky.id()), "flaky", Kind::kCompleted, 3,
                      2, producer);
  }
  {
    SCOPED_TRACE("doomed");
    auto events = observer->For(doomed.id());
    ExpectRanAndEnded(events, "doomed", Kind::kFailed, 3, 2, producer);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().failure_attempts, 3);
    EXPECT_EQ(events.back().failure_description, "never");
  }
}

TEST(ObserverStatsTest, TasksThatNeverRunGetOnNotRun) {
  auto observer = std::make_shared<RecordingObserver>();
  TaskQueue q(QueueOptions{.num_workers = 1,
                           .max_queued = 3,
                           .overflow = OverflowPolicy::kDropOldest,
                           .observer = observer});
  WorkerHold hold;
  hold.Occupy(q, 1);
  TaskHandle dropped = q.add_task(TaskOptions{.name = "dropped"}, [] {});
  TaskHandle cancelled = q.add_task(TaskOptions{.name = "cancelled"}, [] {});
  TaskHandle coalesced =
      q.add_task(TaskOptions{.name = "coalesced", .coalesce_key = "k"}, [] {});
  EXPECT_EQ(cancelled.cancel(), CancelResult::kCancelled);
  TaskHandle replacing =
      q.add_task(TaskOptions{.name = "replacing", .coalesce_key = "k"}, [] {});
  TaskHandle expired =
      q.add_task(TaskOptions{.name = "expired",
                             .priority = 1,
                             .deadline = Clock::now() + milliseconds(20)},
                 [] {});
  ASSERT_TRUE(Eventually([&] {
    return coalesced.state() == TaskState::kCoalesced &&
           expired.state() == TaskState::kExpired;
  }));
  // Queued now: "dropped" and "replacing". The first filler fills the
  // queue; the second pushes out its oldest task, "dropped".
  q.add_task(TaskOptions{.name = "filler"}, [] {});
  q.add_task(TaskOptions{.name = "filler"}, [] {});
  ASSERT_TRUE(
      Eventually([&] { return dropped.state() == TaskState::kDropped; }));
  hold.ReleaseAll();
  q.join();
  ASSERT_TRUE(observer->WaitForEnds(7));  // The tasks with options.
  ExpectNotRun(observer->For(dropped.id()), "dropped", TaskState::kDropped);
  ExpectNotRun(observer->For(cancelled.id()), "cancelled",
               TaskState::kCancelled);
  ExpectNotRun(observer->For(coalesced.id()), "coalesced",
               TaskState::kCoalesced);
  ExpectNotRun(observer->For(expired.id()), "expired", TaskState::kExpired);
  Stats stats = q.stats();
  EXPECT_EQ(stats.by_name["dropped"].not_run, 1u);
  EXPECT_EQ(stats.by_name["cancelled"].not_run, 1u);
  EXPECT_EQ(stats.by_name["coalesced"].not_run, 1u);
  EXPECT_EQ(stats.by_name["expired"].not_run, 1u);
  EXPECT_EQ(stats.by_name["replacing"].completed, 1u);
  EXPECT_EQ(stats.by_name["filler"].completed, 2u);
  EXPECT_EQ(Ended(stats), stats.submitted);
}

class ThrowingObserver : public TaskObserver {
 public:
  void OnQueued(const TaskEvent&) override { throw std::runtime_error("q"); }
  void OnStarted(const TaskEvent&) override { throw std::runtime_error("s"); }
  void OnCompleted(const TaskEvent&) override { throw std::runtime_error("c"); }
  void OnFailed(const TaskEvent&) override { throw std::runtime_error("f"); }
  void OnNotRun(const TaskEvent&) override { throw std::runtime_error("n"); }
};

TEST(ObserverStatsTest, ObserverExceptionsArePrintedAndDropped) {
  ::testing::internal::CaptureStderr();
  FailureLog log;
  std::atomic<int> ran{0};
  Stats stats;
  {
    QueueOptions options = log.Options(1);
    options.observer = std::make_shared<ThrowingObserver>();
    TaskQueue q(options);
    for (int i = 0; i < 5; ++i) q.add_task(TaskOptions{}, [&ran] { ++ran; });
    TaskFuture<int> f = q.submit([] { return 3; });
    q.add_task([] { throw std::runtime_error("task"); });
    EXPECT_EQ(f.get(), 3);
    EXPECT_EQ(q.join().failed, 1u);
    stats = q.stats();
  }
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(ran.load(), 5);
  EXPECT_EQ(stats.completed, 6u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(log.Get().size(), 1u);
  EXPECT_FALSE(err.empty());
}

TEST_P(ObserverStats, WorkerStatsAddUp) {
  constexpr int kTasks = 200;
  FailureLog log;
  TaskQueue q(log.Options(workers()));
  for (int i = 0; i < kTasks; ++i) {
    q.add_task([i] {
      if (i % 7 == 0) throw std::runtime_error("seven");
    });
  }
  q.join();
  Stats stats = q.stats();
  ASSERT_EQ(stats.workers.size(), static_cast<size_t>(workers()));
  uint64_t completed = 0, failed = 0, restarts = 0;
  for (const WorkerStats& w : stats.workers) {
    completed += w.completed;
    failed += w.failed;
    restarts += w.restarts;
  }
  EXPECT_EQ(completed, stats.completed);
  EXPECT_EQ(failed, stats.failed);
  EXPECT_EQ(restarts, stats.restarts);
  EXPECT_EQ(stats.completed + stats.failed, static_cast<uint64_t>(kTasks));
  EXPECT_EQ(stats.failed, static_cast<uint64_t>((kTasks + 6) / 7));
}

TEST(ObserverStatsTest, ByNameCountsNamedTasksOnly) {
  FailureLog log;
  TaskQueue q(log.Options(1));
  WorkerHold hold;
  hold.Occupy(q, 1);
  q.add_task(TaskOptions{.name = "a"}, [] {});
  q.add_task(TaskOptions{.name = "a"}, [] {});
  q.add_task(TaskOptions{.name = "a"}, [] { throw std::runtime_error("a"); });
  q.add_task(TaskOptions{.name = "b"}, [] {});
  TaskHandle cancelled = q.add_task(TaskOptions{.name = "b"}, [] {});
  q.add_task(TaskOptions{}, [] {});
  q.add_task([] {});
  EXPECT_EQ(cancelled.cancel(), CancelResult::kCancelled);
  hold.ReleaseAll();
  q.join();
  Stats stats = q.stats();
  ASSERT_EQ(stats.by_name.size(), 2u);
  ASSERT_EQ(stats.by_name.count("a"), 1u);
  ASSERT_EQ(stats.by_name.count("b"), 1u);
  const NameStats& a = stats.by_name.at("a");
  EXPECT_EQ(a.submitted, 3u);
  EXPECT_EQ(a.completed, 2u);
  EXPECT_EQ(a.failed, 1u);
  EXPECT_EQ(a.not_run, 0u);
  const NameStats& b = stats.by_name.at("b");
  EXPECT_EQ(b.submitted, 2u);
  EXPECT_EQ(b.completed, 1u);
  EXPECT_EQ(b.failed, 0u);
  EXPECT_EQ(b.not_run, 1u);
}

void ExpectOrdered(const Percentiles& p) {
  EXPECT_LE(p.p50, p.p90);
  EXPECT_LE(p.p90, p.p99);
  EXPECT_LE(p.p99, p.max);
}

TEST_P(ObserverStats, RecordTimingsHasOneSamplePerTask) {
  constexpr int kTasks = 40;
  const auto wait = milliseconds(20);
  const auto run = milliseconds(2);
  TaskQueue q(QueueOptions{.num_workers = workers(), .record_timings = true});
  WorkerHold hold;
  hold.Occupy(q, workers());
  for (int i = 0; i < kTasks; ++i) {
    q.add_task([run] { std::this_thread::sleep_for(run); });
  }
  // Measured, not synchronizing: every task waits at least this long.
  std::this_thread::sleep_for(wait);
  hold.ReleaseAll();
  q.join();
  Stats stats = q.stats();
  const uint64_t tasks = kTasks + workers();  // The holding tasks count too.
  EXPECT_EQ(stats.queue_wait.count, tasks);
  EXPECT_EQ(stats.run_time.count, tasks);
  ExpectOrdered(stats.queue_wait);
  ExpectOrdered(stats.run_time);
  // Lower bounds: values are bucket upper bounds, never below the truth.
  // More than half the samples are the tasks added behind the hold.
  EXPECT_GE(stats.queue_wait.p50, wait);
  EXPECT_GE(stats.run_time.p50, run);
  EXPECT_GE(stats.run_time.max, wait);  // The holding tasks ran that long.
  // The histogram: every task ran at least `run`, so none counts at or
  // below 500 us, and its sum is at least the runs' total.
  EXPECT_GE(stats.run_time.sum, run * static_cast<int>(tasks));
  EXPECT_LE(stats.run_time.sum, stats.run_time.max * static_cast<int>(tasks));
  for (size_t b = 0; b < Percentiles::kBounds.size(); ++b) {
    if (b > 0) {
      EXPECT_LE(stats.run_time.cumulative[b - 1], stats.run_time.cumulative[b]);
    }
    EXPECT_LE(stats.run_time.cumulative[b], tasks);
    if (Percentiles::kBounds[b] <= std::chrono::microseconds(500)) {
      EXPECT_EQ(stats.run_time.cumulative[b], 0u) << b;
    }
  }
}

TEST(ObserverStatsTest, RecordTimingsCountsEveryAttempt) {
  FailureLog log;
  QueueOptions options = log.Options(1);
  options.record_timings = true;
  TaskQueue q(options);
  auto calls = std::make_shared<std::atomic<int>>(0);
  q.add_task(
      TaskOptions{.max_attempts = 3,
                  .backoff = {.initial_delay = milliseconds(1), .jitter = 0}},
      [calls] {
        if (++*calls < 3) throw std::runtime_error("again");
      });
  EXPECT_TRUE(q.join().ok());
  Stats stats = q.stats();
  EXPECT_EQ(stats.run_time.count, 3u);
  EXPECT_EQ(stats.queue_wait.count, 3u);
}

TEST_P(ObserverStats, NoTimingsWithoutRecordTimings) {
  TaskQueue q(workers());
  for (int i = 0; i < 50; ++i) {
    q.add_task([] { std::this_thread::sleep_for(milliseconds(1)); });
  }
  q.join();
  Stats stats = q.stats();
  EXPECT_EQ(stats.completed, 50u);
  for (const Percentiles& p : {stats.queue_wait, stats.run_time}) {
    EXPECT_EQ(p.count, 0u);
    EXPECT_EQ(p.p50.count(), 0);
    EXPECT_EQ(p.p90.count(), 0);
    EXPECT_EQ(p.p99.count(), 0);
    EXPECT_EQ(p.max.count(), 0);
    EXPECT_EQ(p.sum.count(), 0);
    EXPECT_EQ(p.cumulative.back(), 0u);
  }
}

}  // namespace
}  // namespace taskqueue
