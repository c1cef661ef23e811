// Priorities (TaskOptions::priority): higher runs first, FIFO within a
// priority, plain tasks count as priority 0. Every worker is held busy while
// the tasks are added; then exactly one worker is let go, so the order in
// which tasks start is the queue's order and nothing else.
#include <climits>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using test_support::WorkerHold;

// Records the order tasks start in, and lets a test wait for `n` of them.
class StartOrder {
 public:
  void Record(std::string label) {
    absl::MutexLock lock(&mu_);
    order_.push_back(std::move(label));
  }
  std::vector<std::string> WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return order_.size() >= n;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), test_support::kHangGuard);
    return order_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> order_ ABSL_GUARDED_BY(mu_);
};

class Priority : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Workers, Priority, ::testing::Values(1, 2, 4));

TEST_P(Priority, HigherFirstFifoWithinAPriority) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  StartOrder order;
  auto record = [&order](std::string label) { order.Record(label); };
  const std::vector<std::pair<int, std::string>> tasks = {
      {0, "0a"},  {5, "5a"},   {-1, "-1a"}, {5, "5b"}, {0, "0b"},
      {10, "10"}, {-1, "-1b"}, {0, "0c"},   {5, "5c"}, {-1, "-1c"},
  };
  for (const auto& [priority, label] : tasks) {
    q.add_task(TaskOptions{.priority = priority}, record, label);
  }
  hold.Release(0);  // One worker takes the tasks, one after another.
  const std::vector<std::string> expected = {"10", "5a", "5b",  "5c",  "0a",
                                             "0b", "0c", "-1a", "-1b", "-1c"};
  EXPECT_EQ(order.WaitFor(expected.size()), expected);
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
}

TEST_P(Priority, PlainTasksAndSubmitShareTheOrder) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  StartOrder order;
  auto record = [&order](std::string label) { order.Record(label); };
  q.add_task(record, "plain 1");
  q.add_task(TaskOptions{.priority = -3}, record, "low");
  TaskFuture<void> urgent =
      q.submit(TaskOptions{.priority = 3}, record, "urgent");
  TaskFuture<void> submitted = q.submit(record, "submit 0");
  q.add_task(TaskOptions{}, record, "options 0");
  q.add_task(record, "plain 2");
  hold.Release(0);
  const std::vector<std::string> expected = {"urgent",    "plain 1", "submit 0",
                                             "options 0", "plain 2", "low"};
  EXPECT_EQ(order.WaitFor(expected.size()), expected);
  urgent.get();
  submitted.get();
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
}

TEST_P(Priority, ExtremePrioritiesOrderCorrectly) {
  TaskQueue q(workers());
  WorkerHold hold;
  hold.Occupy(q, workers());
  StartOrder order;
  auto record = [&order](std::string label) { order.Record(label); };
  q.add_task(TaskOptions{.priority = INT_MIN}, record, "min");
  q.add_task(TaskOptions{.priority = 0}, record, "zero");
  q.add_task(TaskOptions{.priority = INT_MAX}, record, "max");
  q.add_task(TaskOptions{.priority = INT_MIN + 1}, record, "min+1");
  q.add_task(TaskOptions{.priority = INT_MAX - 1}, record, "max-1");
  hold.Release(0);
  const std::vector<std::string> expected = {"max", "max-1", "zero", "min+1",
                                             "min"};
  EXPECT_EQ(order.WaitFor(expected.size()), expected);
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().ok());
}

// A high-priority task added while lower ones wait goes before all of them,
// also when added after the worker has already started taking the queue.
TEST(PriorityTest, LateHighPriorityTaskOvertakesTheWaitingOnes) {
  TaskQueue q(1);
  WorkerHold hold;
  hold.Occupy(q, 1);
  StartOrder order;
  absl::Notification first_running, release_first;
  q.add_task(TaskOptions{.priority = 0}, [&] {
    order.Record("first");
    first_running.Notify();
    release_first.WaitForNotificationWithTimeout(test_support::kHangGuard);
  });
  for (int i = 0; i < 5; ++i) {
    q.add_task(
        TaskOptions{.priority = 0},
        [&order](int n) { order.Record("low " + std::to_string(n)); }, i);
  }
  hold.ReleaseAll();
  first_running.WaitForNotification();
  q.add_task(TaskOptions{.priority = 1}, [&order] { order.Record("high"); });
  release_first.Notify();
  const std::vector<std::string> expected = {"first", "high",  "low 0", "low 1",
                                             "low 2", "low 3", "low 4"};
  EXPECT_EQ(order.WaitFor(expected.size()), expected);
  EXPECT_TRUE(q.join().ok());
}

}  // namespace
}  // namespace taskqueue
