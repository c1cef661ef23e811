// The gradient-descent example's PlotProgressObserver, on a real TaskQueue:
// its counts follow plots as they wait and run, and once the queue is quiet
// they agree with the queue's Stats (done, failed, coalesced; nothing queued
// or running), at several worker counts, retries included. Plots are added
// with TaskOptions, as the example adds them; tasks without are not counted.
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <utility>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "examples/plot_progress_observer.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"

namespace gradient_descent {
namespace {

taskqueue::QueueOptions Observed(
    int workers, std::shared_ptr<PlotProgressObserver> observer) {
  return taskqueue::QueueOptions{
      .num_workers = workers,
      // The failures are meant: keep them off the test's output.
      .on_error = [](const taskqueue::TaskFailure&) {},
      .observer = std::move(observer)};
}

void FailingPlot() { throw std::runtime_error("cannot write plot"); }

taskqueue::TaskOptions Plot() { return taskqueue::TaskOptions{.name = "plot"}; }

void ExpectAgreesWithStats(const PlotCounts& counts,
                           const taskqueue::Stats& stats) {
  EXPECT_EQ(counts.queued, 0);
  EXPECT_EQ(counts.running, 0);
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(stats.running, 0u);
  EXPECT_EQ(counts.done, static_cast<int>(stats.completed));
  EXPECT_EQ(counts.failed, static_cast<int>(stats.failed));
  EXPECT_EQ(counts.coalesced, static_cast<int>(stats.coalesced));
}

class ObserverSweep : public ::testing::TestWithParam<int> {};
INSTANTIATE_TEST_SUITE_P(Workers, ObserverSweep, ::testing::Values(1, 2, 4));

TEST_P(ObserverSweep, CountsAgreeWithStatsAfterJoin) {
  auto observer = std::make_shared<PlotProgressObserver>();
  taskqueue::TaskQueue queue(Observed(GetParam(), observer));
  const taskqueue::TaskOptions latest{.name = "plot", .coalesce_key = "plot"};

  // Paused, nothing starts: each coalescing plot replaces the one before, so
  // exactly the last of the ten survives.
  queue.pause();
  for (int i = 0; i < 10; ++i) queue.add_task(latest, [] {});
  for (int i = 0; i < 3; ++i) queue.add_task(Plot(), FailingPlot);
  for (int i = 0; i < 5; ++i) queue.add_task(Plot(), [] {});
  queue.resume();
  queue.join();

  PlotCounts counts = observer->counts();
  EXPECT_EQ(counts.done, 6);
  EXPECT_EQ(counts.failed, 3);
  EXPECT_EQ(counts.coalesced, 9);
  ExpectAgreesWithStats(counts, queue.stats());
}

TEST_P(ObserverSweep, FollowsPlotsAsTheyWaitAndRun) {
  const int workers = GetParam();
  auto observer = std::make_shared<PlotProgressObserver>();
  taskqueue::TaskQueue queue(Observed(workers, observer));
  absl::Notification release;
  auto blocked_plot = [&release] { release.WaitForNotification(); };

  // One plot per worker blocks it; two more have no worker to run on.
  for (int i = 0; i < workers + 2; ++i) queue.add_task(Plot(), blocked_plot);
  while (observer->counts().running < workers) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  PlotCounts busy = observer->counts();
  EXPECT_EQ(busy.running, workers);
  EXPECT_EQ(busy.queued, 2);
  EXPECT_EQ(busy.done, 0);

  release.Notify();
  queue.join();
  PlotCounts counts = observer->counts();
  EXPECT_EQ(counts.done, workers + 2);
  ExpectAgreesWithStats(counts, queue.stats());
}

TEST_P(ObserverSweep, ARetriedPlotIsCountedOnce) {
  auto observer = std::make_shared<PlotProgressObserver>();
  taskqueue::TaskQueue queue(Observed(GetParam(), observer));
  const taskqueue::Backoff quick{.initial_delay = std::chrono::milliseconds(1),
                                 .jitter = 0};
  auto failures_left = std::make_shared<std::atomic<int>>(2);

  // Fails twice, then succeeds on its third attempt.
  queue.add_task(
      taskqueue::TaskOptions{
          .name = "plot", .max_attempts = 3, .backoff = quick},
      [failures_left] {
        if (failures_left->fetch_sub(1) > 0) FailingPlot();
      });
  // Fails on both of its attempts.
  queue.add_task(
      taskqueue::TaskOptions{
          .name = "plot", .max_attempts = 2, .backoff = quick},
      FailingPlot);
  queue.join();

  PlotCounts counts = observer->counts();
  EXPECT_EQ(counts.done, 1);
  EXPECT_EQ(counts.failed, 1);
  ExpectAgreesWithStats(counts, queue.stats());
}

// The queue reports every task's events, with options or without.
TEST(PlotProgressObserverTest, TasksWithoutOptionsAreCountedToo) {
  auto observer = std::make_shared<PlotProgressObserver>();
  taskqueue::TaskQueue queue(Observed(2, observer));
  queue.add_task([] {});
  queue.add_task(FailingPlot);
  queue.add_task(Plot(), [] {});
  queue.join();

  PlotCounts counts = observer->counts();
  EXPECT_EQ(counts.queued, 0);
  EXPECT_EQ(counts.running, 0);
  EXPECT_EQ(counts.done, 2);
  EXPECT_EQ(counts.failed, 1);
  ExpectAgreesWithStats(counts, queue.stats());
}

}  // namespace
}  // namespace gradient_descent
