// QueueOptions: how a TaskQueue is set up, as a plain struct with defaults.
//
//   taskqueue::TaskQueue q(taskqueue::QueueOptions{
//       .num_workers = 5,
//       .max_queued = 100,  // producers wait while 100 tasks wait
//   });
//
// `TaskQueue(5)` is the same queue as `QueueOptions{.num_workers = 5}`. A
// queue with default options has none of the costs of the features below.
//
// Invalid options (num_workers out of range, an `overflow` that is not one of
// the OverflowPolicy values, a negative block_timeout, or a block_timeout
// with a policy other than kBlock) make the TaskQueue constructor throw
// std::invalid_argument; nothing is started then.
#ifndef TASKQUEUE_CORE_QUEUE_OPTIONS_H_
#define TASKQUEUE_CORE_QUEUE_OPTIONS_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

#include "taskqueue/dashboard_options.h"
#include "taskqueue/listen_options.h"
#include "taskqueue/task_failure.h"
#include "taskqueue/task_observer.h"

namespace taskqueue {

// What add_task/submit do when a bounded queue is full.
enum class OverflowPolicy {
  // Block the producer until a task leaves the queue, for at most
  // QueueOptions::block_timeout (then QueueFullError).
  // Shutdown releases blocked producers with QueueClosedError.
  kBlock,
  // Throw QueueFullError at once.
  kReject,
  // Accept the task and drop the oldest queued task of the lowest priority
  // (it ends as `dropped`; its future fails with TaskDroppedError): the
  // newcomer itself when it alone has the lowest priority. Tasks waiting for
  // a delay or a retry are not dropped. Tasks
  // handed to a worker but not yet claimed count as queued and may be
  // dropped; the queue may hold a few more than max_queued for the moment it
  // takes the supervisor to drop them.
  kDropOldest,
};

struct QueueOptions {
  // Worker actors, each with a thread of its own, so up to this many tasks
  // run (and block) at once. Must be in [1, kMaxWorkers], or 0 with `listen`
  // (worker nodes run everything: closures then fail at add_task, with
  // std::logic_error); anything else makes the TaskQueue constructor throw
  // std::invalid_argument. Default: 1.
  int num_workers = 1;

  // Called once for every fire-and-forget task that fails for good: on the
  // worker thread that ran its last attempt, or, for a failure the queue
  // decides without a worker (a retry that shutdown ends, an attempt whose
  // arguments throw when copied, a worker that died), on the supervisor's
  // thread once it has decided. Possibly on several threads at once: it must
  // be thread-safe and should be quick (that thread does nothing else
  // meanwhile). From it, as from a task, join() and shutdown() throw
  // JoinFromTaskError and every other call works. An exception thrown by
  // on_error itself is printed and dropped. An empty function means the
  // default. Default: PrintTaskFailure (one stderr line).
  std::function<void(const TaskFailure&)> on_error = PrintTaskFailure;

  // Backpressure: at most this many tasks queued (accepted, not yet started;
  // delayed tasks and retries in backoff included), 0 for no bound. When
  // full, `overflow` decides. Hazard: with kBlock, a task that adds to its
  // own full queue waits for a worker, and deadlocks when every worker does;
  // tasks should add with kReject semantics or the queue should be large
  // enough. Default: 0.
  size_t max_queued = 0;
  OverflowPolicy overflow = OverflowPolicy::kBlock;
  // kBlock only: how long a producer waits before add_task throws
  // QueueFullError. Must be >= 0; zero refuses a full queue at once, and
  // duration::max() waits as long as no limit does. Default: no limit.
  std::optional<std::chrono::steady_clock::duration> block_timeout;

  // Sees every task queued, started and ended (task_observer.h). Default:
  // none.
  std::shared_ptr<TaskObserver> observer;

  // Records queue-wait and run-time percentiles (Stats::queue_wait,
  // Stats::run_time): a clock read when each task is added and two when it
  // runs, and a control block per task, which a plain add_task otherwise
  // does without. Default: false.
  bool record_timings = false;

  // Accept worker nodes (listen_options.h). Default: none, and no network.
  std::optional<ListenOptions> listen;

  // Serve a live dashboard and /metrics over HTTP (dashboard_options.h);
  // implies record_timings, for its latency charts. Default: none.
  std::optional<DashboardOptions> dashboard;

  // Each worker is a thread; past this, a mistake (a count of tasks passed as
  // a count of workers, say) would exhaust the machine instead of failing.
  static constexpr int kMaxWorkers = 1024;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_QUEUE_OPTIONS_H_
