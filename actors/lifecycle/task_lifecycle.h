// TaskLifecycle: the one place where a task changes state.
//
//            +-------------------- retry ---------------------+
//            v                                                |
//   add -> kQueued --Start--> kRunning --Complete--> kCompleted
//            |                    +-----AttemptFailed/Lost---> kFailed
//            +--EndUnrun--> kCancelled | kDropped | kCoalesced | kExpired
//            +--FailWaitingRetry--> kFailed    (a retry that will not come)
//
// Every transition is decided here, written once, and reported to one
// LifecycleSink (counters, the queue's bound, the observer, on_error,
// futures). Workers call Start/Complete/AttemptFailed, the supervisor's
// scheduler EndUnrun/FailWaitingRetry/AttemptLost, handles EndUnrun, and
// producers Queued.
//
// Who wins a race. A task with a control block keeps its state in an atomic;
// each method that leaves kQueued does so with a compare-and-swap, so of a
// worker starting a task and a handle cancelling it exactly one succeeds, and
// the loser learns it from the return value. A plain task (null control) has
// one owner at a time (the supervisor, then one worker), so its transitions
// always succeed.
//
// Thread-safety: every method is thread-safe. Nothing blocks, but the sink's
// Record runs on the calling thread.
#ifndef TASKQUEUE_ACTORS_LIFECYCLE_TASK_LIFECYCLE_H_
#define TASKQUEUE_ACTORS_LIFECYCLE_TASK_LIFECYCLE_H_

#include <chrono>
#include <optional>

#include "actors/lifecycle/transition.h"
#include "taskqueue/task_control.h"
#include "taskqueue/task_failure.h"
#include "taskqueue/task_state.h"

namespace taskqueue::internal {

class TaskLifecycle {
 public:
  using Clock = std::chrono::steady_clock;

  // `sink` must outlive the lifecycle.
  explicit TaskLifecycle(LifecycleSink& sink) : sink_(sink) {}

  TaskLifecycle(const TaskLifecycle&) = delete;
  TaskLifecycle& operator=(const TaskLifecycle&) = delete;

  bool wants_plain_queued() const { return sink_.wants_plain_queued(); }

  // A producer's task was accepted (kQueued).
  void Queued(TaskControl* task);

  // Worker `worker` is about to run the task's next attempt. Returns whether
  // it may: false when something else ended the task first, when its
  // deadline has passed at `now` (then it ends here as kExpired), or when a
  // stop was requested of it (a retry whose handle cancelled it as the
  // attempt before failed: then it ends here as kCancelled). `now` is read
  // only for tasks with a deadline or with timings recorded.
  bool Start(TaskControl* task, int worker, Clock::time_point now);

  // The attempt started by Start returned.
  void Complete(TaskControl* task, int worker, Clock::time_point now);

  // The attempt started by Start threw `failure`. Returns true when the task
  // goes back to kQueued for a retry (the caller hands it to the scheduler);
  // false when it failed for good (reported here). The retry rule: attempts
  // left, a way to build the next attempt, and no stop requested.
  bool AttemptFailed(TaskControl* task, int worker, TaskFailure failure,
                     Clock::time_point now);

  // The worker running the task's attempt died. Like AttemptFailed, decided
  // off the worker.
  bool AttemptLost(TaskControl* task, TaskFailure failure);

  // The worker node holding the task's attempt was lost (died, hung or
  // disconnected): the attempt may or may not have run. Returns true when
  // the task goes back to kQueued, as AttemptLost: whatever max_attempts
  // says, since a lost node tells nothing about the task, unless the task is
  // at-most-once or this was its `max_losses`-th node (then it fails with
  // NodeLostError). Supervisor thread only.
  bool NodeLost(TaskControl* task, int max_losses);

  // Ends a task that has not started as `why` (kCancelled, kDropped,
  // kCoalesced or kExpired). Returns whether this call ended it: false when
  // it had started or ended already.
  bool EndUnrun(TaskControl* task, TaskState why);

  // A task waiting out a retry's backoff will not get it (shutdown, or its
  // next attempt could not be built): it fails with its last failure.
  // Returns whether this call ended it.
  bool FailWaitingRetry(TaskControl* task);

 private:
  // Moves a control block's state kQueued -> `to`; true if this call did.
  static bool LeaveQueued(TaskControl& task, TaskState to);
  // Retries when attempts are left (or when `retry_allowed` says so), the
  // next attempt can be built and no stop was requested; else fails.
  bool RetryOrFail(TaskControl* task, int worker, TaskFailure failure,
                   Clock::time_point now,
                   std::optional<bool> retry_allowed = std::nullopt);
  void Failed(TaskControl* task, TaskState from, int worker, int attempt,
              const TaskFailure& failure, Clock::time_point now);

  LifecycleSink& sink_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_LIFECYCLE_TASK_LIFECYCLE_H_
