// Transition: one change of a task's state, as TaskLifecycle reports it to its
// LifecycleSink. The sink is where counters, the bound on queued tasks, the
// observer, on_error, futures (and, later, a journal) hear about every task.
#ifndef TASKQUEUE_ACTORS_LIFECYCLE_TRANSITION_H_
#define TASKQUEUE_ACTORS_LIFECYCLE_TRANSITION_H_

#include <chrono>

#include "taskqueue/task_control.h"
#include "taskqueue/task_failure.h"
#include "taskqueue/task_state.h"

namespace taskqueue::internal {

struct Transition {
  // Null for a plain add_task (no control block). Valid during the call; a
  // sink that keeps it takes a reference (ControlRef::Share).
  TaskControl* control = nullptr;
  // Where the task was and where it is now. A task counts as queued (for
  // the bound on queued tasks, say) exactly while its state is kQueued, so
  // `from` tells whether this transition takes it out. A new task comes
  // from and goes to kQueued.
  TaskState from = TaskState::kQueued;
  // kQueued (accepted, or back for a retry), kRunning, or the end state.
  TaskState to = TaskState::kQueued;
  // to == kQueued because an attempt failed and will be retried.
  bool retry = false;
  // The endpoint's index (TaskEvent::worker: a local worker's, or
  // num_workers + k for worker node k), or -1 when the change was decided
  // off a worker (by the supervisor, a producer or a cancelling handle).
  int worker = -1;
  // Attempts started so far, this one included.
  int attempt = 0;
  // What the attempt threw: for kFailed and for retries; null otherwise.
  const TaskFailure* failure = nullptr;
  // When the attempt started (kRunning) or ended (after kRunning), if the
  // caller read the clock; the epoch otherwise.
  std::chrono::steady_clock::time_point now{};
};

// Hears every transition, on the thread that made it, right after the state
// changed; a retry right before the task is put back in kQueued, so that its
// attempt's end is recorded before anything else can end the task.
// Implementations must be thread-safe: workers, the supervisor, producers and
// handles report at the same time.
class LifecycleSink {
 public:
  virtual ~LifecycleSink() = default;
  virtual void Record(const Transition& transition) = 0;
  // Whether Record wants to hear of a plain task being queued; when false,
  // producers of plain tasks skip the call (the three-line user's fast path).
  virtual bool wants_plain_queued() const = 0;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_LIFECYCLE_TRANSITION_H_
