// TaskReporter: tells everyone who should know how a task went: the counters
// (queue_counters.h), the observer, on_error, and the task's future. Workers,
// the supervisor and cancelling handles all end tasks through it, so each
// end is reported the same way whoever decided it.
//
// Per-worker hot counters (started, completed, failed, retried) are the
// workers' own business; everything else is counted here.
//
// Thread-safety: every method is thread-safe. Each end is reported once: by
// the thread that moved the task's state (task_control.h), or for plain
// tasks by the one thread that holds the task.
#ifndef TASKQUEUE_ACTORS_TASK_REPORTER_H_
#define TASKQUEUE_ACTORS_TASK_REPORTER_H_

#include <functional>
#include <memory>
#include <string>

#include "actors/queue_counters.h"
#include "taskqueue/task_control.h"
#include "taskqueue/task_failure.h"
#include "taskqueue/task_observer.h"

namespace taskqueue::internal {

class TaskReporter {
 public:
  TaskReporter(std::shared_ptr<QueueCounters> counters,
               std::function<void(const TaskFailure&)> on_error,
               std::shared_ptr<TaskObserver> observer);

  QueueCounters& counters() const { return *counters_; }
  bool observed() const { return observer_ != nullptr; }

  // Producer: the task was accepted. `control` is null for a plain task.
  void Queued(const TaskControl* control) const;
  // Worker `worker` starts attempt `attempt` (1 for a plain task).
  void Started(int worker, const TaskControl* control, int attempt) const;
  void Completed(int worker, const TaskControl* control, int attempt) const;
  // The task failed for good: to its future if it has one, else to on_error.
  void Failed(int worker, TaskControl* control,
              const TaskFailure& failure) const;
  // Like Failed, for a failure decided outside a worker's attempt; also
  // counts it.
  void FailedElsewhere(TaskControl* control, const TaskFailure& failure) const;
  // The task ended without running, as `why`: counts it, fails its future
  // with the matching TaskNotRunError, tells the observer. `control` is null
  // for a plain task (dropped or cleared by the supervisor).
  void EndedUnrun(TaskControl* control, TaskState why) const;

 private:
  void Notify(void (TaskObserver::*hook)(const TaskEvent&),
              const TaskEvent& event) const;
  void ToOnError(const TaskFailure& failure) const;

  std::shared_ptr<QueueCounters> counters_;
  std::function<void(const TaskFailure&)> on_error_;
  std::shared_ptr<TaskObserver> observer_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_TASK_REPORTER_H_
