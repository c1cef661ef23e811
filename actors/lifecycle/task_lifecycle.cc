#include "actors/lifecycle/task_lifecycle.h"

#include <atomic>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

#include "taskqueue/errors.h"

namespace taskqueue::internal {

bool TaskLifecycle::LeaveQueued(TaskControl& task, TaskState to) {
  TaskState expected = TaskState::kQueued;
  // Sequentially consistent, like RequestStop(): see RetryOrFail.
  return task.state.compare_exchange_strong(expected, to);
}

void TaskLifecycle::Queued(TaskControl* task) {
  sink_.Record({.control = task, .to = TaskState::kQueued});
}

bool TaskLifecycle::Start(TaskControl* task, int worker,
                          Clock::time_point now) {
  if (task == nullptr) {
    sink_.Record({.from = TaskState::kQueued,
                  .to = TaskState::kRunning,
                  .worker = worker,
                  .attempt = 1,
                  .now = now});
    return true;
  }
  const auto& deadline = task->options.deadline;
  if (deadline && now > *deadline) {
    EndUnrun(task, TaskState::kExpired);
    return false;
  }
  // Only a retry is queued with a stop requested (a handle cancels a queued
  // task without one): the stop came as its attempt failed, too late to
  // keep it from being put back, and means no retry.
  if (task->stop_requested.load()) {
    EndUnrun(task, TaskState::kCancelled);
    return false;
  }
  if (!LeaveQueued(*task, TaskState::kRunning)) return false;
  task->started_at = now;
  int attempt = task->attempts.fetch_add(1, std::memory_order_acq_rel) + 1;
  sink_.Record({.control = task,
                .from = TaskState::kQueued,
                .to = TaskState::kRunning,
                .worker = worker,
                .attempt = attempt,
                .now = now});
  return true;
}

void TaskLifecycle::Complete(TaskControl* task, int worker,
                             Clock::time_point now) {
  int attempt = 1;
  if (task != nullptr) {
    task->make_attempt = nullptr;
    task->state.store(TaskState::kCompleted, std::memory_order_release);
    attempt = task->attempts.load(std::memory_order_acquire);
  }
  sink_.Record({.control = task,
                .from = TaskState::kRunning,
                .to = TaskState::kCompleted,
                .worker = worker,
                .attempt = attempt,
                .now = now});
}

bool TaskLifecycle::AttemptFailed(TaskControl* task, int worker,
                                  TaskFailure failure, Clock::time_point now) {
  return RetryOrFail(task, worker, std::move(failure), now);
}

bool TaskLifecycle::AttemptLost(TaskControl* task, TaskFailure failure) {
  return RetryOrFail(task, /*worker=*/-1, std::move(failure),
                     Clock::time_point());
}

bool TaskLifecycle::NodeLost(TaskControl* task, int max_losses) {
  int lost = ++task->nodes_lost;
  std::string why;
  if (task->options.at_most_once) {
    why = "at-most-once task lost with the worker node running it";
  } else if (lost >= max_losses) {
    why = "task lost with " + std::to_string(lost) +
          " worker nodes that held it (ListenOptions::max_node_losses)";
  }
  TaskFailure failure{.exception = std::make_exception_ptr(NodeLostError(why)),
                      .description = why};
  return RetryOrFail(task, /*worker=*/-1, std::move(failure),
                     Clock::time_point(), /*retry_allowed=*/why.empty());
}

bool TaskLifecycle::RetryOrFail(TaskControl* task, int worker,
                                TaskFailure failure, Clock::time_point now,
                                std::optional<bool> retry_allowed) {
  if (task == nullptr) {
    failure.attempts = 1;
    Failed(nullptr, TaskState::kRunning, worker, 1, failure, now);
    return false;
  }
  int attempt = task->attempts.load(std::memory_order_acquire);
  failure.attempts = attempt;
  bool allowed = retry_allowed.value_or(attempt < task->options.max_attempts);
  if (allowed && task->make_attempt && !task->stop_requested.load()) {
    task->last_failure = failure.exception;
    // Reported while the task is still kRunning, so before anything else can
    // end it: once it is kQueued a cancelling handle may end it and settle
    // it, and whoever then sees it settled (a join) must find this attempt's
    // end counted. A stop requested from here on is Start's to honour.
    sink_.Record({.control = task,
                  .from = TaskState::kRunning,
                  .to = TaskState::kQueued,
                  .retry = true,
                  .worker = worker,
                  .attempt = attempt,
                  .failure = &failure,
                  .now = now});
    // From here a handle may cancel it again. Sequentially consistent, like
    // RequestStop() and LeaveQueued: a handle whose cancel found it still
    // running has its stop request seen by Start, so the retry cannot slip
    // past it.
    task->state.store(TaskState::kQueued);
    return true;
  }
  task->state.store(TaskState::kFailed, std::memory_order_release);
  Failed(task, TaskState::kRunning, worker, attempt, failure, now);
  return false;
}

void TaskLifecycle::Failed(TaskControl* task, TaskState from, int worker,
                           int attempt, const TaskFailure& failure,
                           Clock::time_point now) {
  if (task != nullptr) task->make_attempt = nullptr;
  sink_.Record({.control = task,
                .from = from,
                .to = TaskState::kFailed,
                .worker = worker,
                .attempt = attempt,
                .failure = &failure,
                .now = now});
}

bool TaskLifecycle::EndUnrun(TaskControl* task, TaskState why) {
  if (task != nullptr && !LeaveQueued(*task, why)) return false;
  sink_.Record({.control = task,
                .from = TaskState::kQueued,
                .to = why,
                .attempt = task != nullptr
                               ? task->attempts.load(std::memory_order_acquire)
                               : 0});
  return true;
}

bool TaskLifecycle::FailWaitingRetry(TaskControl* task) {
  if (!LeaveQueued(*task, TaskState::kFailed)) return false;
  TaskFailure failure;
  try {
    if (task->last_failure) std::rethrow_exception(task->last_failure);
    throw std::logic_error("taskqueue: a retry ended without a failure");
  } catch (...) {
    failure = TaskFailure::FromCurrentException();
  }
  int attempt = task->attempts.load(std::memory_order_acquire);
  failure.attempts = attempt;
  Failed(task, TaskState::kQueued, /*worker=*/-1, attempt, failure,
         Clock::time_point());
  return true;
}

}  // namespace taskqueue::internal
