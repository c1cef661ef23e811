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
#include <limits>
#include <vector>

#include "actors/queued_task.h"

namespace taskqueue::internal {

class TaskBatch {
 public:
  explicit TaskBatch(std::vector<QueuedTask> tasks, uint64_t sequence = 0)
      : tasks_(std::move(tasks)), sequence_(sequence) {
    for (const QueuedTask& task : tasks_) {
      min_priority_ = std::min(min_priority_, task.priority());
    }
  }

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
    claim_end_ = std::min(claim_end_, first);
  }

  // Worker: tasks [0, n) have finished (run, or skipped as ended). Lets the
  // supervisor tell, should the worker die, which task it died in.
  void MarkFinished(size_t n) { finished_.store(n, std::memory_order_release); }
  size_t finished() const { return finished_.load(std::memory_order_acquire); }

  // Supervisor: how many tasks the worker has claimed so far: [0, claimed()).
  size_t claimed() const {
    return std::min(
        {next_.load(std::memory_order_relaxed), claim_end_, tasks_.size()});
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

  // Supervisor, once the worker is done with the batch: the task at `i`
  // (its closure is gone; its epoch and control remain).
  const QueuedTask& at(size_t i) const { return tasks_[i]; }

  size_t size() const { return tasks_.size(); }
  // Batches are numbered in the order they were handed out.
  uint64_t sequence() const { return sequence_; }
  // The lowest priority among the batch's tasks.
  int min_priority() const { return min_priority_; }

 private:
  // Never resized after construction: the worker and the supervisor touch
  // disjoint elements concurrently.
  std::vector<QueuedTask> tasks_;
  uint64_t sequence_;
  int min_priority_ = std::numeric_limits<int>::max();
  std::atomic<size_t> next_{0};
  std::atomic<size_t> finished_{0};
  // Where Reclaim cut the batch short; supervisor only.
  size_t claim_end_ = std::numeric_limits<size_t>::max();
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_TASK_BATCH_H_
