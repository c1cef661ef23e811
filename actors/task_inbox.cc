#include "actors/task_inbox.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace taskqueue::internal {

TaskInbox::PushResult TaskInbox::Push(Attempt&& attempt, ControlRef&& control) {
  absl::MutexLock lock(&mu_);
  if (closed_) return PushResult::kClosed;
  if (control && control->options.priority != 0) {
    int priority = control->options.priority;
    undrained_top_ = std::max(undrained_top_, priority);
    // Under the lock, so a plain store cannot lose a higher value.
    if (priority > top_priority_.load(std::memory_order_relaxed)) {
      top_priority_.store(priority, std::memory_order_release);
    }
  }
  tasks_.push_back(QueuedTask{std::move(attempt), epoch_, std::move(control)});
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
  // a vector that already has capacity: no reallocation in steady state. But
  // a backlog's worth of capacity would stay resident beside the tasks it
  // held, so a large buffer is freed instead.
  if (drain_buffer_.capacity() > kKeptCapacity) {
    std::vector<QueuedTask>().swap(drain_buffer_);
  } else {
    drain_buffer_.clear();
  }
  absl::MutexLock lock(&mu_);
  drain_buffer_.swap(tasks_);
  supervisor_told_ = false;
  undrained_top_ = std::numeric_limits<int>::min();
  return drain_buffer_;
}

void TaskInbox::MarkSorted() {
  absl::MutexLock lock(&mu_);
  if (top_priority_.load(std::memory_order_relaxed) != undrained_top_) {
    top_priority_.store(undrained_top_, std::memory_order_release);
  }
}

bool TaskInbox::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

}  // namespace taskqueue::internal
