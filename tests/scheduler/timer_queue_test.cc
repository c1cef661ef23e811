// TimerQueue: delayed tasks and retries wait here until their time; a time of
// TimePoint::max() means never, and must arm no timer.
#include "actors/scheduler/timer_queue.h"

#include <chrono>
#include <cstdint>
#include <vector>

#include "actors/scheduler/queued_task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using std::chrono::seconds;

constexpr TimePoint kNever = TimePoint::max();

TimePoint At(Clock::duration since_start) { return TimePoint() + since_start; }

QueuedTask Task(uint64_t id) {
  ControlRef control = ControlRef::Make();
  control->id = id;
  return QueuedTask{[] {}, 0, std::move(control)};
}

std::vector<uint64_t> Ids(const std::vector<QueuedTask>& tasks) {
  std::vector<uint64_t> ids;
  for (const QueuedTask& task : tasks) ids.push_back(task.control->id);
  return ids;
}

TEST(TimerQueueTest, NextIsNoneWhenEmpty) {
  TimerQueue timers;
  EXPECT_EQ(timers.Next(), std::nullopt);
  EXPECT_TRUE(timers.empty());
}

TEST(TimerQueueTest, NextIsTheSoonest) {
  TimerQueue timers;
  timers.Add(At(seconds(5)), Task(1));
  timers.Add(At(seconds(2)), Task(2));
  timers.Add(At(seconds(9)), Task(3));
  EXPECT_EQ(timers.Next(), At(seconds(2)));
}

TEST(TimerQueueTest, NextIgnoresTasksThatWaitForNever) {
  // A "never" task must not arm a timer: only a cancel, clear or shutdown
  // takes it out.
  TimerQueue timers;
  timers.Add(kNever, Task(1));
  EXPECT_EQ(timers.Next(), std::nullopt);
  EXPECT_FALSE(timers.empty());
  timers.Add(At(seconds(3)), Task(2));
  EXPECT_EQ(timers.Next(), At(seconds(3)));
}

TEST(TimerQueueTest, TakeDueTakesOnlyDueTasksSoonestFirst) {
  TimerQueue timers;
  timers.Add(At(seconds(4)), Task(1));
  timers.Add(At(seconds(1)), Task(2));
  timers.Add(At(seconds(3)), Task(3));
  timers.Add(At(seconds(6)), Task(4));
  std::vector<QueuedTask> out;
  timers.TakeDue(At(seconds(3)), out);  // Due at exactly `now` counts.
  EXPECT_THAT(Ids(out), ElementsAre(2, 3));
  EXPECT_EQ(timers.size(), 2);
  EXPECT_EQ(timers.Next(), At(seconds(4)));
}

TEST(TimerQueueTest, TakeDueAppendsToOut) {
  TimerQueue timers;
  timers.Add(At(seconds(1)), Task(2));
  std::vector<QueuedTask> out;
  out.push_back(Task(1));
  timers.TakeDue(At(seconds(1)), out);
  EXPECT_THAT(Ids(out), ElementsAre(1, 2));
}

TEST(TimerQueueTest, TasksDueTogetherComeOutInTheOrderAdded) {
  TimerQueue timers;
  timers.Add(At(seconds(2)), Task(1));
  timers.Add(At(seconds(2)), Task(2));
  timers.Add(At(seconds(2)), Task(3));
  std::vector<QueuedTask> out;
  timers.TakeDue(At(seconds(2)), out);
  EXPECT_THAT(Ids(out), ElementsAre(1, 2, 3));
}

TEST(TimerQueueTest, TakeDueNeverTakesNeverTasks) {
  // Not even at the end of the clock: "never" is not a time that comes.
  TimerQueue timers;
  timers.Add(kNever, Task(1));
  timers.Add(At(seconds(1)), Task(2));
  std::vector<QueuedTask> out;
  timers.TakeDue(kNever, out);
  EXPECT_THAT(Ids(out), ElementsAre(2));
  EXPECT_EQ(timers.size(), 1);
  EXPECT_EQ(timers.Next(), std::nullopt);
}

TEST(TimerQueueTest, TakeDueBeforeAnythingIsDueTakesNothing) {
  TimerQueue timers;
  timers.Add(At(seconds(5)), Task(1));
  std::vector<QueuedTask> out;
  timers.TakeDue(At(seconds(4)), out);
  EXPECT_THAT(out, IsEmpty());
  EXPECT_EQ(timers.size(), 1);
}

TEST(TimerQueueTest, RemoveIfTakesMatchesWhateverTheirTime) {
  TimerQueue timers;
  timers.Add(At(seconds(3)), Task(1));
  timers.Add(kNever, Task(2));
  timers.Add(At(seconds(1)), Task(3));
  timers.Add(At(seconds(2)), Task(4));
  std::vector<uint64_t> removed;
  timers.RemoveIf(
      [](const QueuedTask& task) { return task.control->id % 2 == 0; },
      [&](QueuedTask& task) { removed.push_back(task.control->id); });
  // Handed over soonest first; "never" sorts last.
  EXPECT_THAT(removed, ElementsAre(4, 2));
  EXPECT_EQ(timers.size(), 2);
  std::vector<QueuedTask> out;
  timers.TakeDue(kNever, out);
  EXPECT_THAT(Ids(out), ElementsAre(3, 1));
  EXPECT_TRUE(timers.empty());
}

}  // namespace
}  // namespace taskqueue::internal
