// Backpressure: a queue bounded by QueueOptions::max_queued blocks its
// producers (kBlock, with or without block_timeout), rejects (kReject) or
// drops the oldest task of the lowest priority (kDropOldest) when full, and
// shutdown() releases blocked producers with QueueClosedError.
#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
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
using test_support::WorkerHold;

class Backpressure : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, Backpressure, ::testing::Values(1, 2, 4));

TEST_P(Backpressure, BlockedProducerWaitsUntilAWorkerFreesRoom) {
  TaskQueue q(QueueOptions{.num_workers = workers(),
                           .max_queued = 2,
                           .overflow = OverflowPolicy::kBlock});
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  q.add_task([&ran] { ++ran; });
  q.add_task([&ran] { ++ran; });  // The queue is full now.

  std::atomic<bool> released{false};
  std::atomic<bool> room_when_returned{false};
  std::thread producer([&] {
    q.add_task([&ran] { ++ran; });
    room_when_returned = released.load();
  });
  // A chance for a broken queue to let the producer through.
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(q.stats().submitted, static_cast<uint64_t>(workers() + 2));
  released = true;
  hold.ReleaseAll();
  producer.join();
  EXPECT_TRUE(room_when_returned.load())
      << "add_task returned while the bounded queue was full";
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 3);
  EXPECT_EQ(q.stats().submitted, static_cast<uint64_t>(workers() + 3));
}

TEST_P(Backpressure, BlockTimeoutThrowsQueueFullAndQueuesNothing) {
  const auto timeout = milliseconds(50);
  TaskQueue q(QueueOptions{.num_workers = workers(),
                           .max_queued = 1,
                           .overflow = OverflowPolicy::kBlock,
                           .block_timeout = timeout});
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  std::atomic<bool> rejected_ran{false};
  q.add_task([&ran] { ++ran; });
  const auto before = Clock::now();
  EXPECT_THROW(q.add_task([&rejected_ran] { rejected_ran = true; }),
               QueueFullError);
  EXPECT_GE(Clock::now() - before, timeout);
  EXPECT_THROW(q.submit([] { return 1; }), QueueFullError);
  EXPECT_THROW(q.add_task(TaskOptions{.name = "x"}, [] {}), QueueFullError);
  EXPECT_EQ(q.stats().submitted, static_cast<uint64_t>(workers() + 1));
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 1);
  EXPECT_FALSE(rejected_ran.load());
  // Once there is room again, adding succeeds.
  EXPECT_EQ(q.submit([] { return 7; }).get(), 7);
}

TEST_P(Backpressure, RejectThrowsAtOnceAndQueuesNothing) {
  TaskQueue q(QueueOptions{.num_workers = workers(),
                           .max_queued = 2,
                           .overflow = OverflowPolicy::kReject});
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  std::atomic<bool> rejected_ran{false};
  q.add_task([&ran] { ++ran; });
  TaskFuture<int> second = q.submit([&ran] { return ++ran; });
  EXPECT_THROW(q.add_task([&rejected_ran] { rejected_ran = true; }),
               QueueFullError);
  EXPECT_THROW(q.submit([&rejected_ran] { rejected_ran = true; }),
               QueueFullError);
  EXPECT_THROW(q.add_task(TaskOptions{.priority = 10},
                          [&rejected_ran] { rejected_ran = true; }),
               QueueFullError);
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(workers() + 2));
  EXPECT_EQ(stats.queued, 2u);
  hold.ReleaseAll();
  second.get();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(rejected_ran.load());
  stats = q.stats();
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers() + 2));
  EXPECT_EQ(stats.dropped, 0u);
  // Adding again later succeeds.
  EXPECT_EQ(q.submit([] { return 3; }).get(), 3);
}

TEST_P(Backpressure, DropOldestDropsTheOldestQueuedTask) {
  TaskQueue q(QueueOptions{.num_workers = workers(),
                           .max_queued = 2,
                           .overflow = OverflowPolicy::kDropOldest});
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<bool> oldest_ran{false};
  TaskFuture<int> oldest = q.submit([&oldest_ran] {
    oldest_ran = true;
    return 1;
  });
  TaskFuture<int> middle = q.submit([] { return 2; });
  TaskFuture<int> newest = q.submit([] { return 3; });  // Accepted.
  ASSERT_TRUE(Eventually([&] { return q.stats().dropped == 1; }));
  hold.ReleaseAll();
  try {
    oldest.get();
    ADD_FAILURE() << "the oldest task ran instead of being dropped";
  } catch (const TaskDroppedError& e) {
    EXPECT_EQ(e.state(), TaskState::kDropped);
  }
  EXPECT_EQ(middle.get(), 2);
  EXPECT_EQ(newest.get(), 3);
  EXPECT_TRUE(q.join().ok());
  EXPECT_FALSE(oldest_ran.load());
  EXPECT_EQ(oldest.handle().state(), TaskState::kDropped);
  EXPECT_EQ(oldest.cancel(), CancelResult::kTooLate);
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(workers() + 3));
  EXPECT_EQ(stats.dropped, 1u);
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers() + 2));
  EXPECT_EQ(stats.queued + stats.running, 0u);
}

TEST_P(Backpressure, DropOldestPicksTheLowestPriority) {
  TaskQueue q(QueueOptions{.num_workers = workers(),
                           .max_queued = 3,
                           .overflow = OverflowPolicy::kDropOldest});
  WorkerHold hold;
  hold.Occupy(q, workers());
  TaskFuture<int> high_old =
      q.submit(TaskOptions{.priority = 1}, [] { return 1; });
  TaskFuture<int> low_old =
      q.submit(TaskOptions{.priority = 0}, [] { return 2; });
  TaskFuture<int> low_new =
      q.submit(TaskOptions{.priority = 0}, [] { return 3; });
  // Full; this one pushes out the oldest task of priority 0.
  TaskFuture<int> high_new =
      q.submit(TaskOptions{.priority = 1}, [] { return 4; });
  ASSERT_TRUE(Eventually([&] { return q.stats().dropped == 1; }));
  hold.ReleaseAll();
  EXPECT_EQ(high_old.get(), 1);
  EXPECT_THROW(low_old.get(), TaskDroppedError);
  EXPECT_EQ(low_new.get(), 3);
  EXPECT_EQ(high_new.get(), 4);
  EXPECT_EQ(low_old.handle().state(), TaskState::kDropped);
  q.join();
  EXPECT_EQ(q.stats().dropped, 1u);
}

TEST_P(Backpressure, DropOldestKeepsTheNewestOfAFlood) {
  constexpr int kBound = 4;
  constexpr int kTasks = 50;
  TaskQueue q(QueueOptions{.num_workers = workers(),
                           .max_queued = kBound,
                           .overflow = OverflowPolicy::kDropOldest});
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::vector<TaskFuture<int>> futures;
  for (int i = 0; i < kTasks; ++i) {
    futures.push_back(q.submit([i] { return i; }));
  }
  ASSERT_TRUE(Eventually([&] {
    return q.stats().dropped == static_cast<uint64_t>(kTasks - kBound);
  }));
  hold.ReleaseAll();
  q.join();
  for (int i = 0; i < kTasks; ++i) {
    if (i < kTasks - kBound) {
      EXPECT_THROW(futures[i].get(), TaskDroppedError) << "task " << i;
    } else {
      EXPECT_EQ(futures[i].get(), i);
    }
  }
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(workers() + kTasks));
  EXPECT_EQ(stats.dropped, static_cast<uint64_t>(kTasks - kBound));
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(workers() + kBound));
}

TEST_P(Backpressure, ShutdownReleasesABlockedProducerWithQueueClosed) {
  TaskQueue q(QueueOptions{.num_workers = workers(),
                           .max_queued = 1,
                           .overflow = OverflowPolicy::kBlock});
  WorkerHold hold;
  hold.Occupy(q, workers());
  std::atomic<int> ran{0};
  q.add_task([&ran] { ++ran; });  // Full.

  std::atomic<bool> hold_released{false};
  std::atomic<bool> closed_error{false};
  std::atomic<bool> released_before_hold{false};
  std::atomic<bool> blocked_task_ran{false};
  absl::Notification producer_done;
  std::thread producer([&] {
    try {
      q.add_task([&blocked_task_ran] { blocked_task_ran = true; });
    } catch (const QueueClosedError&) {
      closed_error = true;
    }
    released_before_hold = !hold_released.load();
    producer_done.Notify();
  });
  // A chance for the producer to block before shutdown begins; if it has
  // not, it meets a closed queue, which must throw the same error.
  std::this_thread::sleep_for(milliseconds(50));
  std::thread stopper([&q] { q.shutdown(); });
  // The producer must be let go while the workers are still held: shutdown
  // cannot wait for a task that was never accepted.
  producer_done.WaitForNotificationWithTimeout(test_support::kHangGuard);
  hold_released = true;
  hold.ReleaseAll();
  producer.join();
  stopper.join();
  EXPECT_TRUE(closed_error.load());
  EXPECT_TRUE(released_before_hold.load())
      << "the blocked producer was not released by shutdown()";
  EXPECT_FALSE(blocked_task_ran.load());
  EXPECT_EQ(ran.load(), 1);  // The accepted task still ran.
  EXPECT_EQ(q.stats().submitted, static_cast<uint64_t>(workers() + 1));
  EXPECT_THROW(q.add_task([] {}), QueueClosedError);
}

TEST(BackpressureTest, ManyBlockedProducersAllGetThrough) {
  constexpr int kProducers = 4;
  constexpr int kEach = 200;
  TaskQueue q(QueueOptions{
      .num_workers = 2, .max_queued = 3, .overflow = OverflowPolicy::kBlock});
  std::atomic<int> ran{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) q.add_task([&ran] { ++ran; });
    });
  }
  for (auto& t : producers) t.join();
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(ran.load(), kProducers * kEach);
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(kProducers * kEach));
  EXPECT_EQ(stats.completed, static_cast<uint64_t>(kProducers * kEach));
  EXPECT_EQ(stats.dropped, 0u);
}

TEST(BackpressureTest, UnboundedByDefault) {
  TaskQueue q(1);
  WorkerHold hold;
  hold.Occupy(q, 1);
  for (int i = 0; i < 10000; ++i) q.add_task([] {});
  EXPECT_EQ(q.stats().queued, 10000u);
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
}

}  // namespace
}  // namespace taskqueue
