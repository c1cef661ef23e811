// TaskControl: the state of one task added with options (or through submit),
// shared by the queue and the task's handle. Internal to taskqueue.
//
// Who decides a task's fate: only TaskLifecycle (actors/lifecycle) changes
// `state`, and the first thread to move it away from kQueued owns what
// follows, so a task is never both run and not run, whatever races. The
// queue takes the task's closure out of its queues later, lazily (see
// QueueLink).
//
// Thread-safety: `state`, `stop`, `stop_requested` and `attempts` are
// thread-safe; `make_attempt`, `last_failure` and `queued_at` are written by
// the worker running an attempt or by the supervisor, never both at once
// (message hand-offs order them); the rest is immutable once the task is
// queued.
#ifndef TASKQUEUE_CORE_TASK_CONTROL_H_
#define TASKQUEUE_CORE_TASK_CONTROL_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stop_token>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "taskqueue/encoded_result.h"
#include "taskqueue/remote_call.h"
#include "taskqueue/task.h"
#include "taskqueue/task_options.h"
#include "taskqueue/task_state.h"

namespace taskqueue::internal {

struct TaskControl;

// Implemented by the queue's backend: how a handle reaches a queue that may be
// gone (a handle can outlive its queue).
class QueueLink {
 public:
  virtual ~QueueLink() = default;
  // Ends `task` as `why` if it is still queued: counts it, fails its future,
  // tells the observer, and has the supervisor drop its closure and stop
  // waiting for it. Returns whether it was still queued. Thread-safe.
  virtual bool EndUnrun(TaskControl& task, TaskState why) = 0;
};

struct TaskControl {
  using Clock = std::chrono::steady_clock;

  uint64_t id = 0;
  TaskOptions options;
  // Resolved from options.run_after/run_at when added.
  std::optional<Clock::time_point> run_at;
  // When it was added, or last put back for a retry: Stats::queue_wait, kept
  // only with QueueOptions::record_timings (a clock read per task).
  Clock::time_point queued_at;
  // When its current attempt started: Stats::run_time, likewise.
  Clock::time_point started_at;

  std::atomic<TaskState> state{TaskState::kQueued};
  // Without a stop state unless the callable takes a std::stop_token: a
  // stop state is an allocation every other task would pay for nothing.
  std::stop_source stop{std::nostopstate};
  // Set with every stop request, token or not: a stopped task is not retried.
  std::atomic<bool> stop_requested{false};

  // Fails the submit() future with `error`; empty for add_task. Called at most
  // once, by the thread that decided the task's end.
  absl::AnyInvocable<void(std::exception_ptr)> fail_future;
  // Told of each attempt's start and retry; set by add_encoded only.
  std::shared_ptr<EncodedResult> attempt_listener;
  // Builds the next attempt, for tasks with max_attempts > 1 and named tasks
  // (which a lost node makes run again).
  absl::AnyInvocable<Attempt()> make_attempt;
  // Attempts started; read by handles on any thread.
  std::atomic<int> attempts{0};
  std::exception_ptr last_failure;

  std::weak_ptr<QueueLink> queue;
  // Set for a named task (named_task.h): what a worker node is sent. Null
  // for a closure, which only this process's workers can run.
  std::unique_ptr<RemoteCall> remote;
  // Worker nodes lost while they ran an attempt; the supervisor's only.
  int nodes_lost = 0;

  // Owners: ControlRef.
  std::atomic<int> refs{1};

  // Asks a running task to stop: its token (if it has one) and its retries.
  void RequestStop() {
    stop_requested.store(true);
    stop.request_stop();
  }
};

// An owning, reference-counted pointer to a TaskControl: the handle, the
// queued task and the supervisor share it. Half the size of a shared_ptr,
// which counts: every queued task carries one (null for a plain task).
// Copies are thread-safe, like shared_ptr's.
class ControlRef {
 public:
  ControlRef() = default;
  static ControlRef Make() { return ControlRef(new TaskControl); }
  // Another owner of `p` (non-null), which some ControlRef already owns.
  static ControlRef Share(TaskControl* p) {
    p->refs.fetch_add(1, std::memory_order_relaxed);
    return ControlRef(p);
  }

  ControlRef(const ControlRef& other) : p_(other.p_) {
    if (p_ != nullptr) p_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  ControlRef(ControlRef&& other) noexcept
      : p_(std::exchange(other.p_, nullptr)) {}
  ControlRef& operator=(ControlRef other) noexcept {
    std::swap(p_, other.p_);
    return *this;
  }
  ~ControlRef() {
    if (p_ != nullptr &&
        p_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      delete p_;
    }
  }

  TaskControl* get() const { return p_; }
  TaskControl* operator->() const { return p_; }
  TaskControl& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }
  friend bool operator==(const ControlRef& a, const ControlRef& b) {
    return a.p_ == b.p_;
  }

 private:
  explicit ControlRef(TaskControl* p) : p_(p) {}

  TaskControl* p_ = nullptr;
};

// The exception a TaskNotRunError subclass stands for `why`.
std::exception_ptr NotRunError(TaskState why);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_CORE_TASK_CONTROL_H_
