// TaskObserver: hooks that see every task go through the queue, for progress
// bars, logs and metrics. Set one in `QueueOptions::observer`:
//
//   class Progress : public taskqueue::TaskObserver {
//    public:
//     void OnCompleted(const taskqueue::TaskEvent& e) override {
//       done_.fetch_add(1, std::memory_order_relaxed);
//     }
//     std::atomic<int> done_{0};
//   };
//   auto progress = std::make_shared<Progress>();
//   taskqueue::TaskQueue q({.num_workers = 4, .observer = progress});
//
// Each task the queue accepts gets OnQueued, then OnStarted before each
// attempt, and ends with exactly one of OnCompleted, OnFailed (its last
// attempt threw) or OnNotRun (cancelled, dropped, coalesced or expired:
// event.state says which). A retried attempt's failure is not an end: the
// next OnStarted follows. A task that add_task/submit refuses (it threw
// QueueClosedError or QueueFullError) gets no event at all, also when it
// raced shutdown().
//
// Contract: called synchronously on the thread where the event happens (the
// producer for OnQueued, the worker for OnStarted/OnCompleted/OnFailed, a
// cancelling handle's caller), or, for what the queue decides itself
// (coalesced, expired, dropped, cleared, a retry ended by shutdown), on the
// supervisor's thread once it has decided and before any join that waits for
// the task returns. Possibly on several threads at once: it must be
// thread-safe and quick, since it delays that thread. From a hook, join() and
// shutdown() on the supervisor's thread throw JoinFromTaskError, and pause(),
// resume(), clear() and add_task() work. An exception from a hook is printed
// and dropped. Without an observer, no hook costs
// anything but a null check. The queue shares ownership of the observer.
// OnQueued runs inside add_task, before the task is handed over: it must not
// call shutdown() or destroy the queue (shutdown waits for that add_task).
#ifndef TASKQUEUE_CORE_TASK_OBSERVER_H_
#define TASKQUEUE_CORE_TASK_OBSERVER_H_

#include <cstdint>
#include <string_view>

#include "taskqueue/task_failure.h"
#include "taskqueue/task_state.h"

namespace taskqueue {

struct TaskEvent {
  // TaskHandle::id() of the task; 0 for tasks added without options.
  uint64_t id = 0;
  // TaskOptions::name; empty when unnamed. Valid during the call only.
  std::string_view name;
  // kQueued, kRunning, or the state the task ended in.
  TaskState state = TaskState::kQueued;
  // Where the attempt runs or ran: a local worker's index in
  // [0, num_workers), or num_workers + k for a task on a worker node (k
  // numbers the node's connection, below ListenOptions::max_nodes); -1 when
  // the change was decided off a worker (queued, cancelled, expired).
  int worker = -1;
  // Attempts started, this one included (0 before the first).
  int attempt = 0;
  // The exception, for OnFailed; null otherwise.
  const TaskFailure* failure = nullptr;
};

class TaskObserver {
 public:
  virtual ~TaskObserver() = default;
  virtual void OnQueued(const TaskEvent& event) {}
  virtual void OnStarted(const TaskEvent& event) {}
  virtual void OnCompleted(const TaskEvent& event) {}
  virtual void OnFailed(const TaskEvent& event) {}
  virtual void OnNotRun(const TaskEvent& event) {}
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASK_OBSERVER_H_
