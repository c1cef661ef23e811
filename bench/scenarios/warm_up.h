// WarmUp: run a few tasks through a fresh pool before timing it, so that no
// scenario times thread start-up, first-touch page faults or allocator
// caches filling.
#ifndef TASKQUEUE_BENCH_SCENARIOS_WARM_UP_H_
#define TASKQUEUE_BENCH_SCENARIOS_WARM_UP_H_

#include "bench/pool.h"

namespace taskqueue_bench {

template <Pool P>
void WarmUp(P& pool, int tasks = 1000) {
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < tasks; ++i) pool.add_task(NoOp{});
    pool.join();
  }
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_WARM_UP_H_
