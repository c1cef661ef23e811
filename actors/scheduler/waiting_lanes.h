// WaitingLanes: the ready tasks the scheduler holds that no endpoint has yet,
// in the order they should start: higher priority first, FIFO within a
// priority.
//
// One deque (lane) per priority in use; a queue whose tasks all have the
// default priority uses one, as a plain FIFO would. Each lane counts its
// portable tasks (named tasks, which remote endpoints can run too), so that
// TakeFrontPortable skips lanes without any at no cost; within a lane it
// steps over the closures ahead of them, which stay in place and in order.
// Not thread-safe: part of the single-threaded Scheduler.
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

#include "absl/base/macros.h"
#include "actors/scheduler/queued_task.h"

namespace taskqueue::internal {

class WaitingLanes {
 public:
  // A task that has just arrived.
  void PushBack(QueuedTask task) {
    Lane& lane = lanes_[task.priority()];
    lane.portable += task.portable();
    lane.tasks.push_back(std::move(task));
    ++size_;
  }

  // Tasks taken back from endpoints, oldest first: they go before every task
  // of their priority that waits here, since they were handed out first.
  void PushFrontInOrder(std::deque<QueuedTask>& tasks) {
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) {
      Lane& lane = lanes_[it->priority()];
      lane.portable += it->portable();
      lane.tasks.push_front(std::move(*it));
      ++size_;
    }
    tasks.clear();
  }

  // Moves the first `n` tasks (at most size()) to the back of `out`.
  void TakeFront(size_t n, std::vector<QueuedTask>& out) {
    while (n > 0 && !lanes_.empty()) {
      auto lane = lanes_.begin();
      Lane& l = lane->second;
      size_t take = std::min(n, l.tasks.size());
      for (size_t i = 0; i < take; ++i) {
        l.portable -= l.tasks.front().portable();
        out.push_back(std::move(l.tasks.front()));
        l.tasks.pop_front();
      }
      size_ -= take;
      n -= take;
      if (l.tasks.empty()) lanes_.erase(lane);
    }
  }

  // Like TakeFront, but only portable tasks: the first `n` (at most
  // portable()) in the order they would start.
  void TakeFrontPortable(size_t n, std::vector<QueuedTask>& out) {
    for (auto lane = lanes_.begin(); n > 0 && lane != lanes_.end();) {
      Lane& l = lane->second;
      if (l.portable == 0) {
        ++lane;
        continue;
      }
      // Closures stepped over move down over the gaps the taken tasks leave.
      size_t kept = 0;
      size_t i = 0;
      for (; i < l.tasks.size() && n > 0 && l.portable > 0; ++i) {
        if (l.tasks[i].portable()) {
          out.push_back(std::move(l.tasks[i]));
          --l.portable;
          --n;
          --size_;
        } else {
          if (kept != i) l.tasks[kept] = std::move(l.tasks[i]);
          ++kept;
        }
      }
      // [kept, i) are moved-from: shift them out, closing the gap.
      l.tasks.erase(l.tasks.begin() + kept, l.tasks.begin() + i);
      lane = l.tasks.empty() ? lanes_.erase(lane) : std::next(lane);
    }
  }

  // Takes the oldest task of the lowest priority; false when empty.
  bool TakeOldestOfLowest(QueuedTask& out) {
    if (lanes_.empty()) return false;
    auto lane = std::prev(lanes_.end());
    Lane& l = lane->second;
    l.portable -= l.tasks.front().portable();
    out = std::move(l.tasks.front());
    l.tasks.pop_front();
    --size_;
    if (l.tasks.empty()) lanes_.erase(lane);
    return true;
  }

  // Takes out every task for which `pred(task)` holds, handing each to
  // `sink(QueuedTask&&)`, in order.
  template <class Pred, class Sink>
  void RemoveIf(Pred pred, Sink sink) {
    for (auto lane = lanes_.begin(); lane != lanes_.end();) {
      Lane& l = lane->second;
      std::deque<QueuedTask> kept;
      for (QueuedTask& task : l.tasks) {
        if (pred(task)) {
          l.portable -= task.portable();
          sink(std::move(task));
          --size_;
        } else {
          kept.push_back(std::move(task));
        }
      }
      l.tasks.swap(kept);
      lane = l.tasks.empty() ? lanes_.erase(lane) : std::next(lane);
    }
  }

  // The highest priority waiting; only when !empty().
  int TopPriority() const { return lanes_.begin()->first; }
  // The highest priority of a portable task waiting; only when portable().
  int TopPortablePriority() const {
    for (const auto& [priority, lane] : lanes_) {
      if (lane.portable > 0) return priority;
    }
    ABSL_HARDENING_ASSERT(false && "no portable task waits");
    return 0;
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // How many of them are portable.
  size_t portable() const {
    size_t n = 0;
    for (const auto& [priority, lane] : lanes_) n += lane.portable;
    return n;
  }

 private:
  struct Lane {
    std::deque<QueuedTask> tasks;
    size_t portable = 0;  // Of `tasks`.
  };

  std::map<int, Lane, std::greater<int>> lanes_;
  size_t size_ = 0;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_WAITING_LANES_H_
