// Scenario 3, join round trip: add one no-op task and join, timed together;
// back to back (`idle_gap` zero: the workers were busy a moment ago) or after
// an untimed idle gap (long enough for every peer's workers to stop spinning
// and sleep). What a loop that waits for each step's task pays. Reports
// join_p50_us and join_mean_us per round trip.
#ifndef TASKQUEUE_BENCH_SCENARIOS_JOIN_ROUND_TRIP_H_
#define TASKQUEUE_BENCH_SCENARIOS_JOIN_ROUND_TRIP_H_

#include <benchmark/benchmark.h>

#include <chrono>
#include <thread>

#include "bench/pool.h"
#include "bench/samples.h"
#include "bench/scenarios/warm_up.h"
#include "bench/stopwatch.h"

namespace taskqueue_bench {

struct JoinRoundTripSize {
  int back_to_back_iterations = 2000;
  int after_idle_iterations = 25;
  std::chrono::milliseconds idle_gap{10};
};

template <Pool P>
void JoinRoundTrip(benchmark::State& state, int workers,
                   std::chrono::milliseconds idle_gap) {
  P pool(workers);
  WarmUp(pool);
  Samples round_trip_us;
  round_trip_us.Reserve(static_cast<size_t>(state.max_iterations));
  for (auto _ : state) {
    if (idle_gap.count() > 0) std::this_thread::sleep_for(idle_gap);
    Clock::time_point start = Clock::now();
    pool.add_task(NoOp{});
    pool.join();
    double ns = NanosBetween(start, Clock::now());
    round_trip_us.Add(ns * 1e-3);
    state.SetIterationTime(ns * 1e-9);
  }
  state.counters["join_mean_us"] = round_trip_us.Mean();
  state.counters["join_p50_us"] = round_trip_us.Percentile(50);
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_JOIN_ROUND_TRIP_H_
