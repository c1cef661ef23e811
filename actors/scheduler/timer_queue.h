// TimerQueue: tasks waiting for their time: delayed tasks (run_after,
// run_at) and retries waiting out their backoff (whose closure is empty until
// the next attempt is built). A time of TimePoint::max() means never: such a
// task waits until it is cancelled, cleared or shut down, and no timer is
// armed for it.
//
// Not thread-safe: part of the single-threaded Scheduler.
#ifndef TASKQUEUE_ACTORS_SCHEDULER_TIMER_QUEUE_H_
#define TASKQUEUE_ACTORS_SCHEDULER_TIMER_QUEUE_H_

#include <chrono>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "actors/scheduler/queued_task.h"

namespace taskqueue::internal {

class TimerQueue {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  void Add(TimePoint due, QueuedTask task) {
    tasks_.emplace(due, std::move(task));
  }

  // When the soonest task is due; none when empty or only "never" waits.
  std::optional<TimePoint> Next() const {
    if (tasks_.empty() || tasks_.begin()->first == TimePoint::max()) {
      return std::nullopt;
    }
    return tasks_.begin()->first;
  }

  // Moves the tasks due at `now` to the back of `out`, soonest first.
  void TakeDue(TimePoint now, std::vector<QueuedTask>& out) {
    while (!tasks_.empty() && tasks_.begin()->first <= now &&
           tasks_.begin()->first != TimePoint::max()) {
      out.push_back(std::move(tasks_.begin()->second));
      tasks_.erase(tasks_.begin());
    }
  }

  // Takes out every task for which `pred(task)` holds, handing each to
  // `sink(QueuedTask&)`.
  template <class Pred, class Sink>
  void RemoveIf(Pred pred, Sink sink) {
    for (auto it = tasks_.begin(); it != tasks_.end();) {
      if (pred(it->second)) {
        sink(it->second);
        it = tasks_.erase(it);
      } else {
        ++it;
      }
    }
  }

  bool empty() const { return tasks_.empty(); }
  size_t size() const { return tasks_.size(); }

 private:
  std::multimap<TimePoint, QueuedTask> tasks_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_TIMER_QUEUE_H_
