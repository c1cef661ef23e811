// QueueCounters: the per-worker counters behind TaskQueue::stats().
//
// Each worker writes only its own counters, on its own cache line, with plain
// release stores: counting a task costs no locked instruction and no cache
// line ping-pong between workers. Readers sum them (see Snapshot()).
#ifndef TASKQUEUE_ACTORS_QUEUE_COUNTERS_H_
#define TASKQUEUE_ACTORS_QUEUE_COUNTERS_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "actors/task_inbox.h"
#include "taskqueue/stats.h"

namespace taskqueue::internal {

// One worker's counters. Written by that worker's thread only.
struct alignas(64) WorkerCounters {
  std::atomic<uint64_t> started{0};
  std::atomic<uint64_t> completed{0};
  std::atomic<uint64_t> failed{0};

  // Single writer: a load and a store, not a read-modify-write.
  static void Increment(std::atomic<uint64_t>& counter) {
    counter.store(counter.load(std::memory_order_relaxed) + 1,
                  std::memory_order_release);
  }
};

class QueueCounters {
 public:
  explicit QueueCounters(int num_workers)
      : num_workers_(num_workers),
        workers_(std::make_unique<WorkerCounters[]>(num_workers)) {}

  WorkerCounters& worker(int index) { return workers_[index]; }

  // Thread-safe, non-blocking. Reads the finished counts first, then the
  // started ones, then `inbox.submitted()`: a task is submitted before it
  // starts and starts before it finishes, so reading in the opposite order
  // of those events keeps every difference non-negative.
  Stats Snapshot(const TaskInbox& inbox) const;

  uint64_t failed() const;

 private:
  int num_workers_;
  std::unique_ptr<WorkerCounters[]> workers_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_QUEUE_COUNTERS_H_
