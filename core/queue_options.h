// QueueOptions: how a TaskQueue is set up, as a plain struct with defaults.
//
//   taskqueue::TaskQueue q(taskqueue::QueueOptions{.num_workers = 5});
//
// `TaskQueue(5)` is the same queue; pass QueueOptions to set anything else.
#ifndef TASKQUEUE_CORE_QUEUE_OPTIONS_H_
#define TASKQUEUE_CORE_QUEUE_OPTIONS_H_

#include <functional>

#include "taskqueue/task_failure.h"

namespace taskqueue {

struct QueueOptions {
  // Worker actors, each with a thread of its own, so up to this many tasks
  // run (and block) at once. Must be in [1, kMaxWorkers]; anything else makes
  // the TaskQueue constructor throw std::invalid_argument. Default: 1.
  int num_workers = 1;

  // Called once for every fire-and-forget task that throws, on the worker
  // thread that ran it, possibly on several workers at once: it must be
  // thread-safe and should be quick (the worker runs no task meanwhile). An
  // exception thrown by on_error itself is printed and dropped. An empty
  // function means the default. Default: PrintTaskFailure (one stderr line).
  std::function<void(const TaskFailure&)> on_error = PrintTaskFailure;

  // Each worker is a thread; past this, a mistake (a count of tasks passed as
  // a count of workers, say) would exhaust the machine instead of failing.
  static constexpr int kMaxWorkers = 1024;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_QUEUE_OPTIONS_H_
