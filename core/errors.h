// The exceptions that TaskQueue itself throws.
//
// TaskQueue reports misuse with exceptions and task failures through counters,
// `QueueOptions::on_error` and futures; it never throws a task's own exception
// at the caller except through the `std::future` that `submit()` returned.
//
//   * `QueueClosedError`: `add_task()` or `submit()` after `shutdown()` began
//     (including from a task that is still running during shutdown). The task
//     was not queued and was never reported as queued (no OnQueued, not in
//     stats()); nothing else changed. The adds are the only calls that throw
//     because of shutdown: every other call has a defined result after it
//     (taskqueue.h, shutdown()).
//   * `JoinFromTaskError`: `join()`, `join_for()`, `join_until()` or
//     `shutdown()` called from one of the queue's own tasks. Waiting for the
//     queue from inside it would wait for the caller itself, so the call
//     fails at once instead of deadlocking, as `std::thread::join()` on the
//     calling thread does.
//
// Both derive from `std::logic_error`: each means that the calling code has a
// bug, not that a retry could succeed. So does `std::invalid_argument`, which
// the TaskQueue constructor throws for invalid QueueOptions
// (queue_options.h) and add_task/submit for invalid TaskOptions
// (task_options.h); nothing was started or queued then.
//
//   * `QueueFullError` (a `std::runtime_error`): a bounded queue
//     (`QueueOptions::max_queued`) is full, and its overflow policy rejects
//     (kReject) or the producer's wait ran out (kBlock with block_timeout).
//     The task was not queued; adding it again later may succeed.
//
// A task that never ran completes its `submit()` future with a
// `TaskNotRunError`, one subclass per reason, so a caller can catch them all
// or one: TaskCancelledError, TaskDroppedError, TaskCoalescedError,
// TaskExpiredError. A task waiting for a retry can end the same ways: its
// earlier attempts ran, but it will not run again.
//
// A named task that ran on a worker node (named_task.h) fails with:
//   * `RemoteTaskError`: the task threw there. Its type() is the thrown
//     type's name on the node, its message() the exception's what().
//   * `NodeLostError`: the nodes it was sent to were lost (died, hung past
//     the connection timeout, or disconnected) while they held it: an
//     at-most-once task (TaskOptions::at_most_once) after the first, any
//     other after ListenOptions::max_node_losses of them.
#ifndef TASKQUEUE_CORE_ERRORS_H_
#define TASKQUEUE_CORE_ERRORS_H_

#include <stdexcept>
#include <string>
#include <utility>

#include "taskqueue/task_state.h"

namespace taskqueue {

class QueueClosedError : public std::logic_error {
 public:
  QueueClosedError()
      : std::logic_error("taskqueue: task added after shutdown() began") {}
};

class JoinFromTaskError : public std::logic_error {
 public:
  explicit JoinFromTaskError(const char* call)
      : std::logic_error(std::string("taskqueue: ") + call +
                         " called from one of the queue's own tasks would "
                         "wait for itself") {}
};

class QueueFullError : public std::runtime_error {
 public:
  explicit QueueFullError(const std::string& why)
      : std::runtime_error("taskqueue: queue full: " + why) {}
};

// Why a task never ran: state() is one of kCancelled, kDropped, kCoalesced,
// kExpired.
class TaskNotRunError : public std::runtime_error {
 public:
  TaskState state() const { return state_; }

 protected:
  TaskNotRunError(TaskState state, const char* what)
      : std::runtime_error(what), state_(state) {}

 private:
  TaskState state_;
};

class TaskCancelledError : public TaskNotRunError {
 public:
  TaskCancelledError()
      : TaskNotRunError(TaskState::kCancelled,
                        "taskqueue: task cancelled before it started") {}
};

class TaskDroppedError : public TaskNotRunError {
 public:
  TaskDroppedError()
      : TaskNotRunError(TaskState::kDropped,
                        "taskqueue: task dropped from a full queue") {}
};

class TaskCoalescedError : public TaskNotRunError {
 public:
  TaskCoalescedError()
      : TaskNotRunError(TaskState::kCoalesced,
                        "taskqueue: task replaced by a newer task with its "
                        "coalesce_key") {}
};

class TaskExpiredError : public TaskNotRunError {
 public:
  TaskExpiredError()
      : TaskNotRunError(TaskState::kExpired,
                        "taskqueue: task not started by its deadline") {}
};

class RemoteTaskError : public std::runtime_error {
 public:
  RemoteTaskError(std::string type, std::string message)
      : std::runtime_error(type + ": " + message),
        type_(std::move(type)),
        message_(std::move(message)) {}
  const std::string& type() const { return type_; }
  const std::string& message() const { return message_; }

 private:
  std::string type_;
  std::string message_;
};

class NodeLostError : public std::runtime_error {
 public:
  explicit NodeLostError(const std::string& why)
      : std::runtime_error("taskqueue: " + why) {}
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_ERRORS_H_
