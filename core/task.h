// The type-erased task that flows from `TaskQueue::add_task()` to a worker.
// Internal to taskqueue: users pass plain callables and arguments.
#ifndef TASKQUEUE_CORE_TASK_H_
#define TASKQUEUE_CORE_TASK_H_

#include <functional>
#include <future>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"

namespace taskqueue::internal {

// How a task ended, when it ended without throwing to the worker.
enum class TaskOutcome {
  kCompleted,
  // It threw, and the exception is already in the task's future.
  kFailedIntoFuture,
};

// Runs at most once (rvalue-qualified) and owns its callable and arguments.
// A task that throws an exception lets it reach the worker, which counts it
// as failed and hands it to `on_error`.
using Task = absl::AnyInvocable<TaskOutcome() &&>;

template <class F, class... Args>
using TaskResult = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;

template <class F, class... Args>
constexpr void CheckInvocable() {
  static_assert(std::is_invocable_v<std::decay_t<F>, std::decay_t<Args>...>,
                "taskqueue: the task cannot be called with these arguments "
                "(they are stored as copies and passed as rvalues, as "
                "std::thread does; use std::ref to pass a reference)");
}

// Decay-copies `f` and `args` into the task and calls f with them as rvalues
// when it runs, as std::thread does. The result, if any, is discarded.
template <class F, class... Args>
Task MakeTask(F&& f, Args&&... args) {
  CheckInvocable<F, Args...>();
  return [f = std::forward<F>(f),
          ... args = std::forward<Args>(args)]() mutable -> TaskOutcome {
    std::invoke(std::move(f), std::move(args)...);
    return TaskOutcome::kCompleted;
  };
}

// Like MakeTask, but the result or the exception goes to the returned future.
template <class F, class... Args>
std::pair<Task, std::future<TaskResult<F, Args...>>> MakeFutureTask(
    F&& f, Args&&... args) {
  CheckInvocable<F, Args...>();
  using R = TaskResult<F, Args...>;
  std::promise<R> promise;
  std::future<R> future = promise.get_future();
  Task task = [promise = std::move(promise), f = std::forward<F>(f),
               ... args = std::forward<Args>(args)]() mutable -> TaskOutcome {
    try {
      if constexpr (std::is_void_v<R>) {
        std::invoke(std::move(f), std::move(args)...);
        promise.set_value();
      } else {
        promise.set_value(std::invoke(std::move(f), std::move(args)...));
      }
      return TaskOutcome::kCompleted;
    } catch (...) {
      promise.set_exception(std::current_exception());
      return TaskOutcome::kFailedIntoFuture;
    }
  };
  return {std::move(task), std::move(future)};
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_CORE_TASK_H_
