// Helpers shared by the task-control tests: workers held busy on purpose
// (WorkerHold), an on_error that records (FailureLog), an observer that
// records every event (RecordingObserver), and a bounded wait for a condition
// that only the system under test can make true (Eventually).
//
// None of them orders anything by sleeping: holds are released by the test,
// and waits end when their condition holds. The time limits below only turn a
// hang into a failure; no test relies on them for what it asserts.
#ifndef TASKQUEUE_TESTS_TASK_CONTROL_TESTING_H_
#define TASKQUEUE_TESTS_TASK_CONTROL_TESTING_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "taskqueue/taskqueue.h"

namespace taskqueue::test_support {

using Clock = std::chrono::steady_clock;

// How long a holding task or a wait gives up after: far longer than any test
// needs, so that a broken queue fails a test instead of hanging it.
inline constexpr absl::Duration kHangGuard = absl::Seconds(60);

// A retry backoff that no test outlives: exactly an hour (no jitter, and
// max_delay raised too, since its default of 10 s would cap it).
inline constexpr Backoff kBackoffOfAnHour{
    .initial_delay = std::chrono::hours(1),
    .multiplier = 1.0,
    .max_delay = std::chrono::hours(1),
    .jitter = 0.0};

// Polls `condition` until it holds or `kHangGuard` has passed; returns
// whether it held. For states the queue reaches on its own (a counter in
// stats(), a handle's state) with no event to wait on.
inline bool Eventually(const std::function<bool()>& condition) {
  const absl::Time give_up = absl::Now() + kHangGuard;
  while (!condition()) {
    if (absl::Now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Blocks until `stop` is requested, or kHangGuard has passed; returns whether
// it was. For tasks that take a std::stop_token and wait to be stopped.
inline bool WaitForStop(std::stop_token stop) {
  absl::Notification stopped;
  std::stop_callback on_stop(stop, [&stopped] { stopped.Notify(); });
  return stopped.WaitForNotificationWithTimeout(kHangGuard);
}

// Keeps workers busy: Occupy(q, n) adds n tasks that each run until released,
// one at a time, each running before the next is added, so n of them hold n
// workers whatever the queue's bound. Everything still held is released when
// the WorkerHold is destroyed: declare it after the queue, so that it is
// destroyed first and the queue's destructor does not wait for it.
class WorkerHold {
 public:
  WorkerHold() : state_(std::make_shared<State>()) {}
  ~WorkerHold() { ReleaseAll(); }
  WorkerHold(const WorkerHold&) = delete;
  WorkerHold& operator=(const WorkerHold&) = delete;

  // Adds `n` holding tasks (plain add_task, priority 0) and returns once all
  // of them are running. Not for a paused queue.
  void Occupy(TaskQueue& q, int n) {
    for (int i = 0; i < n; ++i) {
      auto release = std::make_shared<absl::Notification>();
      releases_.push_back(release);
      const int expected = static_cast<int>(releases_.size());
      q.add_task([state = state_, release] {
        {
          absl::MutexLock lock(&state->mu);
          ++state->started;
        }
        release->WaitForNotificationWithTimeout(kHangGuard);
        absl::MutexLock lock(&state->mu);
        ++state->finished;
      });
      absl::MutexLock lock(&state_->mu);
      auto started = [this, expected]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                         state_->mu) { return state_->started >= expected; };
      state_->mu.Await(absl::Condition(&started));
    }
  }

  // Lets holding task `i` (in the order added) return.
  void Release(int i) {
    if (!releases_[i]->HasBeenNotified()) releases_[i]->Notify();
  }
  void ReleaseAll() {
    for (size_t i = 0; i < releases_.size(); ++i) Release(static_cast<int>(i));
  }

  // Blocks until `count` holding tasks have returned.
  void WaitFinished(int count) {
    absl::MutexLock lock(&state_->mu);
    auto finished = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu) {
      return state_->finished >= count;
    };
    state_->mu.Await(absl::Condition(&finished));
  }

  int size() const { return static_cast<int>(releases_.size()); }

 private:
  struct State {
    absl::Mutex mu;
    int started ABSL_GUARDED_BY(mu) = 0;
    int finished ABSL_GUARDED_BY(mu) = 0;
  };
  std::shared_ptr<State> state_;
  // Touched by the test's thread only.
  std::vector<std::shared_ptr<absl::Notification>> releases_;
};

// Records what on_error was handed, so that tests failing tasks on purpose
// stay quiet and can check each report.
class FailureLog {
 public:
  struct Report {
    std::string description;
    int attempts = 0;
  };

  QueueOptions Options(int workers) {
    return QueueOptions{.num_workers = workers, .on_error = OnError()};
  }
  std::function<void(const TaskFailure&)> OnError() {
    return [this](const TaskFailure& failure) {
      absl::MutexLock lock(&mu_);
      reports_.push_back({failure.description, failure.attempts});
    };
  }
  std::vector<Report> Get() {
    absl::MutexLock lock(&mu_);
    return reports_;
  }

 private:
  absl::Mutex mu_;
  std::vector<Report> reports_ ABSL_GUARDED_BY(mu_);
};

// Every observer event, copied (TaskEvent::name is valid during the call
// only), with the thread it came on.
class RecordingObserver : public TaskObserver {
 public:
  enum class Kind { kQueued, kStarted, kCompleted, kFailed, kNotRun };
  struct Event {
    Kind kind;
    uint64_t id = 0;
    std::string name;
    TaskState state = TaskState::kQueued;
    int worker = -1;
    int attempt = 0;
    bool has_failure = false;
    std::string failure_description;
    int failure_attempts = 0;
    std::thread::id thread;
  };

  void OnQueued(const TaskEvent& event) override {
    Record(Kind::kQueued, event);
  }
  void OnStarted(const TaskEvent& event) override {
    Record(Kind::kStarted, event);
  }
  void OnCompleted(const TaskEvent& event) override {
    Record(Kind::kCompleted, event);
  }
  void OnFailed(const TaskEvent& event) override {
    Record(Kind::kFailed, event);
  }
  void OnNotRun(const TaskEvent& event) override {
    Record(Kind::kNotRun, event);
  }

  std::vector<Event> All() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  std::vector<Event> For(uint64_t id) {
    absl::MutexLock lock(&mu_);
    std::vector<Event> out;
    for (const Event& e : events_) {
      if (e.id == id) out.push_back(e);
    }
    return out;
  }
  // Blocks until `count` end events (completed, failed or not run) have been
  // recorded, or `guard` has passed; returns whether they were. Called after
  // a join, when the events are due: the guard only keeps a missing event
  // from using up the test's whole time.
  bool WaitForEnds(int count, absl::Duration guard = absl::Seconds(10)) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return ends_ >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), guard);
  }

 private:
  void Record(Kind kind, const TaskEvent& event) {
    Event e{.kind = kind,
            .id = event.id,
            .name = std::string(event.name),
            .state = event.state,
            .worker = event.worker,
            .attempt = event.attempt,
            .has_failure = event.failure != nullptr,
            .thread = std::this_thread::get_id()};
    if (event.failure != nullptr) {
      e.failure_description = event.failure->description;
      e.failure_attempts = event.failure->attempts;
    }
    absl::MutexLock lock(&mu_);
    events_.push_back(std::move(e));
    if (kind != Kind::kQueued && kind != Kind::kStarted) ++ends_;
  }

  absl::Mutex mu_;
  std::vector<Event> events_ ABSL_GUARDED_BY(mu_);
  int ends_ ABSL_GUARDED_BY(mu_) = 0;
};

// Sum of the six end states of `s`.
inline uint64_t Ended(const Stats& s) {
  return s.completed + s.failed + s.cancelled + s.dropped + s.coalesced +
         s.expired;
}

}  // namespace taskqueue::test_support

#endif  // TASKQUEUE_TESTS_TASK_CONTROL_TESTING_H_
