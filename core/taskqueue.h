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
// `submit()` returns a future (a `std::future` with a handle) for a task whose
// result (or exception) the caller wants back.
//
// Task control. Pass TaskOptions first to ask more of one task
// (task_options.h): a name, a priority, latest-wins coalescing, a deadline, a
// delay, retries; the returned TaskHandle cancels it. Queue-wide: a bound with
// backpressure, an observer, timing percentiles (queue_options.h);
// pause()/resume(), clear(), join_for(). A callable that takes a
// std::stop_token first gets one, set when its handle cancels it while running
// or its deadline passes:
//
//   q.add_task({.coalesce_key = "plot", .max_attempts = 3}, WritePlot, frame);
//   q.add_task({.deadline = now + 1s},
//              [](std::stop_token stop, Job job) {
//                while (!stop.stop_requested() && job.Step()) {}
//              },
//              job);
//
// With none of these, a task costs what it did without them.
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
// from the queue's own tasks (except the joins and `shutdown()`, which throw
// JoinFromTaskError there, and the destructor). `pause()`, `resume()` and
// `clear()` block for a message round trip to the supervisor, which never
// waits for a task, so they are safe from tasks too, and from on_error and
// observer hooks (on the supervisor's own thread they act at once).
//
// Lifetime. The destructor calls `shutdown()`: it waits for every accepted
// task, so nothing queued is lost when the program ends, and then for every
// thread of the queue to end. Things the tasks use must outlive the queue, or
// be owned by the tasks (they are copied in). From the moment shutdown()
// begins, every call has a defined result (see shutdown()).
//
// Time. Durations and time points are never overflowed: "for ever"
// (duration::max(), time_point::max(), a timeout in hours too long for
// nanoseconds) saturates, and what cannot be meant is rejected with
// std::invalid_argument (a negative delay or block_timeout); task_options.h
// and queue_options.h say what each field makes of them, join_for() below.
//
// Hazards.
//   * The queue is unbounded unless QueueOptions::max_queued says otherwise:
//     tasks added faster than workers finish them wait in memory.
//   * A bounded queue that blocks producers (OverflowPolicy::kBlock) deadlocks
//     when every worker runs a task that adds to the full queue.
//   * A task that waits for another task of the same queue (through a future,
//     say) can deadlock when every worker is doing that.
//   * Destroying the queue from one of its own tasks cannot work (the task
//     would wait for itself); it aborts the program with a message.
#ifndef TASKQUEUE_CORE_TASKQUEUE_H_
#define TASKQUEUE_CORE_TASKQUEUE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <stop_token>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "taskqueue/encoded_result.h"
#include "taskqueue/errors.h"
#include "taskqueue/join_result.h"
#include "taskqueue/named_task_fwd.h"
#include "taskqueue/queue_options.h"
#include "taskqueue/saturating_time.h"
#include "taskqueue/stats.h"
#include "taskqueue/task.h"
#include "taskqueue/task_control.h"
#include "taskqueue/task_failure.h"
#include "taskqueue/task_future.h"
#include "taskqueue/task_handle.h"
#include "taskqueue/task_observer.h"
#include "taskqueue/task_options.h"

namespace taskqueue {
namespace internal {
class ActorBackend;
class QueuePages;
}  // namespace internal

class TaskQueue {
 public:
  // Starts `num_workers` workers. Throws std::invalid_argument unless
  // 1 <= num_workers <= QueueOptions::kMaxWorkers.
  explicit TaskQueue(int num_workers = 1);
  // Throws std::invalid_argument for invalid options (queue_options.h says
  // which); nothing is started then.
  explicit TaskQueue(QueueOptions options);

  // Calls `shutdown()`: blocks until every accepted task has finished and
  // every thread of the queue has ended.
  ~TaskQueue();

  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Queues `f(args...)` and returns at once, without waiting for a worker.
  // `f` and `args` are copied or moved into the task and passed to f as
  // rvalues when it runs, as std::thread does (use std::ref for a reference).
  // What f returns is discarded; what it throws goes to `on_error`.
  // Throws QueueClosedError once `shutdown()` has begun, and QueueFullError
  // when a bounded queue is full (QueueOptions::overflow); with kBlock it
  // blocks while the queue is full.
  template <class F, class... Args>
  requires(
      !std::is_same_v<std::decay_t<F>, TaskOptions> &&
      !internal::kIsNamedTask<std::decay_t<F>>) void add_task(F&& f,
                                                              Args&&... args) {
    Enqueue(internal::MakePlainAttempt(std::forward<F>(f),
                                       std::forward<Args>(args)...));
  }

  // Like `add_task(f, args...)`, with `options` (task_options.h), and a handle
  // to cancel the task. Also throws std::invalid_argument for invalid options.
  template <class F, class... Args>
  requires(!internal::kIsNamedTask<std::decay_t<F>>) TaskHandle
      add_task(TaskOptions options, F&& f, Args&&... args) {
    return AddControlled(NewControl(std::move(options)),
                         internal::DiscardResult{}, std::forward<F>(f),
                         std::forward<Args>(args)...);
  }

  // Like `add_task()`, but the returned future carries what f returns, or
  // the exception f threw on its last attempt (which then goes to the future,
  // not to on_error), or a TaskNotRunError if it never ran (errors.h).
  template <class F, class... Args>
  requires(!std::is_same_v<std::decay_t<F>, TaskOptions> &&
           !internal::kIsNamedTask<std::decay_t<F>>)
      TaskFuture<internal::TaskResult<F, Args...>> submit(F&& f,
                                                          Args&&... args) {
    return submit(TaskOptions(), std::forward<F>(f),
                  std::forward<Args>(args)...);
  }

  template <class F, class... Args>
  requires(!internal::kIsNamedTask<std::decay_t<F>>)
      TaskFuture<internal::TaskResult<F, Args...>> submit(TaskOptions options,
                                                          F&& f,
                                                          Args&&... args) {
    // First, so that a call that does not fit says so before anything else.
    internal::CheckInvocable<F, Args...>();
    using R = internal::TaskResult<F, Args...>;
    auto promise = std::make_shared<std::promise<R>>();
    std::future<R> future = promise->get_future();
    TaskHandle handle =
        AddControlled(NewControl(std::move(options)), std::move(promise),
                      std::forward<F>(f), std::forward<Args>(args)...);
    return TaskFuture<R>(std::move(future), std::move(handle));
  }

  // Named tasks (named_task.h): the same four calls, for a task that any
  // worker may run, a worker node in another process too. `args` are
  // converted to the function's parameter types here; a mismatch fails to
  // compile. Also throws WireFormatError when an argument cannot be encoded.
  template <auto Fn, class... Args>
  void add_task(const NamedTask<Fn>& task, Args&&... args) {
    add_task(TaskOptions(), task, std::forward<Args>(args)...);
  }
  template <auto Fn, class... Args>
  TaskHandle add_task(TaskOptions options, const NamedTask<Fn>& task,
                      Args&&... args) {
    return AddNamed(std::move(options), task, internal::DiscardResult{},
                    std::forward<Args>(args)...);
  }
  template <auto Fn, class... Args>
  TaskFuture<typename NamedTask<Fn>::Result> submit(const NamedTask<Fn>& task,
                                                    Args&&... args) {
    return submit(TaskOptions(), task, std::forward<Args>(args)...);
  }
  template <auto Fn, class... Args>
  TaskFuture<typename NamedTask<Fn>::Result> submit(TaskOptions options,
                                                    const NamedTask<Fn>& task,
                                                    Args&&... args) {
    using R = typename NamedTask<Fn>::Result;
    auto promise = std::make_shared<std::promise<R>>();
    std::future<R> future = promise->get_future();
    TaskHandle handle = AddNamed(std::move(options), task, std::move(promise),
                                 std::forward<Args>(args)...);
    return TaskFuture<R>(std::move(future), std::move(handle));
  }

  // A named task whose arguments are encoded already (WireWriter), found by
  // name in `registry`: for programs that carry other programs' tasks, as
  // the queue server does for its clients. Runs as add_task(options, task,
  // ...) would, on local workers (through `registry`, which the task keeps
  // alive) or on worker nodes; its outcome goes to `result`
  // (encoded_result.h). Throws UnknownTaskError when `registry` has no task
  // `name`, and what add_task throws; on a listening queue the task must also
  // be in ListenOptions::registry with the same types. Arguments that do not
  // decode as the task's fail it with WireFormatError, where it runs.
  TaskHandle add_encoded(TaskOptions options,
                         std::shared_ptr<const TaskRegistry> registry,
                         std::string_view name, std::vector<char> arguments,
                         std::shared_ptr<EncodedResult> result);
  // Like add_encoded, with the outcome in a future.
  TaskFuture<std::vector<char>> submit_encoded(
      TaskOptions options, std::shared_ptr<const TaskRegistry> registry,
      std::string_view name, std::vector<char> arguments);

  // Blocks until every task added before this call began (by any thread) has
  // ended (cancelled, expired... tasks count as ended). Tasks added after it
  // began do not hold it up. Returns at once when there is nothing to wait
  // for; may be called repeatedly and from several threads, also while paused
  // (then it waits for resume()). The result counts failures since the
  // previous join. Throws JoinFromTaskError when called from one of this
  // queue's tasks. After shutdown() has returned, returns complete at once.
  // Within a millisecond of the previous join's end it first polls, for at
  // most 50 us, whether the queue went quiet (a loop that adds a short task
  // and joins gets its answer without a thread wake-up); otherwise, and
  // then, it sleeps until answered.
  JoinResult join();

  // Like `join()`, but gives up at `deadline` (or after `timeout`): the
  // result's `complete` says whether everything finished. Tasks are not
  // affected by the timeout. Also counts failures since the previous join.
  JoinResult join_until(std::chrono::steady_clock::time_point deadline);
  // A `deadline` of time_point::max(), or a `timeout` that reaches past the
  // end of the clock (duration::max(), hours::max(), ...), waits as join()
  // does; a `deadline` already past, or a negative (or NaN) `timeout`, does
  // not wait: the result says whether everything has ended already.
  template <class Rep, class Period>
  JoinResult join_for(std::chrono::duration<Rep, Period> timeout) {
    return join_until(internal::DeadlineAfter(timeout));
  }

  // Stops starting tasks: queued tasks wait (including tasks handed to a
  // worker but not yet started), running ones finish. When pause() returns,
  // no task starts until resume(). Tasks can still be added, cancelled,
  // coalesced and expire meanwhile. Blocks for a message round trip to the
  // supervisor. Idempotent. Once shutdown() has begun (from any thread or
  // task), does nothing: a pause would hold up the tasks shutdown waits for.
  void pause();
  // Starts dispatching again. Idempotent. Once shutdown() has begun, does
  // nothing.
  void resume();
  // Whether the last pause() or resume() to take effect was a pause() (when
  // calls race, they take effect in some order, and paused() and the queue
  // agree on it). False once shutdown() has begun. Non-blocking.
  bool paused() const;

  // Cancels every task that has not started (delayed ones and retries in
  // backoff included), as TaskHandle::cancel() would; running tasks go on.
  // Returns how many were cancelled. Blocks for a message round trip to the
  // supervisor. Once shutdown() has begun, does nothing and returns 0:
  // shutdown runs every task it accepted.
  size_t clear();

  // Stops accepting tasks (add_task and submit throw QueueClosedError from
  // then on, in tasks too, and producers blocked on a full queue get it
  // too), resumes a paused queue, ends every task still waiting for its
  // delay as cancelled and every retry in backoff as failed (shutdown does
  // not wait out timers), then blocks until every other accepted task has
  // finished and stops the workers. Idempotent; concurrent calls all return
  // once the queue is stopped. Throws JoinFromTaskError from the queue's own
  // tasks.
  //
  // Shutdown is total: from the moment it begins, every call has a defined
  // result. add_task/submit throw QueueClosedError, and a task refused so is
  // never reported as queued (no OnQueued, not in stats().submitted or
  // by_name, also when the add raced shutdown); pause() and resume() do
  // nothing and paused() is false; clear() returns 0; joins wait as usual
  // while shutdown runs, and return complete at once after it; stats() and
  // num_workers() work.
  void shutdown();

  // The counters, read without stopping anything (see stats.h). Non-blocking.
  Stats stats() const;

  int num_workers() const;

  // Who runs an attempt reported as running on `worker` (TaskEvent::worker,
  // EncodedResult::started): "local/<worker>" for a local worker,
  // "node/<name>" for the worker node connected there now ("node/#<k>" if
  // none is, as after it left). Thread-safe; takes a lock for a node's.
  // Throws std::out_of_range for a number no worker has.
  std::string worker_name(int worker) const;

  // The port worker nodes connect to (QueueOptions::listen; the one picked
  // when it said 0), or 0 for a queue that does not listen.
  uint16_t listening_port() const;

  // The port of the dashboard (QueueOptions::dashboard; the one picked when
  // it said 0), or 0 for a queue without one.
  uint16_t dashboard_port() const;

 private:
  void Enqueue(internal::Attempt attempt);
  // The token f gets: a live one only when f takes one.
  template <class F, class... Args>
  static std::stop_token StopTokenFor(internal::TaskControl& control) {
    if constexpr (internal::kTakesStopToken<F, Args...>) {
      control.stop = std::stop_source();
      return control.stop.get_token();
    } else {
      return std::stop_token();
    }
  }
  // Validates `options` (std::invalid_argument) and links the task to this
  // queue.
  internal::ControlRef NewControl(TaskOptions options);

  // Builds the attempts of f(args...) for `control`, with their result going
  // to `sink` (internal::DiscardResult, or the submit future's promise), and
  // queues the task.
  template <class Sink, class F, class... Args>
  TaskHandle AddControlled(internal::ControlRef control, Sink sink, F&& f,
                           Args&&... args) {
    if constexpr (!std::is_same_v<Sink, internal::DiscardResult>) {
      control->fail_future = [sink](std::exception_ptr error) {
        sink->set_exception(std::move(error));
      };
    }
    // A named task may run again after a lost node, whatever max_attempts.
    bool may_repeat =
        control->options.max_attempts > 1 || control->remote != nullptr;
    internal::Attempt first = internal::MakeAttempts(
        may_repeat, &control->make_attempt, std::move(sink),
        StopTokenFor<F, Args...>(*control), std::forward<F>(f),
        std::forward<Args>(args)...);
    EnqueueControlled(control, std::move(first));
    return TaskHandle(std::move(control));
  }

  // Like AddControlled, for a named task, which also gets its wire form.
  template <auto Fn, class Sink, class... Args>
  TaskHandle AddNamed(TaskOptions options, const NamedTask<Fn>& task, Sink sink,
                      Args&&... args) {
    typename NamedTask<Fn>::Arguments arguments =
        internal::ConvertArguments<Fn>(std::forward<Args>(args)...);
    internal::ControlRef control = NewControl(std::move(options));
    control->remote = internal::MakeRemoteCall(task, arguments, sink);
    return AddControlled(std::move(control), std::move(sink), task,
                         std::move(arguments));
  }
  void EnqueueControlled(internal::ControlRef control, internal::Attempt first);

  std::unique_ptr<internal::ActorBackend> backend_;
  // Set with QueueOptions::dashboard. Declared after backend_, so destroyed
  // before it: no page reads a queue that is gone.
  std::unique_ptr<internal::QueuePages> dashboard_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASKQUEUE_H_
