// TaskBatch: a run of tasks the supervisor hands to one worker in one message.
//
// One message per task would make every task pay a cross-thread round trip;
// a batch pays it once. But a batch must not strand its tasks behind a slow
// one: the worker claims tasks one at a time, and the supervisor can take back
// (Reclaim) whatever is still unclaimed, for a worker that has gone idle.
// Claim and Reclaim race on one atomic index, so each task is either run by
// the worker or taken back, never both and never neither.
//
// Ownership: shared by the supervisor (until the worker reports the batch
// done) and the worker (while it runs the batch).
#ifndef TASKQUEUE_ACTORS_TASK_BATCH_H_
#define TASKQUEUE_ACTORS_TASK_BATCH_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "actors/queued_task.h"

namespace taskqueue::internal {

class TaskBatch {
 public:
  explicit TaskBatch(std::vector<QueuedTask> tasks)
      : tasks_(std::move(tasks)) {}

  TaskBatch(const TaskBatch&) = delete;
  TaskBatch& operator=(const TaskBatch&) = delete;

  // Worker: the next task to run, or nullptr when none is left. Claims are
  // handed out front to back, so after k successful claims the worker has
  // run tasks [0, k).
  QueuedTask* Claim() {
    size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    return i < tasks_.size() ? &tasks_[i] : nullptr;
  }

  // Supervisor: moves the tasks no worker has claimed to the back of `out`,
  // in order. Later Claims return nullptr.
  void ReclaimInto(std::deque<QueuedTask>& out) {
    size_t first = next_.exchange(tasks_.size(), std::memory_order_relaxed);
    for (size_t i = first; i < tasks_.size(); ++i) {
      out.push_back(std::move(tasks_[i]));
    }
  }

  // Supervisor: whether a Reclaim now would take anything back.
  bool HasUnclaimed() const {
    return next_.load(std::memory_order_relaxed) < tasks_.size();
  }

  // Supervisor, once the worker has reported running tasks [0, ran): calls
  // fn(epoch, count) for each run of equal epochs among them.
  template <class Fn>
  void ForEachEpochRun(size_t ran, Fn fn) const {
    ran = std::min(ran, tasks_.size());
    size_t begin = 0;
    while (begin < ran) {
      size_t end = begin + 1;
      while (end < ran && tasks_[end].epoch == tasks_[begin].epoch) ++end;
      fn(tasks_[begin].epoch, uint64_t{end - begin});
      begin = end;
    }
  }

  size_t size() const { return tasks_.size(); }

 private:
  // Never resized after construction: the worker and the supervisor touch
  // disjoint elements concurrently.
  std::vector<QueuedTask> tasks_;
  std::atomic<size_t> next_{0};
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_TASK_BATCH_H_
