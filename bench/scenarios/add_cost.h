// Scenario 2, the caller's cost of add_task while the workers drain: what the
// hot loop pays per task. Adds `tasks` no-op tasks in batches of `batch`,
// timing each batch (one clock read per batch keeps the clock's own ~20 ns
// out of the per-task figure), with the workers running meanwhile; the join
// after is not timed. Reports add_mean_ns, add_p50_ns and add_p99_ns: the
// per-task cost within a batch, over all batches.
#ifndef TASKQUEUE_BENCH_SCENARIOS_ADD_COST_H_
#define TASKQUEUE_BENCH_SCENARIOS_ADD_COST_H_

#include <benchmark/benchmark.h>

#include "bench/pool.h"
#include "bench/samples.h"
#include "bench/scenarios/warm_up.h"
#include "bench/stopwatch.h"

namespace taskqueue_bench {

struct AddCostSize {
  int tasks = 100'000;
  // Small enough that one stall (a wake-up system call, a page fault, a
  // preemption) shows in that batch's figure rather than averaging away.
  int batch = 32;
  int iterations = 3;
};

template <Pool P>
void AddCost(benchmark::State& state, int workers, const AddCostSize& size) {
  P pool(workers);
  WarmUp(pool);
  Samples per_task_ns;
  per_task_ns.Reserve(static_cast<size_t>(state.max_iterations) *
                      (size.tasks / size.batch + 1));
  for (auto _ : state) {
    double timed_ns = 0;
    for (int added = 0; added < size.tasks; added += size.batch) {
      Clock::time_point start = Clock::now();
      for (int i = 0; i < size.batch; ++i) pool.add_task(NoOp{});
      double ns = NanosBetween(start, Clock::now());
      timed_ns += ns;
      per_task_ns.Add(ns / size.batch);
    }
    pool.join();
    state.SetIterationTime(timed_ns * 1e-9);
  }
  state.counters["add_mean_ns"] = per_task_ns.Mean();
  state.counters["add_p50_ns"] = per_task_ns.Percentile(50);
  state.counters["add_p99_ns"] = per_task_ns.Percentile(99);
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_ADD_COST_H_
