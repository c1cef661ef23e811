// NodeLease: the part of the scheduler's batches that a worker node holds,
// as its proxy (node_proxy_actor.h) keeps track of it.
//
// The scheduler hands the node's endpoint whole batches (task_batch.h), but
// the node is sent only slots + prefetch tasks at a time: the proxy claims
// a task from its oldest batch when it sends it, so what the node has not
// been sent stays unclaimed, and the scheduler can still take it back for
// an idle endpoint, a higher priority or a pause. A batch is done once
// nothing in it can be claimed any more and every task the node was sent
// from it has been answered.
//
// Every task a node was sent may have run there, since a lost node's last
// reports are lost with it. So an at-most-once task (TaskOptions) is never
// prefetched: it is sent only when the node has a free slot, where it
// starts at once, and until then it is held here, claimed and unsent,
// keeping the tasks after it waiting too (they start in order).
//
//   NodeLease lease(/*slots=*/2, /*prefetch=*/1);
//   lease.Add(batch);
//   while (auto next = lease.Next()) Send(next->id, *next->task);
//   ...
//   lease.Finish(id);  // the node answered
//   for (NodeLease::Done d : lease.TakeDone()) ReportDone(d);
//
// Not thread-safe: the proxy's thread only (the batches' claims are safe
// against the scheduler's concurrent reclaims by themselves).
#ifndef TASKQUEUE_ACTORS_REMOTE_NODE_LEASE_H_
#define TASKQUEUE_ACTORS_REMOTE_NODE_LEASE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "actors/scheduler/task_batch.h"

namespace taskqueue::internal {

class NodeLease {
 public:
  // `slots` >= 1.
  NodeLease(size_t slots, size_t prefetch);

  void Add(std::shared_ptr<TaskBatch> batch);

  struct Sent {
    uint64_t id;
    QueuedTask* task;
  };
  // The next task to send the node, if it has room and a batch has one (or
  // the task held back has its free slot now). Ids are unique for the
  // lease's lifetime.
  std::optional<Sent> Next();

  // The task sent as `id` and not yet finished, or nullptr.
  QueuedTask* Find(uint64_t id);

  // The node is done with `id` (answered, or it was skipped): its place in
  // the window is free. Returns false, changing nothing, for an id not in
  // flight (a forged or repeated report).
  bool Finish(uint64_t id);

  struct Done {
    uint64_t sequence;
    size_t claimed;
  };
  // The batches that are done, oldest first, forgotten here: report each to
  // the scheduler (BatchDone).
  std::vector<Done> TakeDone();

  // The ids sent and not finished, in no order.
  std::vector<uint64_t> InFlight() const;

  size_t in_flight() const { return in_flight_.size(); }
  size_t batches() const { return batches_.size(); }

 private:
  struct Held {
    std::shared_ptr<TaskBatch> batch;
    size_t claimed = 0;
    // finished[i]: claimed task i was answered.
    std::vector<bool> finished;
    // Tasks [0, finished_prefix) are all answered.
    size_t finished_prefix = 0;
    size_t unanswered = 0;
    // Claim() returned nothing: the rest was taken back, or there is none.
    bool exhausted = false;
  };
  struct Place {
    Held* held;
    size_t index;
  };

  std::optional<Sent> Send(QueuedTask* task, Place place);

  const size_t slots_;
  const size_t window_;
  std::deque<Held> batches_;
  absl::flat_hash_map<uint64_t, Place> in_flight_;
  // An at-most-once task claimed while the node had no free slot.
  std::optional<std::pair<QueuedTask*, Place>> held_back_;
  uint64_t next_id_ = 1;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_NODE_LEASE_H_
