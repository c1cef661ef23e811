// TaskBatch: a run of tasks the scheduler hands to one endpoint in one
// message, and the lease under which the endpoint runs them.
//
// One message per task would make every task pay a cross-thread round trip;
// a batch pays it once. But a batch must not strand its tasks behind a slow
// one: the endpoint claims tasks one at a time, and the scheduler can take
// back (ReclaimInto) whatever is still unclaimed, for an endpoint that has
// gone idle, a more urgent task, a pause or a clear. This is the protocol's
// "return your unstarted tasks", answered at once: in-process, claim and
// reclaim race on one atomic index, so each task is either run by the
// endpoint or taken back, never both and never neither. An endpoint in
// another process would claim through its proxy when it reports a start.
//
// Ownership: shared by the scheduler (until the endpoint reports the batch
// done) and the endpoint (while it runs the batch).
#ifndef TASKQUEUE_ACTORS_SCHEDULER_TASK_BATCH_H_
#define TASKQUEUE_ACTORS_SCHEDULER_TASK_BATCH_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "actors/scheduler/queued_task.h"

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

  // In-process only, an optimization of the scheduler's taking back lower
  // priorities: `pending` is the highest priority added but not yet seen by
  // the scheduler (TaskInbox::top_priority), so the endpoint can leave its
  // batch before claiming a task that a newcomer outranks, instead of after
  // the scheduler has caught up.
  void WatchPendingPriority(const std::atomic<int>* pending) {
    pending_priority_ = pending;
  }
  // Endpoint: whether a task on its way outranks some of this batch.
  bool Outranked() const {
    return pending_priority_ != nullptr &&
           pending_priority_->load(std::memory_order_acquire) > min_priority_;
  }

  // Endpoint: the next task to run, or nullptr when none is left. Claims are
  // handed out front to back, so after k successful claims the endpoint has
  // run tasks [0, k).
  QueuedTask* Claim() {
    size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    return i < tasks_.size() ? &tasks_[i] : nullptr;
  }

  // Scheduler: moves the tasks nobody has claimed to the back of `out`,
  // in order. Later Claims return nullptr.
  void ReclaimInto(std::deque<QueuedTask>& out) {
    size_t first = next_.exchange(tasks_.size(), std::memory_order_relaxed);
    for (size_t i = first; i < tasks_.size(); ++i) {
      out.push_back(std::move(tasks_[i]));
    }
    claim_end_ = std::min(claim_end_, first);
  }

  // Endpoint: tasks [0, n) have finished (run, or skipped as ended). Lets
  // the scheduler tell, should the endpoint die, which task it died in.
  void MarkFinished(size_t n) { finished_.store(n, std::memory_order_release); }
  size_t finished() const { return finished_.load(std::memory_order_acquire); }

  // Scheduler: how many tasks the endpoint has claimed so far: [0, claimed()).
  size_t claimed() const {
    return std::min(
        {next_.load(std::memory_order_relaxed), claim_end_, tasks_.size()});
  }

  // Scheduler: how many tasks a Reclaim now would take back.
  size_t unclaimed() const {
    size_t next = next_.load(std::memory_order_relaxed);
    return next < tasks_.size() ? tasks_.size() - next : 0;
  }

  // Scheduler: whether a Reclaim now would take anything back.
  bool HasUnclaimed() const {
    return next_.load(std::memory_order_relaxed) < tasks_.size();
  }

  // Scheduler, once the endpoint has reported running tasks [0, ran): calls
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

  // Scheduler: whether a Reclaim now would take back a portable task.
  bool HasUnclaimedPortable() const {
    for (size_t i = next_.load(std::memory_order_relaxed); i < tasks_.size();
         ++i) {
      if (tasks_[i].portable()) return true;
    }
    return false;
  }

  // Scheduler, once the endpoint is done with the batch: the task at `i`
  // (its closure is gone if it ran; its epoch and control remain).
  const QueuedTask& at(size_t i) const { return tasks_[i]; }
  QueuedTask& at(size_t i) { return tasks_[i]; }

  size_t size() const { return tasks_.size(); }
  // Batches are numbered in the order they were handed out.
  uint64_t sequence() const { return sequence_; }
  // The lowest priority among the batch's tasks.
  int min_priority() const { return min_priority_; }

 private:
  // Never resized after construction: the endpoint and the scheduler touch
  // disjoint elements concurrently.
  std::vector<QueuedTask> tasks_;
  uint64_t sequence_;
  int min_priority_ = std::numeric_limits<int>::max();
  const std::atomic<int>* pending_priority_ = nullptr;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> finished_{0};
  // Where Reclaim cut the batch short; scheduler only.
  size_t claim_end_ = std::numeric_limits<size_t>::max();
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_TASK_BATCH_H_
