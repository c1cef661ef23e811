// TaskHandle: a caller's hold on one queued task, to cancel it or see how far
// it got. Returned by `TaskQueue::add_task(TaskOptions, ...)`; `submit()`
// returns a TaskFuture, which carries one too.
//
//   taskqueue::TaskHandle h = q.add_task(taskqueue::TaskOptions{}, Upload, f);
//   ...
//   switch (h.cancel()) {
//     case taskqueue::CancelResult::kCancelled:      // never ran, never will
//     case taskqueue::CancelResult::kStopRequested:  // running: its
//                                                    // std::stop_token is set
//     case taskqueue::CancelResult::kTooLate:        // had already ended
//   }
//
// Thread-safety: copyable, and every method may be called from any thread,
// also after the queue is gone. Non-blocking. A default-constructed handle
// refers to no task: cancel() returns kTooLate and state() kCompleted.
#ifndef TASKQUEUE_CORE_TASK_HANDLE_H_
#define TASKQUEUE_CORE_TASK_HANDLE_H_

#include <cstdint>
#include <utility>

#include "taskqueue/task_control.h"
#include "taskqueue/task_state.h"

namespace taskqueue {

class TaskHandle {
 public:
  TaskHandle() = default;
  explicit TaskHandle(internal::ControlRef control)
      : control_(std::move(control)) {}

  // Cancels the task if it has not started; see CancelResult.
  CancelResult cancel() const;

  TaskState state() const;

  // Unique within the process; 0 for a handle that refers to no task.
  uint64_t id() const;

  // Attempts started so far (retries included).
  int attempts() const;

 private:
  internal::ControlRef control_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASK_HANDLE_H_
