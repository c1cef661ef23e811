// LifecycleReporter: the queue's LifecycleSink. Every transition of every
// task (TaskLifecycle) reaches the counters behind stats(), the bound on
// queued tasks (Admission), the per-name counts, the task's future, and the
// user's callbacks (TaskObserver hooks, on_error), here and only here.
//
// Where user callbacks run. On the thread that made the transition: the
// producer (OnQueued), the worker (OnStarted, OnCompleted, OnFailed of an
// attempt), a cancelling handle's caller; and for transitions the supervisor
// decides (coalesced, expired, dropped, cleared, a retry failed by shutdown,
// an attempt lost with its worker), on the supervisor's thread after it has
// finished deciding: while a CallbackDeferral is installed on a thread, the
// callbacks made there wait in it until it runs them. So a callback may call
// back into the queue (pause, clear, add) from anywhere.
//
// Thread-safety: Record is thread-safe; per-worker counters are written only
// from their worker's thread.
#ifndef TASKQUEUE_ACTORS_LIFECYCLE_REPORTER_H_
#define TASKQUEUE_ACTORS_LIFECYCLE_REPORTER_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "actors/admission.h"
#include "actors/lifecycle/transition.h"
#include "actors/queue_counters.h"
#include "taskqueue/task_failure.h"
#include "taskqueue/task_observer.h"

namespace taskqueue::internal {

// Holds the user callbacks made on this thread while it lives, until Run().
// Not thread-safe; one per thread at a time.
class CallbackDeferral {
 public:
  CallbackDeferral();
  ~CallbackDeferral();
  CallbackDeferral(const CallbackDeferral&) = delete;
  CallbackDeferral& operator=(const CallbackDeferral&) = delete;

  // Runs the held callbacks, and those they cause, in order.
  void Run();

  // The deferral installed on this thread, or null.
  static CallbackDeferral* Current();
  void Hold(absl::AnyInvocable<void() &&> callback) {
    held_.push_back(std::move(callback));
  }

 private:
  CallbackDeferral* previous_;
  std::vector<absl::AnyInvocable<void() &&>> held_;
};

class LifecycleReporter : public LifecycleSink {
 public:
  // `admission` is null unless the queue blocks or rejects producers when
  // full. An empty `on_error` means PrintTaskFailure.
  LifecycleReporter(std::shared_ptr<QueueCounters> counters,
                    std::shared_ptr<Admission> admission,
                    std::function<void(const TaskFailure&)> on_error,
                    std::shared_ptr<TaskObserver> observer);

  void Record(const Transition& t) override;
  bool wants_plain_queued() const override { return observer_ != nullptr; }

  QueueCounters& counters() const { return *counters_; }

 private:
  void Count(const Transition& t);
  void Tell(const Transition& t);
  void Notify(void (TaskObserver::*hook)(const TaskEvent&), TaskEvent event,
              ControlRef keep_alive, const TaskFailure* failure);
  void ToOnError(const TaskFailure& failure);

  const std::shared_ptr<QueueCounters> counters_;
  const std::shared_ptr<Admission> admission_;
  const std::function<void(const TaskFailure&)> on_error_;
  const std::shared_ptr<TaskObserver> observer_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_LIFECYCLE_REPORTER_H_
