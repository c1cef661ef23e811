// Scheduler: every decision the queue makes about tasks, as a plain,
// single-threaded state machine with no threads, actors or clocks of its own.
//
// The supervisor actor turns messages into the events below and the commands
// that come out into messages; tests drive it directly on a fake clock
// (scheduler_test.cc, scheduler_simulation_test.cc). What it decides:
//   * order: higher priority first, FIFO within a priority (WaitingLanes);
//   * dispatch: batches sized to spread what waits over the endpoints that
//     have credit (at most `credit` batches in flight per endpoint, one while
//     priorities other than 0 are in use, so a newcomer can overtake);
//   * taking back what an endpoint has not started (TaskBatch::ReclaimInto)
//     for an idle endpoint, a higher priority, pause, clear, drop, expiry;
//   * latest wins (CoalesceIndex), drop-oldest beyond a bound, delays and
//     retry backoffs (TimerQueue), deadlines (DeadlineIndex);
//   * pause, clear, close, and which joins may be answered (JoinLedger);
//   * what happens to the tasks of an endpoint that died.
// Every change of a task's state goes through the TaskLifecycle it is given;
// the scheduler only decides when.
//
// Endpoints. An endpoint runs tasks: a local worker actor now, a remote
// node's slots later. It announces credit (EndpointReady), is sent batches
// (SendBatch), claims their tasks one at a time, and reports each batch done
// with how many it claimed (BatchDone), in the order sent. A failed attempt
// with attempts left comes back as RetryArrived before its batch's BatchDone.
//
// A remote endpoint (a worker node's slot, in another process) runs only
// portable tasks, named tasks with a wire form (QueuedTask::portable); a
// local one runs anything. Both take tasks in the same order.
//
// Time. Events that depend on time take `now`; the scheduler asks to be woken
// with ArmTimer and is told TimerFired. TimePoint::max() means never.
//
// Not thread-safe: one thread (the supervisor's) calls it.
#ifndef TASKQUEUE_ACTORS_SCHEDULER_SCHEDULER_H_
#define TASKQUEUE_ACTORS_SCHEDULER_SCHEDULER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <variant>
#include <vector>

#include "actors/lifecycle/task_lifecycle.h"
#include "actors/scheduler/coalesce_index.h"
#include "actors/scheduler/deadline_index.h"
#include "actors/scheduler/join_ledger.h"
#include "actors/scheduler/queued_task.h"
#include "actors/scheduler/task_batch.h"
#include "actors/scheduler/timer_queue.h"
#include "actors/scheduler/waiting_lanes.h"
#include "taskqueue/task_control.h"

namespace taskqueue::internal {

using EndpointId = int32_t;

enum class EndpointKind { kLocal, kRemote };
using TaskBatchPtr = std::shared_ptr<TaskBatch>;

struct SchedulerOptions {
  // OverflowPolicy::kDropOldest's bound (QueueOptions::max_queued); 0: the
  // scheduler drops nothing.
  size_t drop_oldest_beyond = 0;
  // The most tasks in one batch. Each batch costs a message to its endpoint
  // and a report back, i.e. wake-ups on both sides: with no-op tasks on
  // one worker, 1024 instead of 128 cut the cost per task by about a third
  // (interleaved runs). Larger batches strand nothing: an idle endpoint
  // takes over what a busy one has not claimed.
  size_t max_batch = 1024;
  // A task fails once this many worker nodes were lost while they ran it
  // (TaskLifecycle::NodeLost).
  int max_node_losses = 3;
  // Seeds the jitter of retry backoffs.
  uint32_t seed = 1;
};

// Commands: what the scheduler asks its driver to do.
struct SendBatch {
  EndpointId endpoint;
  TaskBatchPtr batch;
};
struct AnswerJoin {
  JoinId join;
};
// Call TimerFired at `at` (or later). A later ArmTimer does not cancel an
// earlier one: TimerFired may come early, and is harmless then.
struct ArmTimer {
  std::chrono::steady_clock::time_point at;
};
// A running task's deadline passed: request its stop (std::stop_token).
struct StopRunning {
  ControlRef task;
};
using SchedulerCommand =
    std::variant<SendBatch, AnswerJoin, ArmTimer, StopRunning>;

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  // `lifecycle` must outlive the scheduler.
  Scheduler(SchedulerOptions options, TaskLifecycle& lifecycle);

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // --- Events. Each may append commands. ---

  // Endpoint `id` takes up to `credit` batches at a time (>= 1). Also after
  // EndpointLost, for its replacement, which may be of another kind.
  void EndpointReady(EndpointId id, size_t credit,
                     EndpointKind kind = EndpointKind::kLocal);
  // Tasks added by producers, in the order added. Moves them out of `tasks`.
  void TasksArrived(std::vector<QueuedTask>& tasks, TimePoint now);
  // Endpoint `id` is done with its oldest batch, number `sequence`, having
  // claimed (and finished) its first `claimed` tasks; it left the rest.
  // Returns false, changing nothing, when that is not its oldest batch.
  bool BatchDone(EndpointId id, uint64_t sequence, size_t claimed);
  // A failed attempt of `task` (added in `epoch`) will be retried
  // (TaskLifecycle::AttemptFailed said so) after its backoff.
  void RetryArrived(ControlRef task, uint64_t epoch, TimePoint now);
  // Some tasks were ended unrun outside the scheduler (a handle cancelled
  // them): take them out and stop waiting for them.
  void EndedElsewhere();
  void TimerFired(TimePoint now);
  // No task starts from now until Resume(). Ignored once closing: shutdown
  // never waits for a resume.
  void Pause();
  void Resume();
  // Cancels every task that has not started, wherever it is (waiting,
  // delayed, in backoff, claimed by an endpoint but not started, or a retry
  // on its way here); returns how many. Does nothing once closing: shutdown
  // runs every task it accepted.
  size_t Clear();
  // Shutdown began: every delayed task ends cancelled, every retry in
  // backoff fails, and whatever is ready still runs.
  void Close();
  // Join `id` waits for every task of epoch <= `epoch`; AnswerJoin when so.
  void Join(JoinId id, uint64_t epoch);
  // Join `id` stopped waiting (join_for timed out).
  void ForgetJoin(JoinId id);
  // Endpoint `id` died: the tasks it finished count, an attempt it had
  // started and not finished is lost (retried or failed, per the task's
  // options), and the rest, claimed and not started included, is handed out
  // again. It gets no batch until EndpointReady(id) again.
  void EndpointLost(EndpointId id, TimePoint now);

  // The commands produced so far, in order. The driver executes and clears
  // them.
  std::vector<SchedulerCommand>& commands() { return commands_; }

  // --- State, for the supervisor and for tests. ---
  bool paused() const { return paused_; }
  bool closing() const { return closing_; }
  // Tasks not started: ready, delayed or in backoff, or handed out unclaimed.
  size_t queued() const;
  // Tasks ready and not handed out.
  size_t waiting() const { return waiting_.size(); }
  // The highest priority among them; only when waiting() > 0.
  int top_waiting_priority() const { return waiting_.TopPriority(); }
  // Of them, those a remote endpoint can run, and their highest priority
  // (only when there are some).
  size_t waiting_portable() const { return waiting_.portable(); }
  int top_waiting_portable_priority() const {
    return waiting_.TopPortablePriority();
  }
  // Entries kept for tasks that may still change (none once all ended).
  size_t deadlines_tracked() const { return deadlines_.size(); }
  size_t keys_tracked() const { return keys_.size(); }
  size_t joins_waiting() const { return joins_.joins_waiting(); }
  size_t timers_waiting() const { return timers_.size(); }
  size_t batches_in_flight(EndpointId id) const;

 private:
  struct Endpoint {
    bool live = false;
    EndpointKind kind = EndpointKind::kLocal;
    size_t credit = 0;
    // Sent and not yet reported done, oldest first: an endpoint finishes its
    // batches in the order they were sent.
    std::deque<TaskBatchPtr> batches;
  };

  // Admits one arrival: coalescing, deadline, delay. Sets *prune when it
  // ended an older task that may sit anywhere.
  void Accept(QueuedTask task, TimePoint now, bool* prune);
  void WaitForRetry(QueuedTask task, TimePoint now);
  // The task will not run again (ended, or finished an attempt for good):
  // joins stop waiting for it and its key and deadline are forgotten.
  void Finished(QueuedTask& task);
  // After an attempt of `task` ran (or was skipped): like Finished, except
  // that a task back in kQueued or kRunning (a retry) keeps its key and
  // deadline.
  void AttemptOver(const QueuedTask& task);
  // Takes back every task handed out and not claimed, oldest batch first,
  // to the front of the waiting lanes. Returns whether it took any.
  bool ReclaimAll();
  bool ReclaimForIdleEndpoint(uint64_t sent_before);
  // Takes back the unclaimed tasks of `batches`, in the order handed out.
  bool ReclaimInOrder(std::vector<TaskBatch*>& batches);
  // Tasks handed out and taken back, oldest first, go before the others of
  // their priority; those that ended meanwhile are taken out.
  void ReturnToWaiting(std::deque<QueuedTask>& tasks);
  // Takes every task ended elsewhere out of the lanes and timers.
  void RemoveEnded();
  void DropOverflow();
  void LetHigherPrioritiesOvertake();
  void ReleaseDue(TimePoint now);
  void AttemptLost(const QueuedTask& task, EndpointKind kind, TimePoint now);
  // What every event ends with: let higher priorities overtake, hand out
  // what waits, answer what joins can be answered, arm the next timer.
  void Advance();
  void Dispatch();
  size_t MaxBatchesPerEndpoint(const Endpoint& e) const;
  // Among the endpoints with a free batch slot, remote ones only when
  // `portable_waiting`.
  Endpoint* LeastLoadedEndpoint(bool portable_waiting);
  size_t FreeBatchSlots() const;
  void ArmNextTimer();

  const SchedulerOptions options_;
  TaskLifecycle& lifecycle_;
  std::vector<Endpoint> endpoints_;
  WaitingLanes waiting_;
  TimerQueue timers_;
  DeadlineIndex deadlines_;
  CoalesceIndex keys_;
  JoinLedger joins_;
  uint64_t batches_sent_ = 0;
  // Whether any task so far had a priority other than 0: only then can a
  // newcomer outrank a task already handed out.
  bool priorities_used_ = false;
  // Whether any endpoint so far was remote: only then is counting the
  // portable tasks that wait worth it.
  bool remote_endpoints_ = false;
  bool paused_ = false;
  bool closing_ = false;
  // When the earliest ArmTimer not yet followed by TimerFired is due.
  std::optional<TimePoint> timer_due_;
  std::minstd_rand random_;
  std::vector<SchedulerCommand> commands_;
  std::vector<QueuedTask> due_;  // Reused by ReleaseDue.
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_SCHEDULER_H_
