#include "actors/lifecycle_reporter.h"

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

namespace taskqueue::internal {
namespace {

thread_local CallbackDeferral* current_deferral = nullptr;

const std::string& NameOf(const TaskControl* control) {
  static const std::string* const kUnnamed = new std::string();
  return control != nullptr ? control->options.name : *kUnnamed;
}

bool IsUnrunEnd(TaskState state) {
  return state == TaskState::kCancelled || state == TaskState::kDropped ||
         state == TaskState::kCoalesced || state == TaskState::kExpired;
}

}  // namespace

CallbackDeferral::CallbackDeferral() : previous_(current_deferral) {
  current_deferral = this;
}

CallbackDeferral::~CallbackDeferral() { current_deferral = previous_; }

void CallbackDeferral::Run() {
  // The callbacks run with this deferral uninstalled: one that calls back
  // into the supervisor (pause, clear) has that call install and run a
  // deferral of its own.
  current_deferral = previous_;
  std::vector<absl::AnyInvocable<void()&&>> held = std::move(held_);
  held_.clear();
  for (auto& callback : held) std::move(callback)();
  current_deferral = this;
}

CallbackDeferral* CallbackDeferral::Current() { return current_deferral; }

LifecycleReporter::LifecycleReporter(
    std::shared_ptr<QueueCounters> counters,
    std::shared_ptr<Admission> admission,
    std::function<void(const TaskFailure&)> on_error,
    std::shared_ptr<TaskObserver> observer)
    : counters_(std::move(counters)),
      admission_(std::move(admission)),
      on_error_(on_error ? std::move(on_error) : PrintTaskFailure),
      observer_(std::move(observer)) {}

void LifecycleReporter::Record(const Transition& t) {
  Count(t);
  if (admission_) {
    if (t.retry) {
      admission_->ForceEnter();
    } else if (t.from == TaskState::kQueued && t.to != TaskState::kQueued) {
      admission_->Leave();
    }
  }
  Tell(t);
  if (t.to == TaskState::kQueued || t.to == TaskState::kRunning) return;
  // Settled after the callbacks of its end, deferred ones included: a join
  // that sees the count may return, and must find them run.
  if (CallbackDeferral* deferral = CallbackDeferral::Current()) {
    deferral->Hold([counters = counters_, worker = t.worker] {
      counters->CountSettled(worker);
    });
  } else {
    counters_->CountSettled(t.worker);
  }
}

void LifecycleReporter::Count(const Transition& t) {
  QueueCounters& c = *counters_;
  const std::string& name = NameOf(t.control);
  if (t.to == TaskState::kQueued) {
    if (t.retry) {
      if (t.worker >= 0) {
        WorkerCounters& w = c.worker(t.worker);
        WorkerCounters::Increment(w.retried);
        if (w.run_time && t.control != nullptr) {
          w.run_time->Record(t.now - t.control->started_at);
        }
      } else {
        c.CountAttemptLost(/*retried=*/true);
      }
    } else if (!name.empty()) {
      c.CountNamed(name, &NameStats::submitted);
    }
    return;
  }
  switch (t.to) {
    case TaskState::kRunning: {
      WorkerCounters& w = c.worker(t.worker);
      WorkerCounters::Increment(w.started);
      if (w.queue_wait && t.control != nullptr) {
        w.queue_wait->Record(t.now - t.control->queued_at);
      }
      return;
    }
    case TaskState::kCompleted: {
      WorkerCounters& w = c.worker(t.worker);
      WorkerCounters::Increment(w.completed);
      if (w.run_time && t.control != nullptr) {
        w.run_time->Record(t.now - t.control->started_at);
      }
      if (!name.empty()) c.CountNamed(name, &NameStats::completed);
      return;
    }
    case TaskState::kFailed:
      if (t.worker >= 0) {
        WorkerCounters& w = c.worker(t.worker);
        WorkerCounters::Increment(w.failed);
        if (w.run_time && t.control != nullptr) {
          w.run_time->Record(t.now - t.control->started_at);
        }
      } else {
        if (t.from == TaskState::kRunning) c.CountAttemptLost(false);
        c.CountFailedElsewhere();
      }
      if (!name.empty()) c.CountNamed(name, &NameStats::failed);
      return;
    default:
      c.CountUnrun(t.to, name);
      return;
  }
}

void LifecycleReporter::Tell(const Transition& t) {
  TaskControl* control = t.control;
  TaskEvent event{.state = t.to, .worker = t.worker, .attempt = t.attempt};
  if (control != nullptr) {
    event.id = control->id;
    event.name = control->options.name;
  }
  switch (t.to) {
    case TaskState::kQueued:
      // A retry always has a control block and a failure.
      if (t.retry && control->attempt_listener) {
        control->attempt_listener->retrying(t.attempt, t.failure->exception);
      }
      if (!t.retry && observer_) {
        Notify(&TaskObserver::OnQueued, event, {}, nullptr);
      }
      return;
    case TaskState::kRunning:
      if (control != nullptr && control->attempt_listener) {
        control->attempt_listener->started(t.attempt, t.worker);
      }
      if (observer_) Notify(&TaskObserver::OnStarted, event, {}, nullptr);
      return;
    case TaskState::kCompleted:
      if (observer_) Notify(&TaskObserver::OnCompleted, event, {}, nullptr);
      return;
    case TaskState::kFailed: {
      // The future is set at once: that runs no user code.
      bool to_future = control != nullptr && control->fail_future;
      if (to_future) control->fail_future(t.failure->exception);
      CallbackDeferral* deferral = CallbackDeferral::Current();
      if (!to_future) {
        if (deferral != nullptr) {
          deferral->Hold(
              [this, failure = *t.failure]() mutable { ToOnError(failure); });
        } else {
          ToOnError(*t.failure);
        }
      }
      if (observer_) {
        Notify(&TaskObserver::OnFailed, event,
               control != nullptr ? ControlRef::Share(control) : ControlRef(),
               t.failure);
      }
      return;
    }
    default:
      if (!IsUnrunEnd(t.to)) return;
      if (control != nullptr && control->fail_future) {
        control->fail_future(NotRunError(t.to));
      }
      if (observer_) {
        Notify(&TaskObserver::OnNotRun, event,
               control != nullptr ? ControlRef::Share(control) : ControlRef(),
               nullptr);
      }
      return;
  }
}

void LifecycleReporter::Notify(void (TaskObserver::*hook)(const TaskEvent&),
                               TaskEvent event, ControlRef keep_alive,
                               const TaskFailure* failure) {
  auto call = [observer = observer_.get(), hook](const TaskEvent& e) {
    try {
      (observer->*hook)(e);
    } catch (...) {
      std::fprintf(stderr,
                   "taskqueue: a TaskObserver hook threw; its exception was "
                   "dropped\n");
    }
  };
  CallbackDeferral* deferral = CallbackDeferral::Current();
  if (deferral == nullptr) {
    event.failure = failure;
    call(event);
    return;
  }
  // Deferred: keep the name and the failure alive until the call.
  std::optional<TaskFailure> failure_copy;
  if (failure != nullptr) failure_copy = *failure;
  deferral->Hold([call, event, keep = std::move(keep_alive),
                  failure_copy = std::move(failure_copy)]() mutable {
    if (failure_copy) event.failure = &*failure_copy;
    call(event);
  });
}

void LifecycleReporter::ToOnError(const TaskFailure& failure) {
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
