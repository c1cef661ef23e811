// TaskFuture<R>: what `TaskQueue::submit()` returns: a std::future<R> for the
// task's result, plus the task's handle to cancel it.
//
//   taskqueue::TaskFuture<int> f = q.submit(Compute, 42);
//   if (user_gave_up) f.cancel();
//   try {
//     int value = f.get();
//   } catch (const taskqueue::TaskNotRunError& e) {
//     // cancelled, dropped, coalesced or expired: it never ran
//   }
//
// It is a std::future<R> (public base), so `std::future<R> f = q.submit(...)`
// still compiles, keeping the result and dropping the handle.
//
// The future is ready as soon as the task has set its result, a moment before
// the worker records the end: right after get(), handle().state() and
// TaskQueue::stats() may still show the task running. A join() returns only
// after both.
#ifndef TASKQUEUE_CORE_TASK_FUTURE_H_
#define TASKQUEUE_CORE_TASK_FUTURE_H_

#include <future>
#include <utility>

#include "taskqueue/task_handle.h"

namespace taskqueue {

template <class R>
class TaskFuture : public std::future<R> {
 public:
  TaskFuture() = default;
  TaskFuture(std::future<R> future, TaskHandle handle)
      : std::future<R>(std::move(future)), handle_(std::move(handle)) {}

  const TaskHandle& handle() const { return handle_; }
  CancelResult cancel() const { return handle_.cancel(); }

 private:
  TaskHandle handle_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASK_FUTURE_H_
