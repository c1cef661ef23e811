// The worker actor: a local endpoint of the scheduler (messages.h). It
// announces its credit, runs the task batches it is sent, and reports each
// one done. It decides nothing: TaskLifecycle says whether each task may
// start and whether a failed attempt is retried, and the supervisor's
// scheduler everything else.
//
// Spawn it detached (`caf::detached`): tasks block, and a blocked task must
// hold up only its own worker thread, never CAF's scheduler threads, the
// supervisor or the other workers.
//
// A task that throws (anything) is caught here and handed to the lifecycle;
// the worker goes on with the next task.
#ifndef TASKQUEUE_ACTORS_WORKER_ACTOR_H_
#define TASKQUEUE_ACTORS_WORKER_ACTOR_H_

#include <cstdint>
#include <memory>

#include "actors/lifecycle/task_lifecycle.h"
#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"

namespace taskqueue::internal {

// What the workers of one queue share. Outlives the workers.
struct WorkerContext {
  // Identifies the queue: tasks find out whether they run on one of its
  // workers (RunningOnWorkerOf) to refuse a join that would wait for itself.
  const void* queue = nullptr;
  std::shared_ptr<TaskLifecycle> lifecycle;
  // Whether to read the clock for each task (timings recorded).
  bool record_timings = false;
};

// Batches a worker takes at a time: the next one waits in its mailbox while
// it runs the current one.
inline constexpr uint64_t kWorkerCredit = 2;

caf::behavior worker_actor(caf::event_based_actor* self, int32_t index,
                           std::shared_ptr<const WorkerContext> context,
                           caf::actor supervisor);

// Whether the calling thread is a worker of `queue` (running one of its
// tasks). Non-blocking.
bool RunningOnWorkerOf(const void* queue);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_WORKER_ACTOR_H_
