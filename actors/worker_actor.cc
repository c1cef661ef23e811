#include "actors/worker_actor.h"

#include <cstdio>
#include <exception>
#include <utility>

#include "actors/message_handoff.h"
#include "actors/messages.h"
#include "caf/actor_cast.hpp"
#include "caf/send.hpp"

namespace taskqueue::internal {
namespace {

thread_local const void* current_queue = nullptr;

void ReportFailure(const WorkerContext& context, const TaskFailure& failure) {
  try {
    context.on_error(failure);
  } catch (...) {
    std::fprintf(stderr,
                 "taskqueue: on_error threw while reporting a task failure "
                 "(%s); its exception was dropped\n",
                 failure.description.c_str());
  }
}

void RunTask(Task task, const WorkerContext& context,
             WorkerCounters& counters) {
  try {
    TaskOutcome outcome = std::move(task)();
    WorkerCounters::Increment(outcome == TaskOutcome::kCompleted
                                  ? counters.completed
                                  : counters.failed);
  } catch (...) {
    WorkerCounters::Increment(counters.failed);
    ReportFailure(context, TaskFailure::FromCurrentException());
  }
}

// Returns how many tasks it ran: the batch's first ones (task_batch.h).
uint64_t RunBatch(TaskBatch& batch, const WorkerContext& context,
                  WorkerCounters& counters) {
  current_queue = context.queue;
  uint64_t ran = 0;
  while (QueuedTask* queued = batch.Claim()) {
    WorkerCounters::Increment(counters.started);
    ++ran;
    // Moved out so that the task's captures are destroyed here, on the
    // worker, as soon as it has run.
    RunTask(std::move(queued->task), context, counters);
  }
  return ran;
}

}  // namespace

caf::behavior worker_actor(caf::event_based_actor* self, int32_t index,
                           std::shared_ptr<const WorkerContext> context) {
  WorkerCounters& counters = context->counters->worker(index);
  return {
      [self, index, context, &counters](run_atom, const TaskBatchPtr& batch) {
        TakeOver(self);
        uint64_t ran = RunBatch(*batch, *context, counters);
        auto supervisor = caf::actor_cast<caf::actor>(self->current_sender());
        HandOffTo(supervisor);
        self->send(supervisor, done_atom::value, index, ran);
      },
  };
}

bool RunningOnWorkerOf(const void* queue) { return current_queue == queue; }

}  // namespace taskqueue::internal
