// Scenario 5, many producers: `producers` threads add `tasks` no-op tasks
// between them, all at once, then the pool is joined. Reports ns_per_task,
// like the throughput scenario, with the producers contending for the queue.
// The producer threads start (untimed) before the clock does and are
// released together.
#ifndef TASKQUEUE_BENCH_SCENARIOS_MANY_PRODUCERS_H_
#define TASKQUEUE_BENCH_SCENARIOS_MANY_PRODUCERS_H_

#include <benchmark/benchmark.h>

#include <cstdint>
#include <latch>
#include <thread>
#include <vector>

#include "bench/pool.h"
#include "bench/scenarios/warm_up.h"
#include "bench/stopwatch.h"

namespace taskqueue_bench {

struct ManyProducersSize {
  int producers = 4;
  int tasks = 100'000;
  int iterations = 5;
};

template <Pool P>
void ManyProducers(benchmark::State& state, int workers,
                   const ManyProducersSize& size) {
  P pool(workers);
  WarmUp(pool);
  const int per_producer = size.tasks / size.producers;
  double total_ns = 0;
  for (auto _ : state) {
    std::latch ready(size.producers);
    std::latch go(1);
    std::vector<std::thread> producers;
    for (int p = 0; p < size.producers; ++p) {
      producers.emplace_back([&] {
        ready.count_down();
        go.wait();
        for (int i = 0; i < per_producer; ++i) pool.add_task(NoOp{});
      });
    }
    ready.wait();
    Clock::time_point start = Clock::now();
    go.count_down();
    for (auto& producer : producers) producer.join();
    pool.join();
    double ns = NanosBetween(start, Clock::now());
    total_ns += ns;
    state.SetIterationTime(ns * 1e-9);
  }
  int64_t tasks = state.iterations() * per_producer * size.producers;
  state.SetItemsProcessed(tasks);
  state.counters["ns_per_task"] = total_ns / static_cast<double>(tasks);
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_MANY_PRODUCERS_H_
