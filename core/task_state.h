// TaskState and CancelResult: where a task is, and what cancelling it did
// (task_handle.h).
#ifndef TASKQUEUE_CORE_TASK_STATE_H_
#define TASKQUEUE_CORE_TASK_STATE_H_

#include <string_view>

namespace taskqueue {

// Where a task is. It starts kQueued (also while waiting for a delay or a
// retry's backoff) and ends in exactly one of the last seven states.
enum class TaskState {
  kQueued,
  kRunning,
  kCompleted,  // Returned normally.
  kFailed,     // Threw, on its last attempt.
  kCancelled,  // cancel(), clear(), or shutdown during a delay.
  kDropped,    // Pushed out of a full queue (OverflowPolicy::kDropOldest).
  kCoalesced,  // Replaced by a newer task with its coalesce_key.
  kExpired,    // Not started by its deadline.
};

std::string_view TaskStateName(TaskState state);

enum class CancelResult {
  // The task had not started: it will not run, join does not wait for it,
  // and its future fails with TaskCancelledError.
  kCancelled,
  // The task is running: it is not interrupted, but its std::stop_token now
  // reports stop_requested() and it will not be retried. It still ends as
  // whatever its attempt does: kCompleted if it returns, kFailed if it
  // throws; kCancelled if it threw as cancel() was called, its retry
  // decided already.
  kStopRequested,
  // The task had already ended (or the handle refers to no task).
  kTooLate,
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASK_STATE_H_
