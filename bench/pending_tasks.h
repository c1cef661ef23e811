// PendingTasks: the join of the peers that have none of their own
// (Boost.Asio's thread_pool can only join by stopping, CAF's actor_pool and a
// bare moodycamel queue have no join at all): a count of added, unfinished
// tasks and a wait for it to reach zero.
//
// It is what a C++ user would write by hand, and the same for those peers,
// so their differences in the results come from their queues, not from
// their joins. The wait is C++20's atomic wait: it spins briefly, then
// sleeps on a futex; notify_all costs no system call while no one waits.
//
// Thread-safe. Like the naive queue's join, AwaitZero waits for tasks added
// meanwhile too; the benchmarks never add while joining.
#ifndef TASKQUEUE_BENCH_PENDING_TASKS_H_
#define TASKQUEUE_BENCH_PENDING_TASKS_H_

#include <atomic>
#include <cstdint>

namespace taskqueue_bench {

class PendingTasks {
 public:
  // Before handing a task over, so the count never dips to zero early.
  void Add() { count_.fetch_add(1, std::memory_order_relaxed); }

  // After the task has run.
  void Done() {
    if (count_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      count_.notify_all();
    }
  }

  // Blocks until every added task is done.
  void AwaitZero() const {
    for (int64_t n = count_.load(std::memory_order_acquire); n != 0;
         n = count_.load(std::memory_order_acquire)) {
      count_.wait(n, std::memory_order_acquire);
    }
  }

 private:
  // A cache line of its own (alignas pads the class to 64 bytes): producers
  // and workers hit it on every task, so it should not also bounce the
  // peer's other fields around.
  alignas(64) std::atomic<int64_t> count_{0};
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_PENDING_TASKS_H_
