// TaskQueue: run slow, blocking calls on a pool of workers so that a hot loop
// does not wait for them.
//
// The loop hands each call to the queue and goes on; a worker runs it; `join()`
// waits for everything handed over so far:
//
//   taskqueue::TaskQueue q(5);        // 5 workers
//   for (int i = 0; i < steps; ++i) {
//     Step(model);
//     q.add_task(WritePlot, model.Snapshot(), i);   // returns at once
//   }
//   q.join();                         // every plot is written
//
// `submit()` returns a `std::future` for a task whose result (or exception)
// the caller wants back.
//
// Design. The queue is a supervisor actor (C++ Actor Framework) that hands
// tasks to a pool of worker actors, each running tasks on a thread of its own.
// Tasks go to whichever worker is free, so a task that blocks for minutes
// holds up only its own worker: tasks queued behind it run on the others.
// Tasks start in the order they were added (FIFO), and with more than one
// worker they may finish in any order.
//
// Errors. A task that throws (any type) never takes a worker down and is never
// silent: it is counted in `stats().failed`, handed to `QueueOptions::on_error`
// (default: one line on stderr) and counted in the next `join()` result.
// Misuse throws: see errors.h.
//
// Thread-safety. Every method may be called from any thread at once, including
// from the queue's own tasks (except `join()` and `shutdown()`, which throw
// JoinFromTaskError there, and the destructor).
//
// Lifetime. The destructor calls `shutdown()`: it waits for every accepted
// task, so nothing queued is lost when the program ends. Things the tasks use
// must outlive the queue, or be owned by the tasks (they are copied in).
//
// Hazards.
//   * The queue is unbounded: tasks added faster than workers finish them
//     wait in memory.
//   * A task that waits for another task of the same queue (through a future,
//     say) can deadlock when every worker is doing that.
//   * Destroying the queue from one of its own tasks cannot work (the task
//     would wait for itself); it aborts the program with a message.
#ifndef TASKQUEUE_CORE_TASKQUEUE_H_
#define TASKQUEUE_CORE_TASKQUEUE_H_

#include <future>
#include <memory>
#include <utility>

#include "taskqueue/errors.h"
#include "taskqueue/join_result.h"
#include "taskqueue/queue_options.h"
#include "taskqueue/stats.h"
#include "taskqueue/task.h"
#include "taskqueue/task_failure.h"

namespace taskqueue {
namespace internal {
class ActorBackend;
}  // namespace internal

class TaskQueue {
 public:
  // Starts `num_workers` workers. Throws std::invalid_argument unless
  // 1 <= num_workers <= QueueOptions::kMaxWorkers.
  explicit TaskQueue(int num_workers = 1);
  // Throws std::invalid_argument for a num_workers out of range.
  explicit TaskQueue(QueueOptions options);

  // Calls `shutdown()`: blocks until every accepted task has finished.
  ~TaskQueue();

  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Queues `f(args...)` and returns at once, without waiting for a worker.
  // `f` and `args` are copied or moved into the task and passed to f as
  // rvalues when it runs, as std::thread does (use std::ref for a reference).
  // What f returns is discarded; what it throws goes to `on_error`.
  // Throws QueueClosedError once `shutdown()` has begun.
  template <class F, class... Args>
  void add_task(F&& f, Args&&... args) {
    Enqueue(
        internal::MakeTask(std::forward<F>(f), std::forward<Args>(args)...));
  }

  // Like `add_task()`, but the returned future carries what f returns, or
  // the exception f threw (which then goes to the future, not to on_error).
  // Throws QueueClosedError once `shutdown()` has begun.
  template <class F, class... Args>
  std::future<internal::TaskResult<F, Args...>> submit(F&& f, Args&&... args) {
    auto [task, future] = internal::MakeFutureTask(std::forward<F>(f),
                                                   std::forward<Args>(args)...);
    Enqueue(std::move(task));
    return std::move(future);
  }

  // Blocks until every task added before this call began (by any thread) has
  // finished. Tasks added after it began do not hold it up. Returns at once
  // when there is nothing to wait for; may be called repeatedly and from
  // several threads. The result counts failures since the previous join.
  // Throws JoinFromTaskError when called from one of this queue's tasks.
  JoinResult join();

  // Stops accepting tasks (add_task and submit throw QueueClosedError from
  // then on, in tasks too), then blocks until every accepted task has
  // finished and stops the workers. Idempotent; concurrent calls all return
  // once the queue is stopped. Throws JoinFromTaskError from the queue's own
  // tasks.
  void shutdown();

  // The counters, read without stopping anything (see stats.h). Non-blocking.
  Stats stats() const;

  int num_workers() const;

 private:
  void Enqueue(internal::Task task);

  std::unique_ptr<internal::ActorBackend> backend_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASKQUEUE_H_
