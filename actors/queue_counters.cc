#include "actors/queue_counters.h"

namespace taskqueue::internal {

Stats QueueCounters::Snapshot(const TaskInbox& inbox) const {
  Stats stats;
  for (int i = 0; i < num_workers_; ++i) {
    stats.completed += workers_[i].completed.load(std::memory_order_acquire);
    stats.failed += workers_[i].failed.load(std::memory_order_acquire);
  }
  uint64_t started = 0;
  for (int i = 0; i < num_workers_; ++i) {
    started += workers_[i].started.load(std::memory_order_acquire);
  }
  stats.submitted = inbox.submitted();
  stats.running = started - stats.completed - stats.failed;
  stats.queued = stats.submitted - started;
  return stats;
}

uint64_t QueueCounters::failed() const {
  uint64_t failed = 0;
  for (int i = 0; i < num_workers_; ++i) {
    failed += workers_[i].failed.load(std::memory_order_acquire);
  }
  return failed;
}

}  // namespace taskqueue::internal
