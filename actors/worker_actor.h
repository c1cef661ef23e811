// The worker actor: runs the task batches the supervisor sends it and reports
// each one done. It makes no decisions; the supervisor owns all policy.
//
// Spawn it detached (`caf::detached`): tasks block, and a blocked task must
// hold up only its own worker thread, never CAF's scheduler threads, the
// supervisor or the other workers.
//
// A task that throws (anything) is caught here: counted as failed, handed to
// `on_error`, and the worker goes on with the next task.
#ifndef TASKQUEUE_ACTORS_WORKER_ACTOR_H_
#define TASKQUEUE_ACTORS_WORKER_ACTOR_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "actors/queue_counters.h"
#include "caf/event_based_actor.hpp"
#include "taskqueue/task_failure.h"

namespace taskqueue::internal {

// What the workers of one queue share. Outlives the workers.
struct WorkerContext {
  // Identifies the queue: tasks find out whether they run on one of its
  // workers (RunningOnWorkerOf) to refuse a join that would wait for itself.
  const void* queue = nullptr;
  std::shared_ptr<QueueCounters> counters;
  std::function<void(const TaskFailure&)> on_error;
};

caf::behavior worker_actor(caf::event_based_actor* self, int32_t index,
                           std::shared_ptr<const WorkerContext> context);

// Whether the calling thread is a worker of `queue` (running one of its
// tasks). Non-blocking.
bool RunningOnWorkerOf(const void* queue);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_WORKER_ACTOR_H_
