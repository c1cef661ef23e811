#include "taskqueue/taskqueue.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>

#include "actors/actor_backend.h"

namespace taskqueue {
namespace {

QueueOptions Validated(QueueOptions options) {
  if (options.num_workers < 1 ||
      options.num_workers > QueueOptions::kMaxWorkers) {
    throw std::invalid_argument(
        "taskqueue: num_workers must be between 1 and " +
        std::to_string(QueueOptions::kMaxWorkers) + ", got " +
        std::to_string(options.num_workers));
  }
  return options;
}

}  // namespace

TaskQueue::TaskQueue(int num_workers)
    : TaskQueue(QueueOptions{.num_workers = num_workers}) {}

TaskQueue::TaskQueue(QueueOptions options)
    : backend_(std::make_unique<internal::ActorBackend>(
          Validated(std::move(options)))) {}

TaskQueue::~TaskQueue() {
  if (backend_->OnOwnWorker()) {
    std::fprintf(stderr,
                 "taskqueue: a TaskQueue was destroyed by one of its own "
                 "tasks; it would wait for that task forever\n");
    std::abort();
  }
}

void TaskQueue::Enqueue(internal::Task task) {
  if (!backend_->Add(std::move(task))) throw QueueClosedError();
}

JoinResult TaskQueue::join() {
  if (backend_->OnOwnWorker()) throw JoinFromTaskError("join()");
  return backend_->Join();
}

void TaskQueue::shutdown() {
  if (backend_->OnOwnWorker()) throw JoinFromTaskError("shutdown()");
  backend_->Shutdown();
}

Stats TaskQueue::stats() const { return backend_->GetStats(); }

int TaskQueue::num_workers() const { return backend_->num_workers(); }

}  // namespace taskqueue
