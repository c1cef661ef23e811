// WaitingLanes: the ready tasks the scheduler holds that no endpoint has yet,
// in the order they should start: higher priority first, FIFO within a
// priority.
//
// One deque (lane) per priority in use; a queue whose tasks all have the
// default priority uses one, as a plain FIFO would. Not thread-safe: part of
// the single-threaded Scheduler.
#ifndef TASKQUEUE_ACTORS_SCHEDULER_WAITING_LANES_H_
#define TASKQUEUE_ACTORS_SCHEDULER_WAITING_LANES_H_

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

#include "actors/scheduler/queued_task.h"

namespace taskqueue::internal {

class WaitingLanes {
 public:
  // A task that has just arrived.
  void PushBack(QueuedTask task) {
    lanes_[task.priority()].push_back(std::move(task));
    ++size_;
  }

  // Tasks taken back from endpoints, oldest first: they go before every task
  // of their priority that waits here, since they were handed out first.
  void PushFrontInOrder(std::deque<QueuedTask>& tasks) {
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) {
      lanes_[it->priority()].push_front(std::move(*it));
      ++size_;
    }
    tasks.clear();
  }

  // Moves the first `n` tasks (at most size()) to the back of `out`.
  void TakeFront(size_t n, std::vector<QueuedTask>& out) {
    while (n > 0 && !lanes_.empty()) {
      auto lane = lanes_.begin();
      size_t take = std::min(n, lane->second.size());
      for (size_t i = 0; i < take; ++i) {
        out.push_back(std::move(lane->second.front()));
        lane->second.pop_front();
      }
      size_ -= take;
      n -= take;
      if (lane->second.empty()) lanes_.erase(lane);
    }
  }

  // Takes the oldest task of the lowest priority; false when empty.
  bool TakeOldestOfLowest(QueuedTask& out) {
    if (lanes_.empty()) return false;
    auto lane = std::prev(lanes_.end());
    out = std::move(lane->second.front());
    lane->second.pop_front();
    --size_;
    if (lane->second.empty()) lanes_.erase(lane);
    return true;
  }

  // Takes out every task for which `pred(task)` holds, handing each to
  // `sink(QueuedTask&&)`, in order.
  template <class Pred, class Sink>
  void RemoveIf(Pred pred, Sink sink) {
    for (auto lane = lanes_.begin(); lane != lanes_.end();) {
      std::deque<QueuedTask>& tasks = lane->second;
      std::deque<QueuedTask> kept;
      for (QueuedTask& task : tasks) {
        if (pred(task)) {
          sink(std::move(task));
          --size_;
        } else {
          kept.push_back(std::move(task));
        }
      }
      tasks.swap(kept);
      lane = tasks.empty() ? lanes_.erase(lane) : std::next(lane);
    }
  }

  // The highest priority waiting; only when !empty().
  int TopPriority() const { return lanes_.begin()->first; }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

 private:
  std::map<int, std::deque<QueuedTask>, std::greater<int>> lanes_;
  size_t size_ = 0;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_WAITING_LANES_H_
