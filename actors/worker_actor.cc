#include "actors/worker_actor.h"

#include <chrono>
#include <exception>
#include <utility>

#include "actors/message_handoff.h"
#include "actors/messages.h"
#include "caf/send.hpp"

namespace taskqueue::internal {
namespace {

using Clock = std::chrono::steady_clock;

thread_local const void* current_queue = nullptr;

struct Worker {
  caf::event_based_actor* self;
  int32_t index;
  const WorkerContext& context;
  const caf::actor& supervisor;
};

// Runs one claimed task through its lifecycle.
void Run(QueuedTask& queued, const Worker& w) {
  TaskLifecycle& lifecycle = *w.context.lifecycle;
  TaskControl* control = queued.control.get();
  bool timed = w.context.record_timings ||
               (control != nullptr && control->options.deadline);
  if (!lifecycle.Start(control, w.index,
                       timed ? Clock::now() : Clock::time_point())) {
    return;  // Ended by someone else first, or expired.
  }
  // Moved out, so that the task's captures are destroyed here, on the
  // worker, as soon as it has run.
  Attempt attempt = std::move(queued.attempt);
  try {
    std::move(attempt)();
  } catch (...) {
    if (lifecycle.AttemptFailed(control, w.index,
                                TaskFailure::FromCurrentException(),
                                timed ? Clock::now() : Clock::time_point())) {
      TsanMessageSent(w.supervisor);
      w.self->send(w.supervisor, retry_atom::value, queued.control,
                   queued.epoch);
    }
    return;
  }
  lifecycle.Complete(control, w.index,
                     timed ? Clock::now() : Clock::time_point());
}

// Returns how many tasks it claimed: the batch's first ones (task_batch.h).
uint64_t RunBatch(TaskBatch& batch, const Worker& w) {
  current_queue = w.context.queue;
  uint64_t claimed = 0;
  while (!batch.Outranked()) {
    QueuedTask* queued = batch.Claim();
    if (queued == nullptr) break;
    ++claimed;
    Run(*queued, w);
    batch.MarkFinished(claimed);
  }
  return claimed;
}

}  // namespace

caf::behavior worker_actor(caf::event_based_actor* self, int32_t index,
                           std::shared_ptr<const WorkerContext> context,
                           caf::actor supervisor) {
  TsanMessageSent(supervisor);
  self->send(supervisor, ready_atom::value, index, kWorkerCredit);
  return {
      [self, index, context, supervisor](run_atom, const TaskBatchPtr& batch) {
        TsanMessageReceived(self);
        Worker w{self, index, *context, supervisor};
        uint64_t claimed = RunBatch(*batch, w);
        TsanMessageSent(supervisor);
        self->send(supervisor, done_atom::value, index, batch->sequence(),
                   claimed);
      },
  };
}

bool RunningOnWorkerOf(const void* queue) { return current_queue == queue; }

}  // namespace taskqueue::internal
