// QueueOptions are checked when the queue is built: an invalid field makes
// the TaskQueue constructor throw std::invalid_argument (nothing is started),
// as invalid TaskOptions make add_task throw; valid edge values are taken.
#include <chrono>
#include <stdexcept>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"

namespace taskqueue {
namespace {

using std::chrono::milliseconds;

TEST(QueueOptionsTest, NumWorkersOutOfRangeIsRejected) {
  for (int workers : {-1, 0, QueueOptions::kMaxWorkers + 1}) {
    EXPECT_THROW(TaskQueue{workers}, std::invalid_argument) << workers;
    EXPECT_THROW(TaskQueue(QueueOptions{.num_workers = workers}),
                 std::invalid_argument)
        << workers;
  }
}

// A negative wait used to be taken, and made every producer of a full kBlock
// queue fail at once, as kReject would.
TEST(QueueOptionsTest, NegativeBlockTimeoutIsRejected) {
  EXPECT_THROW(TaskQueue(QueueOptions{.max_queued = 1,
                                      .overflow = OverflowPolicy::kBlock,
                                      .block_timeout = milliseconds(-1)}),
               std::invalid_argument);
  EXPECT_THROW(
      TaskQueue(QueueOptions{
          .max_queued = 1,
          .block_timeout = std::chrono::steady_clock::duration::min()}),
      std::invalid_argument);
}

// block_timeout says how long kBlock waits; with a policy that never waits
// it contradicts the policy.
TEST(QueueOptionsTest, BlockTimeoutWithAPolicyThatDoesNotBlockIsRejected) {
  for (OverflowPolicy policy :
       {OverflowPolicy::kReject, OverflowPolicy::kDropOldest}) {
    EXPECT_THROW(TaskQueue(QueueOptions{.max_queued = 1,
                                        .overflow = policy,
                                        .block_timeout = milliseconds(5)}),
                 std::invalid_argument);
  }
}

TEST(QueueOptionsTest, OverflowPolicyOutOfRangeIsRejected) {
  EXPECT_THROW(
      TaskQueue(QueueOptions{.max_queued = 1,
                             .overflow = static_cast<OverflowPolicy>(42)}),
      std::invalid_argument);
}

TEST(QueueOptionsTest, ValidEdgeValuesAreTaken) {
  EXPECT_NO_THROW(TaskQueue(QueueOptions{.num_workers = 1}));
  EXPECT_NO_THROW(TaskQueue(QueueOptions{.max_queued = 0}));
  EXPECT_NO_THROW(TaskQueue(QueueOptions{.on_error = nullptr}));
  EXPECT_NO_THROW(TaskQueue(QueueOptions{.max_queued = 1,
                                         .overflow = OverflowPolicy::kBlock,
                                         .block_timeout = milliseconds(0)}));
  EXPECT_NO_THROW(TaskQueue(QueueOptions{
      .max_queued = 1,
      .block_timeout = std::chrono::steady_clock::duration::max()}));
  for (OverflowPolicy policy : {OverflowPolicy::kBlock, OverflowPolicy::kReject,
                                OverflowPolicy::kDropOldest}) {
    EXPECT_NO_THROW(
        TaskQueue(QueueOptions{.max_queued = 3, .overflow = policy}));
  }
}

// A zero block_timeout is a valid wait: a full kBlock queue refuses at once
// with QueueFullError.
TEST(QueueOptionsTest, ZeroBlockTimeoutRefusesAFullQueueAtOnce) {
  TaskQueue q(QueueOptions{.max_queued = 1,
                           .overflow = OverflowPolicy::kBlock,
                           .block_timeout = milliseconds(0)});
  q.pause();
  q.add_task([] {});
  EXPECT_THROW(q.add_task([] {}), QueueFullError);
  q.resume();
  EXPECT_TRUE(q.join().ok());
}

}  // namespace
}  // namespace taskqueue
