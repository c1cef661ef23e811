// CheckPool<P>: before any number is taken, shows that P does what the
// benchmarks assume, so a broken peer cannot post a flattering figure: every
// added task runs, and join() returns only after the tasks added before it,
// a slow one included, have finished. Returns false, having printed why, if
// not.
#ifndef TASKQUEUE_BENCH_CHECK_POOL_H_
#define TASKQUEUE_BENCH_CHECK_POOL_H_

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "bench/pool.h"

namespace taskqueue_bench {

template <Pool P>
bool CheckPool(int workers) {
  constexpr int kTasks = 1000;
  std::atomic<int> ran{0};
  std::atomic<bool> slow_done{false};
  {
    P pool(workers);
    for (int round = 0; round < 2; ++round) {
      ran.store(0);
      for (int i = 0; i < kTasks; ++i) {
        pool.add_task([&ran] { ran.fetch_add(1, std::memory_order_relaxed); });
      }
      pool.add_task([&slow_done] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        slow_done.store(true, std::memory_order_release);
      });
      pool.join();
      if (ran.load() != kTasks || !slow_done.load(std::memory_order_acquire)) {
        std::fprintf(stderr,
                     "pool_bench: %s with %d workers: join returned with "
                     "%d of %d tasks run, slow task %s\n",
                     std::string(P::kName).c_str(), workers, ran.load(), kTasks,
                     slow_done.load() ? "done" : "not done");
        return false;
      }
      slow_done.store(false);
    }
  }
  return true;
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_CHECK_POOL_H_
