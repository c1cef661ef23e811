// Attempt: one run of a task, type-erased, as it flows from
// `TaskQueue::add_task()` to a worker, and how a callable and its arguments
// are packed into attempts (a task with retries gets one per run). Internal
// to taskqueue: users pass plain callables and arguments.
#ifndef TASKQUEUE_CORE_TASK_H_
#define TASKQUEUE_CORE_TASK_H_

#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <stop_token>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"

namespace taskqueue::internal {

// Runs at most once (rvalue-qualified) and owns its callable and arguments.
// What it throws reaches the worker, which hands it to TaskLifecycle: retried,
// or reported to on_error or the task's future.
using Attempt = absl::AnyInvocable<void() &&>;

// Like std::jthread: a callable that takes a std::stop_token first gets one.
template <class F, class... Args>
inline constexpr bool kTakesStopToken =
    std::is_invocable_v<std::decay_t<F>, std::stop_token,
                        std::decay_t<Args>...>;

template <class F, class... Args>
decltype(auto) InvokeTask(F&& f, std::stop_token token, Args&&... args) {
  if constexpr (kTakesStopToken<F, Args...>) {
    return std::invoke(std::forward<F>(f), std::move(token),
                       std::forward<Args>(args)...);
  } else {
    return std::invoke(std::forward<F>(f), std::forward<Args>(args)...);
  }
}

template <class F, class... Args>
constexpr void CheckInvocable() {
  static_assert(
      kTakesStopToken<F, Args...> ||
          std::is_invocable_v<std::decay_t<F>, std::decay_t<Args>...>,
      "taskqueue: the task cannot be called with these arguments (they are "
      "stored as copies and passed as rvalues, as std::thread does; use "
      "std::ref to pass a reference)");
}

// What TaskResult is when f cannot be called with these arguments. Never
// the result of a call that compiles: MakeAttempt's CheckInvocable rejects it.
struct NotInvocable {};

// What InvokeTask(decay-copy of f, token, decay-copies of args...) returns.
template <class F, class... Args>
struct TaskResultOf {
  using type = NotInvocable;
};
template <class F, class... Args>
requires kTakesStopToken<F, Args...>
struct TaskResultOf<F, Args...>
    : std::invoke_result<std::decay_t<F>, std::stop_token,
                         std::decay_t<Args>...> {
};
template <class F, class... Args>
requires(
    !kTakesStopToken<F, Args...> &&
    std::is_invocable_v<std::decay_t<F>,
                        std::decay_t<Args>...>) struct TaskResultOf<F, Args...>
    : std::invoke_result<std::decay_t<F>, std::decay_t<Args>...> {
};

// What f returns when run as a task. Naming it never fails, whatever F and
// Args are: TaskQueue::submit's return type is written with it, and overload
// resolution forms the return type of every submit overload, also for calls
// it does not fit (Clang 14 does so before it checks the overload's
// constraint, CWG2369), so it must not instantiate a function body the way
// decltype(InvokeTask(...)) would.
template <class F, class... Args>
using TaskResult = typename TaskResultOf<F, Args...>::type;

// Where an attempt's result goes: nowhere (add_task), or a
// std::shared_ptr<std::promise<R>> (submit).
struct DiscardResult {};

// Decay-copies `f` and `args` into an attempt that calls f with them as
// rvalues, as std::thread does, and hands the result to `sink`.
template <class Sink, class F, class... Args>
Attempt MakeAttempt(Sink sink, std::stop_token token, F&& f, Args&&... args) {
  CheckInvocable<F, Args...>();
  return
      [sink = std::move(sink), token = std::move(token), f = std::forward<F>(f),
       ... args = std::forward<Args>(args)]() mutable {
        if constexpr (std::is_same_v<Sink, DiscardResult>) {
          InvokeTask(std::move(f), std::move(token), std::move(args)...);
        } else if constexpr (std::is_void_v<TaskResult<F, Args...>>) {
          InvokeTask(std::move(f), std::move(token), std::move(args)...);
          sink->set_value();
        } else {
          sink->set_value(
              InvokeTask(std::move(f), std::move(token), std::move(args)...));
        }
      };
}

// A plain add_task: no handle, no stop ever requested. Captures nothing but
// f and args: absl::AnyInvocable keeps a closure of up to 16 bytes inline,
// and one pointer more (a captured token) would cost a task a heap block.
template <class F, class... Args>
Attempt MakePlainAttempt(F&& f, Args&&... args) {
  CheckInvocable<F, Args...>();
  return
      [f = std::forward<F>(f), ... args = std::forward<Args>(args)]() mutable {
        InvokeTask(std::move(f), std::stop_token(), std::move(args)...);
      };
}

// The first attempt of a task; when it `may_repeat`, also `*make_attempt`,
// which builds each further attempt from fresh copies.
template <class Sink, class F, class... Args>
Attempt MakeAttempts(bool may_repeat,
                     absl::AnyInvocable<Attempt()>* make_attempt, Sink sink,
                     std::stop_token token, F&& f, Args&&... args) {
  if (!may_repeat) {
    return MakeAttempt(std::move(sink), std::move(token), std::forward<F>(f),
                       std::forward<Args>(args)...);
  }
  if constexpr (std::is_copy_constructible_v<std::decay_t<F>> &&
                (std::is_copy_constructible_v<std::decay_t<Args>> && ...)) {
    *make_attempt = [sink = std::move(sink), token = std::move(token),
                     f = std::forward<F>(f),
                     ... args = std::forward<Args>(args)]() {
      return MakeAttempt(sink, token, f, args...);
    };
    return (*make_attempt)();
  } else {
    throw std::invalid_argument(
        "taskqueue: max_attempts > 1 needs a copyable callable and copyable "
        "arguments (each attempt runs on fresh copies)");
  }
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_CORE_TASK_H_
