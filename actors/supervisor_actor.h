// The supervisor actor: the queue itself. It takes tasks from the inbox,
// hands them to the workers in batches, answers joins, and owns every policy
// of task control.
//
// Policy, all of it here:
//   * Tasks leave highest priority first, FIFO within a priority, in batches
//     sized to spread what is waiting over the workers (at most kMaxBatch
//     tasks each), with at most kMaxBatchesPerWorker batches sent ahead to
//     each worker, so a worker finishing a batch finds the next one already in
//     its mailbox.
//   * No task waits behind a slow one: when a worker has nothing left to run
//     and nothing is waiting, the supervisor takes back every task that a
//     busy worker has not yet claimed and hands them out again. It also takes
//     them back when a task of higher priority arrives, when pausing, and
//     before pruning, dropping, expiring or clearing, so those act on every
//     task that has not started.
//   * Latest-wins: a task with a coalesce key ends the queued task with the
//     same key (coalesced).
//   * Delayed tasks and retries wait in a timer queue, woken by CAF delayed
//     messages; deadlines are checked by the same timer and by the workers.
//   * A bounded queue with kDropOldest drops the oldest waiting task of the
//     lowest priority while the queue is over its bound.
//   * A join for epoch e is answered once no task of epoch <= e is waiting,
//     delayed or running (epoch_ledger.h).
//   * A worker that dies is replaced at once; the attempt it died in is failed
//     or retried, its unclaimed tasks handed out again.
//
// Spawn it detached in production, so a join or a finished batch wakes it at
// once (CAF's scheduler threads poll with sleeps when idle); tests spawn it on
// CAF's test coordinator to drive it one message at a time.
#ifndef TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_
#define TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "actors/admission.h"
#include "actors/epoch_ledger.h"
#include "actors/messages.h"
#include "actors/queued_task.h"
#include "actors/task_inbox.h"
#include "actors/task_reporter.h"
#include "actors/waiting_tasks.h"
#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/stateful_actor.hpp"

namespace taskqueue::internal {

// What the supervisor works with besides its workers.
struct SupervisorContext {
  std::shared_ptr<TaskInbox> inbox;
  std::shared_ptr<TaskReporter> reporter;
  // Null unless the queue blocks or rejects producers when full.
  std::shared_ptr<Admission> admission;
  // kDropOldest's bound (QueueOptions::max_queued); 0: nothing is dropped.
  size_t drop_oldest_beyond = 0;
  // Starts worker `index` again after it died; returns its handle.
  std::function<caf::actor(int32_t index)> respawn_worker;
  // Set by whoever sends a prune_atom, cleared by the supervisor before it
  // prunes: many cancels in a row cost one prune.
  std::shared_ptr<std::atomic<bool>> prune_requested;
};

struct SupervisorState {
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kMaxBatch = 128;
  static constexpr size_t kMaxBatchesPerWorker = 2;
  static inline const char* name = "taskqueue.supervisor";

  struct Worker {
    caf::actor handle;
    // Sent and not yet reported done, oldest first: the worker runs its
    // batches in the order they were sent.
    std::deque<TaskBatchPtr> batches;
  };

  SupervisorContext context;
  std::vector<Worker> workers;
  // Drained from the inbox, not yet in a batch.
  WaitingTasks waiting;
  // Waiting for their time: delayed tasks, and retries in backoff (whose
  // `task` is empty until the next attempt is built).
  std::multimap<Clock::time_point, QueuedTask> timed;
  // Deadlines of tasks that may still be queued, soonest first.
  std::priority_queue<Clock::time_point, std::vector<Clock::time_point>,
                      std::greater<Clock::time_point>>
      deadlines;
  // The newest task of each coalesce key.
  std::map<std::string, ControlRef> newest_by_key;
  EpochLedger unfinished;
  // By epoch: answered in epoch order.
  std::multimap<uint64_t, Reply> joins;
  uint64_t batches_sent = 0;
  // Whether any task so far had a priority other than 0: only then can a
  // newcomer outrank a task already handed out.
  bool priorities_used = false;
  bool paused = false;
  // Shutdown began: no more timers are waited out.
  bool closing = false;
  // When the timer_atom last scheduled will arrive, if one is pending.
  std::optional<Clock::time_point> timer_due;
  // For the jitter of retry backoffs.
  std::minstd_rand random;
};

// `workers` are worker actors (worker_actor.h) or, in tests, stand-ins that
// speak the same messages. The supervisor monitors them.
caf::behavior supervisor_actor(caf::stateful_actor<SupervisorState>* self,
                               SupervisorContext context,
                               std::vector<caf::actor> workers);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_
