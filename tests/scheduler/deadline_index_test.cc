// DeadlineIndex: the deadlines of the tasks that have not ended, soonest
// first, so that the scheduler arms one timer and expires or stops tasks as
// their deadlines pass.
#include "actors/scheduler/deadline_index.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

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

ControlRef Task(uint64_t id, std::optional<TimePoint> deadline) {
  ControlRef control = ControlRef::Make();
  control->id = id;
  control->options.deadline = deadline;
  return control;
}

std::vector<uint64_t> Ids(const std::vector<ControlRef>& tasks) {
  std::vector<uint64_t> ids;
  for (const ControlRef& task : tasks) ids.push_back(task->id);
  return ids;
}

TEST(DeadlineIndexTest, IgnoresTasksWithoutADeadline) {
  DeadlineIndex index;
  ControlRef task = Task(1, std::nullopt);
  index.Add(task);
  EXPECT_EQ(index.size(), 0);
  EXPECT_EQ(index.Next(), std::nullopt);
  index.Remove(*task);  // Harmless too.
  EXPECT_EQ(index.size(), 0);
}

TEST(DeadlineIndexTest, NextIsTheSoonestDeadline) {
  DeadlineIndex index;
  EXPECT_EQ(index.Next(), std::nullopt);
  index.Add(Task(1, At(seconds(7))));
  index.Add(Task(2, At(seconds(3))));
  index.Add(Task(3, At(seconds(5))));
  EXPECT_EQ(index.Next(), At(seconds(3)));
  EXPECT_EQ(index.size(), 3);
}

TEST(DeadlineIndexTest, TakeDueTakesThoseAtOrBeforeNowSoonestFirst) {
  DeadlineIndex index;
  index.Add(Task(1, At(seconds(7))));
  index.Add(Task(2, At(seconds(3))));
  index.Add(Task(3, At(seconds(5))));
  std::vector<ControlRef> out;
  index.TakeDue(At(seconds(5)), out);
  EXPECT_THAT(Ids(out), ElementsAre(2, 3));
  EXPECT_EQ(index.size(), 1);
  EXPECT_EQ(index.Next(), At(seconds(7)));
}

TEST(DeadlineIndexTest, TiesAreBrokenByTaskId) {
  DeadlineIndex index;
  index.Add(Task(9, At(seconds(2))));
  index.Add(Task(4, At(seconds(2))));
  index.Add(Task(6, At(seconds(2))));
  std::vector<ControlRef> out;
  index.TakeDue(At(seconds(2)), out);
  EXPECT_THAT(Ids(out), ElementsAre(4, 6, 9));
}

TEST(DeadlineIndexTest, TakeDueBeforeAnyDeadlineTakesNothing) {
  DeadlineIndex index;
  index.Add(Task(1, At(seconds(2))));
  std::vector<ControlRef> out;
  index.TakeDue(At(seconds(1)), out);
  EXPECT_THAT(out, IsEmpty());
  EXPECT_EQ(index.size(), 1);
}

TEST(DeadlineIndexTest, RemoveForgetsTheTask) {
  // A task that ended leaves nothing behind in a long-lived queue.
  DeadlineIndex index;
  ControlRef task = Task(1, At(seconds(2)));
  index.Add(task);
  index.Remove(*task);
  EXPECT_EQ(index.size(), 0);
  EXPECT_EQ(index.Next(), std::nullopt);
  std::vector<ControlRef> out;
  index.TakeDue(At(seconds(10)), out);
  EXPECT_THAT(out, IsEmpty());
}

TEST(DeadlineIndexTest, RemoveForgetsOnlyThatTask) {
  // Same deadline, other id: the id is what tells the entries apart.
  DeadlineIndex index;
  ControlRef a = Task(1, At(seconds(2)));
  ControlRef b = Task(2, At(seconds(2)));
  index.Add(a);
  index.Add(b);
  index.Remove(*a);
  EXPECT_EQ(index.size(), 1);
  std::vector<ControlRef> out;
  index.TakeDue(At(seconds(2)), out);
  EXPECT_THAT(Ids(out), ElementsAre(2));
}

TEST(DeadlineIndexTest, AddingTwiceIsHarmless) {
  DeadlineIndex index;
  ControlRef task = Task(1, At(seconds(2)));
  index.Add(task);
  index.Add(task);
  EXPECT_EQ(index.size(), 1);
  std::vector<ControlRef> out;
  index.TakeDue(At(seconds(2)), out);
  EXPECT_THAT(Ids(out), ElementsAre(1));
  EXPECT_EQ(index.size(), 0);
}

TEST(DeadlineIndexTest, TakenTasksAreKeptAliveByTheirReference) {
  // The index owns a reference: a task whose other owners are gone is still
  // there to expire.
  DeadlineIndex index;
  index.Add(Task(1, At(seconds(2))));
  std::vector<ControlRef> out;
  index.TakeDue(At(seconds(2)), out);
  ASSERT_EQ(out.size(), 1);
  EXPECT_EQ(out[0]->refs.load(), 1);
  EXPECT_EQ(out[0]->options.deadline, At(seconds(2)));
}

}  // namespace
}  // namespace taskqueue::internal
