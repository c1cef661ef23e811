// The worker actor: runs the task batches the supervisor sends it and reports
// each one done. It makes no decisions; the supervisor owns all policy. For a
// task with a control block it only carries out what the block says: it does
// not start a task someone else already ended, lets an expired one expire, and
// hands a failed attempt with attempts left back to the supervisor.
//
// Spawn it detached (`caf::detached`): tasks block, and a blocked task must
// hold up only its own worker thread, never CAF's scheduler threads, the
// supervisor or the other workers.
//
// A task that throws (anything) is caught here: retried, or counted as failed
// and handed to its future or `on_error`; the worker goes on with the next
// task.
#ifndef TASKQUEUE_ACTORS_WORKER_ACTOR_H_
#define TASKQUEUE_ACTORS_WORKER_ACTOR_H_

#include <cstdint>
#include <memory>

#include "actors/admission.h"
#include "actors/queue_counters.h"
#include "actors/task_inbox.h"
#include "actors/task_reporter.h"
#include "caf/event_based_actor.hpp"

namespace taskqueue::internal {

// What the workers of one queue share. Outlives the workers.
struct WorkerContext {
  // Identifies the queue: tasks find out whether they run on one of its
  // workers (RunningOnWorkerOf) to refuse a join that would wait for itself.
  const void* queue = nullptr;
  std::shared_ptr<TaskReporter> reporter;
  // Where newcomers wait: a worker stops claiming from a batch when one of
  // them outranks the batch's lowest priority (the supervisor re-sorts).
  std::shared_ptr<const TaskInbox> inbox;
  // Null unless the queue blocks or rejects producers when full.
  std::shared_ptr<Admission> admission;
};

caf::behavior worker_actor(caf::event_based_actor* self, int32_t index,
                           std::shared_ptr<const WorkerContext> context);

// Whether the calling thread is a worker of `queue` (running one of its
// tasks). Non-blocking.
bool RunningOnWorkerOf(const void* queue);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_WORKER_ACTOR_H_
