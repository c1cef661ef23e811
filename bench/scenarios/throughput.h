// Scenario 1, throughput: add `tasks` no-op tasks as fast as possible, then
// join. Reports ns_per_task: the wall time of adding and running them all,
// per task. The queue's whole cost per task, producer and workers together.
#ifndef TASKQUEUE_BENCH_SCENARIOS_THROUGHPUT_H_
#define TASKQUEUE_BENCH_SCENARIOS_THROUGHPUT_H_

#include <benchmark/benchmark.h>

#include <cstdint>

#include "bench/pool.h"
#include "bench/scenarios/warm_up.h"
#include "bench/stopwatch.h"

namespace taskqueue_bench {

struct ThroughputSize {
  int tasks = 100'000;
  int iterations = 5;
};

template <Pool P>
void Throughput(benchmark::State& state, int workers,
                const ThroughputSize& size) {
  P pool(workers);
  WarmUp(pool);
  double total_ns = 0;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    for (int i = 0; i < size.tasks; ++i) pool.add_task(NoOp{});
    pool.join();
    double ns = NanosBetween(start, Clock::now());
    total_ns += ns;
    state.SetIterationTime(ns * 1e-9);
  }
  int64_t tasks = state.iterations() * size.tasks;
  state.SetItemsProcessed(tasks);
  state.counters["ns_per_task"] = total_ns / static_cast<double>(tasks);
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_THROUGHPUT_H_
