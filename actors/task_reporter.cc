#include "actors/task_reporter.h"

#include <cstdio>
#include <utility>

namespace taskqueue::internal {
namespace {

TaskEvent EventFor(const TaskControl* control, TaskState state, int worker,
                   int attempt) {
  TaskEvent event{.state = state, .worker = worker, .attempt = attempt};
  if (control != nullptr) {
    event.id = control->id;
    event.name = control->options.name;
  }
  return event;
}

const std::string& NameOf(const TaskControl* control) {
  static const std::string* const kUnnamed = new std::string();
  return control != nullptr ? control->options.name : *kUnnamed;
}

}  // namespace

TaskReporter::TaskReporter(std::shared_ptr<QueueCounters> counters,
                           std::function<void(const TaskFailure&)> on_error,
                           std::shared_ptr<TaskObserver> observer)
    : counters_(std::move(counters)),
      on_error_(on_error ? std::move(on_error) : PrintTaskFailure),
      observer_(std::move(observer)) {}

void TaskReporter::Queued(const TaskControl* control) const {
  const std::string& name = NameOf(control);
  if (!name.empty()) counters_->CountNamed(name, &NameStats::submitted);
  if (observer_) {
    Notify(&TaskObserver::OnQueued,
           EventFor(control, TaskState::kQueued, -1, 0));
  }
}

void TaskReporter::Started(int worker, const TaskControl* control,
                           int attempt) const {
  if (observer_) {
    Notify(&TaskObserver::OnStarted,
           EventFor(control, TaskState::kRunning, worker, attempt));
  }
}

void TaskReporter::Completed(int worker, const TaskControl* control,
                             int attempt) const {
  const std::string& name = NameOf(control);
  if (!name.empty()) counters_->CountNamed(name, &NameStats::completed);
  if (observer_) {
    Notify(&TaskObserver::OnCompleted,
           EventFor(control, TaskState::kCompleted, worker, attempt));
  }
}

void TaskReporter::Failed(int worker, TaskControl* control,
                          const TaskFailure& failure) const {
  const std::string& name = NameOf(control);
  if (!name.empty()) counters_->CountNamed(name, &NameStats::failed);
  if (control != nullptr && control->fail_future) {
    control->fail_future(failure.exception);
  } else {
    ToOnError(failure);
  }
  if (observer_) {
    TaskEvent event =
        EventFor(control, TaskState::kFailed, worker, failure.attempts);
    event.failure = &failure;
    Notify(&TaskObserver::OnFailed, event);
  }
}

void TaskReporter::FailedElsewhere(TaskControl* control,
                                   const TaskFailure& failure) const {
  counters_->CountFailedElsewhere();
  Failed(-1, control, failure);
}

void TaskReporter::EndedUnrun(TaskControl* control, TaskState why) const {
  counters_->CountUnrun(why, NameOf(control));
  if (control != nullptr && control->fail_future) {
    control->fail_future(NotRunError(why));
  }
  if (observer_) {
    Notify(&TaskObserver::OnNotRun,
           EventFor(control, why, -1,
                    control != nullptr
                        ? control->attempts.load(std::memory_order_acquire)
                        : 0));
  }
}

void TaskReporter::Notify(void (TaskObserver::*hook)(const TaskEvent&),
                          const TaskEvent& event) const {
  try {
    (observer_.get()->*hook)(event);
  } catch (...) {
    std::fprintf(stderr,
                 "taskqueue: a TaskObserver hook threw; its exception was "
                 "dropped\n");
  }
}

void TaskReporter::ToOnError(const TaskFailure& failure) const {
  try {
    on_error_(failure);
  } catch (...) {
    std::fprintf(stderr,
                 "taskqueue: on_error threw while reporting a task failure "
                 "(%s); its exception was dropped\n",
                 failure.description.c_str());
  }
}

}  // namespace taskqueue::internal
