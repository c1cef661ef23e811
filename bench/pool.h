// The tiny interface every pool in the benchmarks offers, taskqueue and its
// peers alike: start N workers, add a task, join.
//
//   P pool(num_workers);   // starts the workers
//   pool.add_task(f);      // returns at once; a worker runs f()
//   pool.join();           // blocks until every task added so far has run
//   // ~P(): waits for every added task, then stops the workers
//
// A concept, not an abstract class: the scenarios are templates, so each
// peer's add_task is called directly and can inline. A virtual call per task
// would cost every peer the same few nanoseconds, but at 50-150 ns per task
// that is a distortion the ratios would carry.
//
// Thread-safety: add_task may be called from several threads at once (the
// many-producers scenario does); join from one thread at a time.
#ifndef TASKQUEUE_BENCH_POOL_H_
#define TASKQUEUE_BENCH_POOL_H_

#include <concepts>
#include <string_view>

namespace taskqueue_bench {

// The task of the throughput, caller-cost, join and memory scenarios. An
// empty class, so every peer stores it without a heap allocation of its own.
struct NoOp {
  void operator()() const {}
};

template <class P>
concept Pool = std::constructible_from<P, int> && requires(P& pool) {
  // Short, stable: the benchmark names and the results table use it.
  { P::kName } -> std::convertible_to<std::string_view>;
  // False when ThreadSanitizer cannot see the peer's synchronization (an
  // uninstrumented library hands tasks between threads): TSan builds then
  // leave the peer out instead of reporting races that are not there.
  { P::kTsanClean } -> std::convertible_to<bool>;
  pool.add_task(NoOp{});
  pool.join();
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_POOL_H_
