// The supervisor actor: the queue itself. It takes tasks from the inbox,
// hands them to the workers in batches, and answers joins.
//
// Policy, all of it here:
//   * Tasks leave in FIFO order, in batches sized to spread what is waiting
//     over the workers (at most kMaxBatch tasks each), with at most
//     kMaxBatchesPerWorker batches sent ahead to each worker, so a worker
//     finishing a batch finds the next one already in its mailbox.
//   * No task waits behind a slow one: when a worker has nothing left to run
//     and nothing is waiting, the supervisor takes back every task that a
//     busy worker has not yet claimed and hands them out again.
//   * A join for epoch e is answered once no task of epoch <= e is waiting or
//     running (epoch_ledger.h).
//
// Spawn it detached in production, so a join or a finished batch wakes it at
// once (CAF's scheduler threads poll with sleeps when idle); tests spawn it on
// CAF's test coordinator to drive it one message at a time.
#ifndef TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_
#define TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "actors/epoch_ledger.h"
#include "actors/messages.h"
#include "actors/queued_task.h"
#include "actors/task_inbox.h"
#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_response_promise.hpp"

namespace taskqueue::internal {

struct SupervisorState {
  static constexpr size_t kMaxBatch = 128;
  static constexpr size_t kMaxBatchesPerWorker = 2;
  static inline const char* name = "taskqueue.supervisor";

  struct Worker {
    caf::actor handle;
    // Sent and not yet reported done, oldest first: the worker runs its
    // batches in the order they were sent.
    std::deque<TaskBatchPtr> batches;
  };

  std::shared_ptr<TaskInbox> inbox;
  std::vector<Worker> workers;
  // Drained from the inbox, not yet in a batch. FIFO.
  std::deque<QueuedTask> waiting;
  EpochLedger unfinished;
  struct PendingJoin {
    caf::strong_actor_ptr caller;
    caf::typed_response_promise<caf::ok_atom> promise;
  };
  // By epoch: answered in epoch order.
  std::multimap<uint64_t, PendingJoin> joins;
};

// `workers` are worker actors (worker_actor.h) or, in tests, stand-ins that
// speak the same messages.
caf::behavior supervisor_actor(caf::stateful_actor<SupervisorState>* self,
                               std::shared_ptr<TaskInbox> inbox,
                               std::vector<caf::actor> workers);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_
