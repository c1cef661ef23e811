#include "actors/task_inbox.h"

#include <utility>

namespace taskqueue::internal {

TaskInbox::PushResult TaskInbox::Push(Task task, ControlRef control) {
  absl::MutexLock lock(&mu_);
  if (closed_) return PushResult::kClosed;
  tasks_.push_back(QueuedTask{std::move(task), epoch_, std::move(control)});
  // Under the lock, so that a join's EndEpoch() orders after this count, and
  // so a plain store suffices: no other writer can interleave.
  submitted_.store(submitted_.load(std::memory_order_relaxed) + 1,
                   std::memory_order_release);
  if (supervisor_told_) return PushResult::kQueued;
  supervisor_told_ = true;
  return PushResult::kQueuedWakeSupervisor;
}

uint64_t TaskInbox::EndEpoch() {
  absl::MutexLock lock(&mu_);
  return epoch_++;
}

uint64_t TaskInbox::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  return epoch_++;
}

std::vector<QueuedTask>& TaskInbox::Drain() {
  // Swapping with the emptied buffer of the previous drain hands producers
  // a vector that already has capacity: no reallocation in steady state.
  drain_buffer_.clear();
  absl::MutexLock lock(&mu_);
  drain_buffer_.swap(tasks_);
  supervisor_told_ = false;
  return drain_buffer_;
}

bool TaskInbox::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

}  // namespace taskqueue::internal
