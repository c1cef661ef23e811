// The exceptions that TaskQueue itself throws.
//
// TaskQueue reports misuse with exceptions and task failures through counters,
// `QueueOptions::on_error` and futures; it never throws a task's own exception
// at the caller except through the `std::future` that `submit()` returned.
//
//   * `QueueClosedError`: `add_task()` or `submit()` after `shutdown()` began
//     (including from a task that is still running during shutdown). The task
//     was not queued; nothing else changed.
//   * `JoinFromTaskError`: `join()` or `shutdown()` called from one of the
//     queue's own tasks. Waiting for the queue from inside it would wait for
//     the caller itself, so the call fails at once instead of deadlocking, as
//     `std::thread::join()` on the calling thread does.
//
// Both derive from `std::logic_error`: each means that the calling code has a
// bug, not that a retry could succeed.
#ifndef TASKQUEUE_CORE_ERRORS_H_
#define TASKQUEUE_CORE_ERRORS_H_

#include <stdexcept>

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

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_ERRORS_H_
