// TaskOptions: what one task asks of the queue beyond "run this", as a plain
// struct passed before the callable. Every field is optional; a default
// TaskOptions asks for nothing and the task behaves like a plain add_task.
//
//   using namespace std::chrono_literals;
//   taskqueue::TaskHandle h = q.add_task(
//       taskqueue::TaskOptions{
//           .name = "plot",                // per-name stats, observer events
//           .coalesce_key = "loss-curve",  // only the newest queued frame runs
//           .priority = -1,                // after the default priority 0
//           .deadline = std::chrono::steady_clock::now() + 2s,
//           .max_attempts = 3,             // retried twice, with backoff
//       },
//       WritePlot, snapshot);
//   h.cancel();                            // if it has not started yet
//
// Invalid options (max_attempts < 1, a negative delay, both run_after and
// run_at, a backoff that is not a duration >= 0 or a multiplier < 1, jitter
// outside [0, 1]) make add_task/submit throw std::invalid_argument; nothing is
// queued then.
#ifndef TASKQUEUE_CORE_TASK_OPTIONS_H_
#define TASKQUEUE_CORE_TASK_OPTIONS_H_

#include <chrono>
#include <optional>
#include <string>

namespace taskqueue {

// The wait before attempt k + 1 (k >= 1) is
//   min(max_delay, initial_delay * multiplier^(k - 1)) * (1 - jitter * u)
// with u uniform in [0, 1): jitter spreads retries of tasks that failed
// together so they do not hit a recovering service at the same instant.
// Waits are CAF delayed messages: no thread sleeps through a backoff.
//
// "For ever": a delay longer than kLongestDelay (duration::max(), say) is
// taken as kLongestDelay, about 100 years: an initial_delay that long means
// the task is never retried (shutdown fails it, with the attempts made), a
// max_delay that long means no cap.
struct Backoff {
  static constexpr std::chrono::steady_clock::duration kLongestDelay =
      std::chrono::hours(24 * 365 * 100);

  std::chrono::steady_clock::duration initial_delay =
      std::chrono::milliseconds(100);
  double multiplier = 2.0;
  std::chrono::steady_clock::duration max_delay = std::chrono::seconds(10);
  double jitter = 0.2;
};

struct TaskOptions {
  // Groups the task in `Stats::by_name` and names it in observer events.
  // Default: unnamed.
  std::string name;

  // Latest wins: a task with a non-empty key replaces the still-queued task
  // with the same key (that one ends as `coalesced`, its future failing with
  // TaskCoalescedError). A task already running is never interrupted: the
  // new one queues behind it as usual. The newcomer queues at the back of
  // its priority, like any new task. Default: no key.
  std::string coalesce_key;

  // Higher runs first; FIFO within a priority. Whenever a worker frees up, it
  // gets the highest-priority task added so far, even one added after lower
  // ones were handed out (those not yet started are taken back); a task that
  // has started is never preempted. Once any task has had a priority other
  // than 0, the queue stops sending work ahead to busy workers, which costs
  // throughput on very short tasks. Strict: while higher-priority tasks keep
  // arriving, lower ones wait (starve); give the background work a deadline
  // or keep the high-priority stream bounded. Default: 0.
  int priority = 0;

  // A task not started by this time is not run: it ends as `expired` (its
  // future fails with TaskExpiredError) and join stops waiting for it at the
  // deadline, also when its delay (run_at) falls after the deadline. A retry
  // still waiting at the deadline expires too. Once running, a task is never
  // interrupted: it may watch its std::stop_token, which is signalled at the
  // deadline. time_point::max() is no deadline; a time already past expires
  // the task unrun. Default: none.
  std::optional<std::chrono::steady_clock::time_point> deadline;

  // Delayed tasks: not started before `run_after` has passed since add_task
  // returned, or before `run_at`. Join waits for delayed tasks like any task.
  // Shutdown does not wait out a delay: a task still waiting for its time ends
  // as cancelled (its future fails with TaskCancelledError). At most one of
  // the two; run_after must be >= 0. "Never": run_at = time_point::max(), or
  // a run_after that reaches past the end of the clock (duration::max()):
  // the task waits until it is cancelled, cleared or shut down, and a join()
  // waits for it as for any delayed task (join_for() gives up). A run_at
  // already past runs as soon as a worker is free. Default: run as soon as a
  // worker is free.
  std::optional<std::chrono::steady_clock::duration> run_after;
  std::optional<std::chrono::steady_clock::time_point> run_at;

  // Runs of the task, first one included: a task that throws is run again
  // after `backoff` until it returns or has run max_attempts times. Only the
  // final failure counts as failed and is reported, once, with the number of
  // attempts (TaskFailure::attempts); a submit() future gets the last
  // exception. The callable and its arguments must then be copyable: each
  // attempt runs on fresh copies. Not retried: a task whose stop was
  // requested (cancel() or its deadline while it ran). Shutdown does not
  // wait out a backoff: the task ends as failed with the attempts made.
  // Default: 1 (no retry).
  int max_attempts = 1;
  Backoff backoff;

  // Named tasks on worker nodes only. A node lost after it was sent the task
  // (killed, hung, disconnected) may or may not have run it. By default the
  // task runs again elsewhere, whatever max_attempts says (at-least-once),
  // up to ListenOptions::max_node_losses nodes; with at_most_once it fails
  // with NodeLostError instead, and it is sent to a node only into a free
  // slot (never prefetched), so that it fails only where it may have run.
  // A node that drains hands it back unrun either way. Default: false.
  bool at_most_once = false;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASK_OPTIONS_H_
