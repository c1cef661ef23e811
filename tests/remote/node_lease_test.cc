// NodeLease: a node is sent at most slots + prefetch tasks, and an
// at-most-once task only into a free slot; what it was not sent can be taken
// back; batches are reported done in order, once answered.
#include "actors/remote/node_lease.h"

#include <deque>
#include <memory>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

// `n` tasks; those whose index is in `at_most_once` are.
std::shared_ptr<TaskBatch> Batch(int n, uint64_t sequence,
                                 std::set<int> at_most_once = {}) {
  std::vector<QueuedTask> tasks;
  for (int i = 0; i < n; ++i) {
    ControlRef control = ControlRef::Make();
    control->options.at_most_once = at_most_once.count(i) > 0;
    tasks.push_back(QueuedTask{[] {}, 0, std::move(control)});
  }
  return std::make_shared<TaskBatch>(std::move(tasks), sequence);
}

TEST(NodeLeaseTest, SendsNoMoreThanTheWindow) {
  NodeLease lease(2, 1);
  auto batch = Batch(10, 1);
  lease.Add(batch);
  std::vector<uint64_t> ids;
  while (auto sent = lease.Next()) ids.push_back(sent->id);
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(batch->claimed(), 3u);
  EXPECT_EQ(lease.in_flight(), 3u);
  ASSERT_TRUE(lease.Finish(ids[0]));
  ASSERT_TRUE(lease.Next().has_value());
  EXPECT_FALSE(lease.Next().has_value());
  EXPECT_EQ(batch->claimed(), 4u);
}

TEST(NodeLeaseTest, WhatWasNotSentCanBeTakenBack) {
  NodeLease lease(1, 1);
  auto batch = Batch(5, 7);
  lease.Add(batch);
  auto first = lease.Next();
  auto second = lease.Next();
  ASSERT_TRUE(first && second);
  std::deque<QueuedTask> back;
  batch->ReclaimInto(back);
  EXPECT_EQ(back.size(), 3u);
  ASSERT_TRUE(lease.Finish(first->id));
  EXPECT_FALSE(lease.Next().has_value()) << "a reclaimed task was sent";
  EXPECT_TRUE(lease.TakeDone().empty()) << "done with a task unanswered";
  ASSERT_TRUE(lease.Finish(second->id));
  std::vector<NodeLease::Done> done = lease.TakeDone();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].sequence, 7u);
  EXPECT_EQ(done[0].claimed, 2u);
  EXPECT_EQ(lease.batches(), 0u);
}

TEST(NodeLeaseTest, FinishedCountsOnlyAnAnsweredPrefix) {
  NodeLease lease(2, 1);
  auto batch = Batch(3, 1);
  lease.Add(batch);
  auto a = lease.Next();
  auto b = lease.Next();
  auto c = lease.Next();
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(lease.Finish(b->id));
  // Were the node lost now, task 0 may still have been running.
  EXPECT_EQ(batch->finished(), 0u);
  ASSERT_TRUE(lease.Finish(a->id));
  EXPECT_EQ(batch->finished(), 2u);
  ASSERT_TRUE(lease.Finish(c->id));
  EXPECT_EQ(batch->finished(), 3u);
}

TEST(NodeLeaseTest, ForgedAndRepeatedReportsChangeNothing) {
  NodeLease lease(1, 1);
  lease.Add(Batch(2, 1));
  auto a = lease.Next();
  ASSERT_TRUE(a);
  EXPECT_FALSE(lease.Finish(a->id + 100));
  EXPECT_EQ(lease.Find(a->id + 100), nullptr);
  EXPECT_NE(lease.Find(a->id), nullptr);
  EXPECT_TRUE(lease.Finish(a->id));
  EXPECT_FALSE(lease.Finish(a->id));
  EXPECT_EQ(lease.Find(a->id), nullptr);
  EXPECT_EQ(lease.in_flight(), 0u);
}

TEST(NodeLeaseTest, BatchesAreDoneOldestFirst) {
  NodeLease lease(3, 1);
  lease.Add(Batch(1, 1));
  lease.Add(Batch(1, 2));
  auto old_task = lease.Next();
  auto new_task = lease.Next();
  ASSERT_TRUE(old_task && new_task);
  EXPECT_FALSE(lease.Next().has_value());  // Both batches are exhausted.
  ASSERT_TRUE(lease.Finish(new_task->id));
  EXPECT_TRUE(lease.TakeDone().empty()) << "the older batch is not done";
  ASSERT_TRUE(lease.Finish(old_task->id));
  std::vector<NodeLease::Done> done = lease.TakeDone();
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].sequence, 1u);
  EXPECT_EQ(done[1].sequence, 2u);
}

TEST(NodeLeaseTest, AnAtMostOnceTaskWaitsForAFreeSlot) {
  NodeLease lease(2, 2);
  auto batch = Batch(4, 1, /*at_most_once=*/{2});
  lease.Add(batch);
  auto a = lease.Next();
  auto b = lease.Next();
  ASSERT_TRUE(a && b);
  // Both slots are busy: task 2 is claimed and held, and task 3 waits
  // behind it, although the prefetch has room.
  EXPECT_FALSE(lease.Next().has_value());
  EXPECT_EQ(batch->claimed(), 3u);
  EXPECT_EQ(lease.in_flight(), 2u);
  ASSERT_TRUE(lease.Finish(a->id));
  auto held = lease.Next();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->task, &batch->at(2));
  auto after = lease.Next();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->task, &batch->at(3));
  std::vector<uint64_t> ids = lease.InFlight();
  EXPECT_EQ(std::set<uint64_t>(ids.begin(), ids.end()),
            (std::set<uint64_t>{b->id, held->id, after->id}));
}

TEST(NodeLeaseTest, AHeldTaskKeepsItsBatchOpen) {
  NodeLease lease(1, 1);
  lease.Add(Batch(2, 5, /*at_most_once=*/{1}));
  auto a = lease.Next();
  ASSERT_TRUE(a);
  EXPECT_FALSE(lease.Next().has_value());
  ASSERT_TRUE(lease.Finish(a->id));
  EXPECT_TRUE(lease.TakeDone().empty()) << "the held task was never sent";
  auto held = lease.Next();
  ASSERT_TRUE(held);
  ASSERT_TRUE(lease.Finish(held->id));
  EXPECT_EQ(lease.TakeDone().size(), 1u);
}

TEST(NodeLeaseTest, IdsAreNeverReused) {
  NodeLease lease(1, 0);
  lease.Add(Batch(3, 1));
  std::vector<uint64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto sent = lease.Next();
    ASSERT_TRUE(sent);
    ids.push_back(sent->id);
    ASSERT_TRUE(lease.Finish(sent->id));
  }
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(ids[1], ids[2]);
  EXPECT_NE(ids[0], ids[2]);
}

}  // namespace
}  // namespace taskqueue::internal
