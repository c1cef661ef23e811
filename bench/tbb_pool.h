// TbbPool: a oneTBB task_group whose tasks run in a task_arena of N worker
// threads.
//
// Set up so that exactly N threads run tasks, like every other peer:
//   * global_control raises TBB's process-wide thread limit to N + 1 (by
//     default it is the core count, which would cap N at 2 here);
//   * the arena has N slots, none reserved for outside threads;
//   * add_task enqueues the task into the arena from outside
//     (task_arena::enqueue of task_group::defer), so the caller never runs
//     tasks itself;
//   * join waits on the task_group from outside the arena: it sleeps until
//     the group's tasks are done instead of helping to run them, which
//     `arena.execute([&] { group.wait(); })` would do (one more worker than
//     the others get, and the caller's time spent on tasks).
//
// One TbbPool at a time: global_control is process-wide.
#ifndef TASKQUEUE_BENCH_TBB_POOL_H_
#define TASKQUEUE_BENCH_TBB_POOL_H_

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <string_view>
#include <utility>

namespace taskqueue_bench {

class TbbPool {
 public:
  static constexpr std::string_view kName = "tbb";
  // libtbb is uninstrumented: TSan cannot see how it hands a task over.
  static constexpr bool kTsanClean = false;

  explicit TbbPool(int num_workers)
      : threads_(oneapi::tbb::global_control::max_allowed_parallelism,
                 num_workers + 1),
        arena_(num_workers, /*reserved_for_masters=*/0) {
    arena_.initialize();
  }

  // task_group's destructor may throw (when not waited for); this one has
  // waited, so it does not.
  ~TbbPool() noexcept { join(); }

  TbbPool(const TbbPool&) = delete;
  TbbPool& operator=(const TbbPool&) = delete;

  template <class F>
  void add_task(F&& f) {
    arena_.enqueue(group_.defer(std::forward<F>(f)));
  }

  void join() { group_.wait(); }

 private:
  oneapi::tbb::global_control threads_;
  oneapi::tbb::task_arena arena_;
  oneapi::tbb::task_group group_;
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_TBB_POOL_H_
