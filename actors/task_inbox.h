// TaskInbox: where producers leave tasks for the supervisor actor.
//
// Sending every task to the supervisor as a CAF message would cost a message
// allocation and a mailbox operation per task on the producer's hot path.
// Instead producers append to this inbox under a mutex, and only the producer
// that finds the inbox not yet announced sends the supervisor a `drain_atom`;
// the supervisor then takes everything queued so far in one go.
//
// Join epochs. `join()` must wait for the tasks added before it began and not
// for later ones. Each task is stamped with the current epoch; EndEpoch()
// closes the epoch, so "every task of epoch <= e has finished" is exactly
// "everything added before EndEpoch() returned e has finished".
//
// Thread-safe: any number of producers, one supervisor draining.
#ifndef TASKQUEUE_ACTORS_TASK_INBOX_H_
#define TASKQUEUE_ACTORS_TASK_INBOX_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "actors/scheduler/queued_task.h"
#include "taskqueue/task.h"

namespace taskqueue::internal {

class TaskInbox {
 public:
  enum class PushResult {
    kQueued,
    // Queued into an inbox the supervisor has not been told about: the caller
    // must send the supervisor a drain_atom.
    kQueuedWakeSupervisor,
    // The inbox is closed; the task was not taken.
    kClosed,
  };

  // `control` is null for a plain add_task.
  // By rvalue reference: each move of an Attempt is an indirect call.
  PushResult Push(Attempt&& attempt, ControlRef&& control = ControlRef());

  // Ends the current epoch and returns it: tasks pushed before this call have
  // an epoch <= the result, tasks pushed after it a greater one.
  uint64_t EndEpoch();

  // Refuses every later Push. Returns EndEpoch(): once that epoch has
  // finished, every task the inbox ever took has finished.
  uint64_t Close();

  // Takes every queued task, in the order pushed, and re-arms the wake-up:
  // the next Push asks for a drain_atom again. The caller moves the tasks out
  // of the returned vector, which stays valid until the next Drain. Only one
  // thread (the supervisor's) may drain.
  std::vector<QueuedTask>& Drain();

  bool closed() const;

  // The highest priority among the tasks the supervisor has not yet sorted
  // in (still here, or drained but not yet placed); INT_MIN when none. Only
  // priorities other than 0 count. Batches point their workers at it
  // (TaskBatch::Outranked), so that a worker leaves its batch to the
  // supervisor when something more urgent is on its way. Non-blocking.
  const std::atomic<int>& top_priority() const { return top_priority_; }

  // The supervisor has placed every task it drained (taken back what they
  // outrank): top_priority() drops to what was pushed since the drain.
  void MarkSorted();

  // Tasks taken by Push, ever. Non-blocking.
  uint64_t submitted() const {
    return submitted_.load(std::memory_order_acquire);
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<QueuedTask> tasks_ ABSL_GUARDED_BY(mu_);
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool supervisor_told_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<uint64_t> submitted_{0};
  // Written under mu_, read without it.
  std::atomic<int> top_priority_{std::numeric_limits<int>::min()};
  // The highest priority pushed since the last drain.
  int undrained_top_ ABSL_GUARDED_BY(mu_) = std::numeric_limits<int>::min();
  // Touched only by the draining thread.
  std::vector<QueuedTask> drain_buffer_;
  // Tasks' worth of capacity Drain() keeps for reuse.
  static constexpr size_t kKeptCapacity = 65536;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_TASK_INBOX_H_
