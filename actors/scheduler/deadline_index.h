// DeadlineIndex: the deadlines (TaskOptions::deadline) of the tasks that have
// not ended, soonest first. When a deadline passes, a task not yet started
// expires and a running one is asked to stop. An entry leaves when its task
// ends, so a long-lived queue holds nothing for tasks that are over.
//
// Not thread-safe: part of the single-threaded Scheduler.
#ifndef TASKQUEUE_ACTORS_SCHEDULER_DEADLINE_INDEX_H_
#define TASKQUEUE_ACTORS_SCHEDULER_DEADLINE_INDEX_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "taskqueue/task_control.h"

namespace taskqueue::internal {

class DeadlineIndex {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // Tracks `task`'s deadline, if it has one; again is harmless.
  void Add(const ControlRef& task) {
    if (!task->options.deadline) return;
    entries_.try_emplace(KeyOf(*task), task);
  }

  // `task` ended.
  void Remove(const TaskControl& task) {
    if (task.options.deadline) entries_.erase(KeyOf(task));
  }

  // The soonest deadline, if any.
  std::optional<TimePoint> Next() const {
    if (entries_.empty()) return std::nullopt;
    return entries_.begin()->first.first;
  }

  // Moves the tasks whose deadline is at or before `now` to `out`.
  void TakeDue(TimePoint now, std::vector<ControlRef>& out) {
    while (!entries_.empty() && entries_.begin()->first.first <= now) {
      out.push_back(std::move(entries_.begin()->second));
      entries_.erase(entries_.begin());
    }
  }

  size_t size() const { return entries_.size(); }

 private:
  // Task ids break ties and make each entry findable from its task.
  using Key = std::pair<TimePoint, uint64_t>;
  static Key KeyOf(const TaskControl& task) {
    return {*task.options.deadline, task.id};
  }

  std::map<Key, ControlRef> entries_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_DEADLINE_INDEX_H_
