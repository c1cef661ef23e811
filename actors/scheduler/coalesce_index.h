// CoalesceIndex: the newest task of each coalesce key (latest wins,
// TaskOptions::coalesce_key), while that task may still be replaced: from
// when it arrives until it ends. A retry waiting out its backoff is still the
// newest of its key, so a newer task replaces it too.
//
// Not thread-safe: part of the single-threaded Scheduler.
#ifndef TASKQUEUE_ACTORS_SCHEDULER_COALESCE_INDEX_H_
#define TASKQUEUE_ACTORS_SCHEDULER_COALESCE_INDEX_H_

#include <map>
#include <string>
#include <utility>

#include "taskqueue/task_control.h"

namespace taskqueue::internal {

class CoalesceIndex {
 public:
  // `task` (with a non-empty key) is the newest of its key now. Returns the
  // task it replaces, or null.
  ControlRef Replace(const ControlRef& task) {
    auto [it, inserted] = newest_.try_emplace(task->options.coalesce_key, task);
    if (inserted) return ControlRef();
    return std::exchange(it->second, task);
  }

  // `task` came back for a retry. Returns false when a newer task took its
  // key meanwhile (the retry is then the older one); otherwise it is (still,
  // or again) the newest of its key.
  bool Readmit(const ControlRef& task) {
    auto [it, inserted] = newest_.try_emplace(task->options.coalesce_key, task);
    return inserted || it->second == task;
  }

  // `task` ended: it can no longer be replaced.
  void Forget(const TaskControl& task) {
    if (task.options.coalesce_key.empty()) return;
    auto it = newest_.find(task.options.coalesce_key);
    if (it != newest_.end() && it->second.get() == &task) newest_.erase(it);
  }

  size_t size() const { return newest_.size(); }

 private:
  std::map<std::string, ControlRef> newest_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_COALESCE_INDEX_H_
