// AsioPool: boost::asio::thread_pool, the pool a C++ user most often reaches
// for. post() hands the task to the pool's scheduler, whose N threads run
// it. thread_pool::join() waits by stopping the pool for good, so joining
// while the pool lives goes through PendingTasks.
#ifndef TASKQUEUE_BENCH_ASIO_POOL_H_
#define TASKQUEUE_BENCH_ASIO_POOL_H_

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <string_view>
#include <utility>

#include "bench/pending_tasks.h"

namespace taskqueue_bench {

class AsioPool {
 public:
  static constexpr std::string_view kName = "asio";
  // Header-only, so instrumented; its scheduler locks pthread mutexes.
  static constexpr bool kTsanClean = true;

  explicit AsioPool(int num_workers) : pool_(num_workers) {}

  // thread_pool's destructor abandons queued work: wait for it first.
  ~AsioPool() {
    join();
    pool_.join();
  }

  AsioPool(const AsioPool&) = delete;
  AsioPool& operator=(const AsioPool&) = delete;

  template <class F>
  void add_task(F&& f) {
    pending_.Add();
    boost::asio::post(pool_, [this, f = std::forward<F>(f)]() mutable {
      f();
      pending_.Done();
    });
  }

  void join() { pending_.AwaitZero(); }

 private:
  PendingTasks pending_;
  // Declared last, destroyed first: no thread of it outlives pending_.
  boost::asio::thread_pool pool_;
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_ASIO_POOL_H_
