// WaitingLanes: the order in which ready tasks start (higher priority first,
// FIFO within a priority), and the ways tasks leave it.
#include "actors/scheduler/waiting_lanes.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "actors/scheduler/queued_task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A task known by `id`, with `priority`; the lanes look at nothing else.
QueuedTask Task(uint64_t id, int priority = 0) {
  ControlRef control = ControlRef::Make();
  control->id = id;
  control->options.priority = priority;
  return QueuedTask{[] {}, 0, std::move(control)};
}

// A named task: one a remote endpoint can run.
QueuedTask Portable(uint64_t id, int priority = 0) {
  QueuedTask task = Task(id, priority);
  task.control->remote = std::make_unique<RemoteCall>();
  return task;
}

// The ids of `tasks`, in order; 0 for a plain task.
std::vector<uint64_t> Ids(const std::vector<QueuedTask>& tasks) {
  std::vector<uint64_t> ids;
  for (const QueuedTask& task : tasks) {
    ids.push_back(task.control ? task.control->id : 0);
  }
  return ids;
}

// Everything still waiting, in the order it would start.
std::vector<uint64_t> Drain(WaitingLanes& lanes) {
  std::vector<QueuedTask> out;
  lanes.TakeFront(lanes.size(), out);
  return Ids(out);
}

TEST(WaitingLanesTest, HigherPriorityFirstThenFifo) {
  WaitingLanes lanes;
  lanes.PushBack(Task(1, 0));
  lanes.PushBack(Task(2, 5));
  lanes.PushBack(Task(3, -1));
  lanes.PushBack(Task(4, 5));
  lanes.PushBack(Task(5, 0));
  EXPECT_THAT(Drain(lanes), ElementsAre(2, 4, 1, 5, 3));
  EXPECT_TRUE(lanes.empty());
}

TEST(WaitingLanesTest, PlainTasksShareTheDefaultPriorityLane) {
  // A plain add_task has no control block; it counts as priority 0 and keeps
  // its place among the tasks with options of that priority.
  WaitingLanes lanes;
  lanes.PushBack(Task(1, 0));
  lanes.PushBack(QueuedTask{[] {}, 0, ControlRef()});
  lanes.PushBack(Task(2, 1));
  lanes.PushBack(Task(3, 0));
  EXPECT_THAT(Drain(lanes), ElementsAre(2, 1, 0, 3));
}

TEST(WaitingLanesTest, TakenBackTasksGoBeforeTheOthersOfTheirPriority) {
  WaitingLanes lanes;
  lanes.PushBack(Task(1, 0));
  lanes.PushBack(Task(2, 0));
  lanes.PushBack(Task(3, 1));
  // Handed out before 1, 2 and 3 arrived, oldest first: they must start
  // before those of their own priority, in the order they were handed out,
  // but still after any higher priority.
  std::deque<QueuedTask> back;
  back.push_back(Task(10, 0));
  back.push_back(Task(11, 1));
  back.push_back(Task(12, 0));
  back.push_back(Task(13, -2));
  lanes.PushFrontInOrder(back);
  EXPECT_THAT(back, IsEmpty());
  EXPECT_EQ(lanes.size(), 7);
  EXPECT_THAT(Drain(lanes), ElementsAre(11, 3, 10, 12, 1, 2, 13));
}

TEST(WaitingLanesTest, TakeFrontTakesAcrossLanesAndAppends) {
  WaitingLanes lanes;
  lanes.PushBack(Task(1, 2));
  lanes.PushBack(Task(2, 1));
  lanes.PushBack(Task(3, 1));
  lanes.PushBack(Task(4, 0));
  std::vector<QueuedTask> out;
  out.push_back(Task(99));  // Already there: TakeFront appends after it.
  lanes.TakeFront(3, out);
  EXPECT_THAT(Ids(out), ElementsAre(99, 1, 2, 3));
  EXPECT_EQ(lanes.size(), 1);
  EXPECT_EQ(lanes.TopPriority(), 0);
}

TEST(WaitingLanesTest, TakeFrontOfMoreThanWaitTakesAll) {
  WaitingLanes lanes;
  lanes.PushBack(Task(1, 1));
  lanes.PushBack(Task(2, 0));
  std::vector<QueuedTask> out;
  lanes.TakeFront(10, out);
  EXPECT_THAT(Ids(out), ElementsAre(1, 2));
  EXPECT_TRUE(lanes.empty());
  EXPECT_EQ(lanes.size(), 0);
}

TEST(WaitingLanesTest, TakeFrontOfZeroTakesNothing) {
  WaitingLanes lanes;
  lanes.PushBack(Task(1));
  std::vector<QueuedTask> out;
  lanes.TakeFront(0, out);
  EXPECT_THAT(out, IsEmpty());
  EXPECT_EQ(lanes.size(), 1);
}

TEST(WaitingLanesTest, TakeOldestOfLowestPriority) {
  // What a full queue drops first (OverflowPolicy::kDropOldest): the oldest
  // of the least important tasks.
  WaitingLanes lanes;
  lanes.PushBack(Task(1, 1));
  lanes.PushBack(Task(2, -1));
  lanes.PushBack(Task(3, 0));
  lanes.PushBack(Task(4, -1));
  QueuedTask out;
  std::vector<uint64_t> taken;
  while (lanes.TakeOldestOfLowest(out)) taken.push_back(out.control->id);
  EXPECT_THAT(taken, ElementsAre(2, 4, 3, 1));
  EXPECT_TRUE(lanes.empty());
}

TEST(WaitingLanesTest, TakeOldestOfLowestWhenEmptyIsFalse) {
  WaitingLanes lanes;
  QueuedTask out;
  EXPECT_FALSE(lanes.TakeOldestOfLowest(out));
  EXPECT_FALSE(out.control);
}

TEST(WaitingLanesTest, RemoveIfHandsOverMatchesInOrderAndKeepsTheRest) {
  WaitingLanes lanes;
  for (uint64_t id = 1; id <= 6; ++id) {
    lanes.PushBack(Task(id, id % 2 == 0 ? 1 : 0));
  }
  // Lanes: priority 1 holds 2, 4, 6; priority 0 holds 1, 3, 5.
  std::vector<uint64_t> removed;
  lanes.RemoveIf(
      [](const QueuedTask& task) {
        return task.control->id == 4 || task.control->id == 1 ||
               task.control->id == 5;
      },
      [&](QueuedTask&& task) { removed.push_back(task.control->id); });
  EXPECT_THAT(removed, ElementsAre(4, 1, 5));
  EXPECT_EQ(lanes.size(), 3);
  EXPECT_THAT(Drain(lanes), ElementsAre(2, 6, 3));
}

TEST(WaitingLanesTest, RemoveIfEmptyingALaneDropsItsPriority) {
  WaitingLanes lanes;
  lanes.PushBack(Task(1, 3));
  lanes.PushBack(Task(2, 0));
  lanes.RemoveIf([](const QueuedTask& task) { return task.priority() == 3; },
                 [](QueuedTask&&) {});
  EXPECT_EQ(lanes.size(), 1);
  EXPECT_EQ(lanes.TopPriority(), 0);
}

TEST(WaitingLanesTest, SizeEmptyAndTopPriority) {
  WaitingLanes lanes;
  EXPECT_TRUE(lanes.empty());
  EXPECT_EQ(lanes.size(), 0);
  lanes.PushBack(Task(1, -3));
  EXPECT_FALSE(lanes.empty());
  EXPECT_EQ(lanes.TopPriority(), -3);
  lanes.PushBack(Task(2, 7));
  EXPECT_EQ(lanes.TopPriority(), 7);
  EXPECT_EQ(lanes.size(), 2);
  std::vector<QueuedTask> out;
  lanes.TakeFront(1, out);
  // The emptied lane no longer counts as the top.
  EXPECT_EQ(lanes.TopPriority(), -3);
  EXPECT_EQ(lanes.size(), 1);
}

TEST(WaitingLanesTest, TakeFrontPortableStepsOverClosuresKeepingTheirOrder) {
  WaitingLanes lanes;
  lanes.PushBack(Task(1));
  lanes.PushBack(Portable(2));
  lanes.PushBack(Task(3));
  lanes.PushBack(Portable(4, 5));
  lanes.PushBack(Portable(5));
  lanes.PushBack(Task(6));
  EXPECT_EQ(lanes.portable(), 3u);
  std::vector<QueuedTask> out;
  lanes.TakeFrontPortable(2, out);
  EXPECT_THAT(Ids(out), ElementsAre(4, 2));
  EXPECT_EQ(lanes.portable(), 1u);
  EXPECT_EQ(lanes.size(), 4u);
  EXPECT_THAT(Drain(lanes), ElementsAre(1, 3, 5, 6));
  EXPECT_EQ(lanes.portable(), 0u);
}

TEST(WaitingLanesTest, TakeFrontPortableWithoutAnyTakesNothing) {
  WaitingLanes lanes;
  lanes.PushBack(Task(1));
  lanes.PushBack(QueuedTask{[] {}, 0, ControlRef()});
  std::vector<QueuedTask> out;
  lanes.TakeFrontPortable(5, out);
  EXPECT_THAT(out, IsEmpty());
  EXPECT_THAT(Drain(lanes), ElementsAre(1, 0));
}

TEST(WaitingLanesTest, PortableCountFollowsEveryWayOut) {
  WaitingLanes lanes;
  // Portable 2, 4, 6 at priorities 2, 1, 0; closures 1, 3, 5 at 0.
  for (uint64_t id = 1; id <= 6; ++id) {
    lanes.PushBack(id % 2 == 0 ? Portable(id, static_cast<int>(id % 3))
                               : Task(id));
  }
  EXPECT_EQ(lanes.portable(), 3u);
  QueuedTask lowest;
  ASSERT_TRUE(lanes.TakeOldestOfLowest(lowest));
  EXPECT_EQ(lowest.control->id, 1u);
  EXPECT_EQ(lanes.portable(), 3u);
  lanes.RemoveIf([](const QueuedTask& t) { return t.control->id == 4; },
                 [](QueuedTask&&) {});
  EXPECT_EQ(lanes.portable(), 2u);
  std::deque<QueuedTask> back;
  back.push_back(Portable(7));
  lanes.PushFrontInOrder(back);
  EXPECT_EQ(lanes.portable(), 3u);
  EXPECT_EQ(lanes.TopPortablePriority(), 2);
  std::vector<QueuedTask> out;
  lanes.TakeFront(2, out);  // 2, then 7 at the front of priority 0.
  EXPECT_THAT(Ids(out), ElementsAre(2, 7));
  EXPECT_EQ(lanes.portable(), 1u);
  EXPECT_EQ(lanes.TopPortablePriority(), 0);
  EXPECT_THAT(Drain(lanes), ElementsAre(3, 5, 6));
  EXPECT_EQ(lanes.portable(), 0u);
}

}  // namespace
}  // namespace taskqueue::internal
