#include "taskqueue/task_handle.h"

#include <memory>

#include "taskqueue/errors.h"
#include "taskqueue/task_control.h"

namespace taskqueue {

std::string_view TaskStateName(TaskState state) {
  switch (state) {
    case TaskState::kQueued:
      return "queued";
    case TaskState::kRunning:
      return "running";
    case TaskState::kCompleted:
      return "completed";
    case TaskState::kFailed:
      return "failed";
    case TaskState::kCancelled:
      return "cancelled";
    case TaskState::kDropped:
      return "dropped";
    case TaskState::kCoalesced:
      return "coalesced";
    case TaskState::kExpired:
      return "expired";
  }
  return "unknown";
}

CancelResult TaskHandle::cancel() const {
  if (!control_) return CancelResult::kTooLate;
  // A queue that is gone has ended every task it took.
  std::shared_ptr<internal::QueueLink> queue = control_->queue.lock();
  auto end_if_queued = [&] {
    return queue && queue->EndUnrun(*control_, TaskState::kCancelled);
  };
  if (end_if_queued()) return CancelResult::kCancelled;
  // Running, or just ended, or between an attempt and its retry. The stop
  // request comes first: a worker deciding on a retry checks it, and a
  // retry put back before it saw the request is refused when it would
  // start, so the retry cannot slip past it.
  auto running = [&] {
    return control_->state.load(std::memory_order_acquire) ==
           TaskState::kRunning;
  };
  // Read before the request too: a task that was running may see the stop
  // and end before a read after it, and it did get the stop.
  bool was_running = running();
  control_->RequestStop();
  if (end_if_queued()) return CancelResult::kCancelled;
  return was_running || running() ? CancelResult::kStopRequested
                                  : CancelResult::kTooLate;
}

TaskState TaskHandle::state() const {
  if (!control_) return TaskState::kCompleted;
  return control_->state.load(std::memory_order_acquire);
}

uint64_t TaskHandle::id() const { return control_ ? control_->id : 0; }

int TaskHandle::attempts() const {
  return control_ ? control_->attempts.load(std::memory_order_acquire) : 0;
}

namespace internal {

std::exception_ptr NotRunError(TaskState why) {
  switch (why) {
    case TaskState::kDropped:
      return std::make_exception_ptr(TaskDroppedError());
    case TaskState::kCoalesced:
      return std::make_exception_ptr(TaskCoalescedError());
    case TaskState::kExpired:
      return std::make_exception_ptr(TaskExpiredError());
    default:
      return std::make_exception_ptr(TaskCancelledError());
  }
}

}  // namespace internal
}  // namespace taskqueue
