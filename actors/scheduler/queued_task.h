// A task on its way through the queue, tagged with the join epoch it was
// added in (see task_inbox.h), and with its control block when it was added
// with options or through submit (task_control.h).
#ifndef TASKQUEUE_ACTORS_SCHEDULER_QUEUED_TASK_H_
#define TASKQUEUE_ACTORS_SCHEDULER_QUEUED_TASK_H_

#include <cstdint>

#include "taskqueue/task.h"
#include "taskqueue/task_control.h"

namespace taskqueue::internal {

struct QueuedTask {
  Attempt attempt;
  uint64_t epoch = 0;
  // Null for a plain add_task: the fast path checks only this.
  ControlRef control;

  int priority() const { return control ? control->options.priority : 0; }

  // Whether a remote endpoint can run it: a named task, which has a wire
  // form. A closure runs only in this process.
  bool portable() const { return control && control->remote != nullptr; }

  // Whether something other than an endpoint already ended the task (cancelled,
  // coalesced...): it must not run, only be taken out.
  bool ended_unrun() const {
    return control &&
           control->state.load(std::memory_order_acquire) != TaskState::kQueued;
  }
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_QUEUED_TASK_H_
