#include "actors/worker_actor.h"

#include <chrono>
#include <exception>
#include <utility>

#include "actors/message_handoff.h"
#include "actors/messages.h"
#include "caf/actor_cast.hpp"
#include "caf/send.hpp"

namespace taskqueue::internal {
namespace {

using Clock = std::chrono::steady_clock;

thread_local const void* current_queue = nullptr;

// One worker's view: where it counts, whom it reports to.
struct Worker {
  caf::event_based_actor* self;
  int32_t index;
  const WorkerContext& context;
  WorkerCounters& counters;
  caf::actor supervisor;
};

void RunPlain(Task task, const Worker& w) {
  WorkerCounters::Increment(w.counters.started);
  const TaskReporter& reporter = *w.context.reporter;
  if (reporter.observed()) reporter.Started(w.index, nullptr, 1);
  try {
    std::move(task)();
    WorkerCounters::Increment(w.counters.completed);
    if (reporter.observed()) reporter.Completed(w.index, nullptr, 1);
  } catch (...) {
    WorkerCounters::Increment(w.counters.failed);
    w.context.reporter->Failed(w.index, nullptr,
                               TaskFailure::FromCurrentException());
  }
}

// The attempt threw. Back to the supervisor for another attempt, or the end.
void AttemptFailed(QueuedTask& queued, int attempt, const Worker& w) {
  TaskControl& control = *queued.control;
  TaskFailure failure = TaskFailure::FromCurrentException();
  failure.attempts = attempt;
  if (attempt < control.options.max_attempts && control.make_attempt &&
      !control.stop_requested.load(std::memory_order_acquire)) {
    control.last_failure = failure.exception;
    // From here a handle may cancel it again.
    control.state.store(TaskState::kQueued);
    // A stop requested since the check above (TaskHandle::cancel() requests
    // it before looking at the state): no retry after all. Unless the
    // canceller has already ended the task, it fails here. Sequentially
    // consistent, like RequestStop() and Leave(): of this store-then-load and
    // the canceller's, at least one sees the other's store.
    if (control.stop_requested.load()) {
      w.context.reporter->counters().CountAttemptLost(/*retried=*/false);
      if (control.Leave(TaskState::kFailed)) {
        control.make_attempt = nullptr;
        w.context.reporter->FailedElsewhere(&control, failure);
      }
      return;
    }
    if (w.context.admission) w.context.admission->ForceEnter();
    WorkerCounters::Increment(w.counters.retried);
    HandOffTo(w.supervisor);
    w.self->send(w.supervisor, retry_atom::value, queued.control, queued.epoch);
    return;
  }
  control.make_attempt = nullptr;
  control.state.store(TaskState::kFailed, std::memory_order_release);
  WorkerCounters::Increment(w.counters.failed);
  w.context.reporter->Failed(w.index, &control, failure);
}

void RunControlled(QueuedTask& queued, const Worker& w) {
  TaskControl& control = *queued.control;
  const auto& deadline = control.options.deadline;
  Clock::time_point start =
      deadline || w.counters.run_time ? Clock::now() : Clock::time_point();
  if (deadline && start > *deadline) {
    if (control.Leave(TaskState::kExpired)) {
      w.context.reporter->EndedUnrun(&control, TaskState::kExpired);
    }
    return;
  }
  // Lost the race to a cancel, a coalescing newcomer...: not ours to run.
  if (!control.Leave(TaskState::kRunning)) return;
  int attempt = control.attempts.fetch_add(1, std::memory_order_acq_rel) + 1;
  WorkerCounters::Increment(w.counters.started);
  if (w.counters.queue_wait) {
    w.counters.queue_wait->Record(start - control.queued_at);
  }
  w.context.reporter->Started(w.index, &control, attempt);
  try {
    Task task = std::move(queued.task);
    std::move(task)();
    control.make_attempt = nullptr;
    control.state.store(TaskState::kCompleted, std::memory_order_release);
    WorkerCounters::Increment(w.counters.completed);
    w.context.reporter->Completed(w.index, &control, attempt);
  } catch (...) {
    AttemptFailed(queued, attempt, w);
  }
  if (w.counters.run_time) w.counters.run_time->Record(Clock::now() - start);
}

// Returns how many tasks it claimed: the batch's first ones (task_batch.h).
// Leaves the rest (all of it, before the first claim) to the supervisor when a
// task that outranks some of them waits in the inbox: the supervisor sorts
// them again with the newcomer.
uint64_t RunBatch(TaskBatch& batch, const Worker& w) {
  current_queue = w.context.queue;
  uint64_t claimed = 0;
  const TaskInbox& inbox = *w.context.inbox;
  while (inbox.top_priority() <= batch.min_priority()) {
    QueuedTask* queued = batch.Claim();
    if (queued == nullptr) break;
    ++claimed;
    if (w.context.admission) w.context.admission->Leave();
    // Moved out so that the task's captures are destroyed here, on the
    // worker, as soon as it has run.
    if (queued->control) {
      RunControlled(*queued, w);
    } else {
      RunPlain(std::move(queued->task), w);
    }
    batch.MarkFinished(claimed);
  }
  return claimed;
}

}  // namespace

caf::behavior worker_actor(caf::event_based_actor* self, int32_t index,
                           std::shared_ptr<const WorkerContext> context) {
  WorkerCounters& counters = context->reporter->counters().worker(index);
  return {
      [self, index, context, &counters](run_atom, const TaskBatchPtr& batch) {
        TakeOver(self);
        Worker w{self, index, *context, counters,
                 caf::actor_cast<caf::actor>(self->current_sender())};
        uint64_t claimed = RunBatch(*batch, w);
        HandOffTo(w.supervisor);
        self->send(w.supervisor, done_atom::value, index, claimed);
      },
  };
}

bool RunningOnWorkerOf(const void* queue) { return current_queue == queue; }

}  // namespace taskqueue::internal
