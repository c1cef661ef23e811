// Scenario 4a, blocking work: `tasks` tasks that each sleep `sleep`, on
// `workers` workers (200 x 1 ms on 5), added at once, then join. The queue's
// job here is only to keep every worker busy: the ideal is
// ceil(tasks / workers) sleeps back to back (40 ms). Reports ms per run and
// vs_ideal, their ratio.
#ifndef TASKQUEUE_BENCH_SCENARIOS_BLOCKING_H_
#define TASKQUEUE_BENCH_SCENARIOS_BLOCKING_H_

#include <benchmark/benchmark.h>

#include <chrono>
#include <thread>

#include "bench/pool.h"
#include "bench/scenarios/warm_up.h"
#include "bench/stopwatch.h"

namespace taskqueue_bench {

struct BlockingSize {
  int workers = 5;
  int tasks = 200;
  std::chrono::microseconds sleep{1000};
  int iterations = 3;
};

template <Pool P>
void Blocking(benchmark::State& state, const BlockingSize& size) {
  P pool(size.workers);
  WarmUp(pool);
  double total_ns = 0;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    for (int i = 0; i < size.tasks; ++i) {
      pool.add_task(
          [sleep = size.sleep] { std::this_thread::sleep_for(sleep); });
    }
    pool.join();
    double ns = NanosBetween(start, Clock::now());
    total_ns += ns;
    state.SetIterationTime(ns * 1e-9);
  }
  double ms = total_ns * 1e-6 / static_cast<double>(state.iterations());
  int rounds = (size.tasks + size.workers - 1) / size.workers;
  double ideal_ms =
      rounds * std::chrono::duration<double, std::milli>(size.sleep).count();
  state.counters["ms"] = ms;
  state.counters["ideal_ms"] = ideal_ms;
  state.counters["vs_ideal"] = ms / ideal_ms;
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_BLOCKING_H_
