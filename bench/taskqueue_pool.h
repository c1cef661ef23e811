// TaskQueuePool: taskqueue::TaskQueue itself behind the benchmarks' Pool
// interface (pool.h). Nothing added: the scenarios measure the public API.
#ifndef TASKQUEUE_BENCH_TASKQUEUE_POOL_H_
#define TASKQUEUE_BENCH_TASKQUEUE_POOL_H_

#include <string_view>
#include <utility>

#include "taskqueue/taskqueue.h"

namespace taskqueue_bench {

class TaskQueuePool {
 public:
  static constexpr std::string_view kName = "taskqueue";
  // CAF hands messages over inside uninstrumented libcaf_core.so; taskqueue
  // tells TSan about it (actors/message_handoff.h), so it runs clean.
  static constexpr bool kTsanClean = true;

  explicit TaskQueuePool(int num_workers) : queue_(num_workers) {}

  template <class F>
  void add_task(F&& f) {
    queue_.add_task(std::forward<F>(f));
  }

  void join() { queue_.join(); }

 private:
  taskqueue::TaskQueue queue_;
};

// Scenario 7 of the benchmarks issue: the same queue, every task added with
// default TaskOptions, i.e. the task-control options switched off rather
// than absent. The difference is what a task with a control block costs
// (a TaskHandle, an allocation, the atomic state its worker moves).
class TaskQueueOptionsOffPool {
 public:
  static constexpr std::string_view kName = "taskqueue_options_off";
  static constexpr bool kTsanClean = true;

  explicit TaskQueueOptionsOffPool(int num_workers)
      : queue_(taskqueue::QueueOptions{.num_workers = num_workers}) {}

  template <class F>
  void add_task(F&& f) {
    queue_.add_task(taskqueue::TaskOptions(), std::forward<F>(f));
  }

  void join() { queue_.join(); }

 private:
  taskqueue::TaskQueue queue_;
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_TASKQUEUE_POOL_H_
