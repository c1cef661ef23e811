// RegisterScenarios<P>: registers every scenario for peer P with Google
// Benchmark, at each worker count of the sweep, named
//
//   <scenario>/<peer>/workers:<N>
//
// (Google Benchmark appends /iterations:<k>/manual_time). tools/bench_table.py
// reads these names; keep them in step.
//
// Scenario 7, the task-control options switched off versus absent, is the
// throughput scenario registered as `task_options` for taskqueue and
// TaskQueueOptionsOffPool only (RegisterTaskOptionsScenario).
#ifndef TASKQUEUE_BENCH_REGISTER_SCENARIOS_H_
#define TASKQUEUE_BENCH_REGISTER_SCENARIOS_H_

#include <benchmark/benchmark.h>

#include <string>

#include "bench/pool.h"
#include "bench/sizes.h"

namespace taskqueue_bench {

inline constexpr int kWorkerCounts[] = {1, 2, 4};

template <Pool P>
void RegisterScenarios(const Sizes& sizes) {
  const std::string peer(P::kName);
  auto name = [&peer](const char* scenario, int workers) {
    return std::string(scenario) + "/" + peer +
           "/workers:" + std::to_string(workers);
  };
  for (int n : kWorkerCounts) {
    benchmark::RegisterBenchmark(
        name("throughput", n).c_str(),
        [n, size = sizes.throughput](benchmark::State& state) {
          Throughput<P>(state, n, size);
        })
        ->Iterations(sizes.throughput.iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(
        name("add_cost", n).c_str(),
        [n, size = sizes.add_cost](benchmark::State& state) {
          AddCost<P>(state, n, size);
        })
        ->Iterations(sizes.add_cost.iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(name("join_back_to_back", n).c_str(),
                                 [n](benchmark::State& state) {
                                   JoinRoundTrip<P>(
                                       state, n, std::chrono::milliseconds(0));
                                 })
        ->Iterations(sizes.join_round_trip.back_to_back_iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(
        name("join_after_idle", n).c_str(),
        [n, gap = sizes.join_round_trip.idle_gap](benchmark::State& state) {
          JoinRoundTrip<P>(state, n, gap);
        })
        ->Iterations(sizes.join_round_trip.after_idle_iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(
        name("many_producers", n).c_str(),
        [n, size = sizes.many_producers](benchmark::State& state) {
          ManyProducers<P>(state, n, size);
        })
        ->Iterations(sizes.many_producers.iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(
        name("memory", n).c_str(),
        [n, size = sizes.memory](benchmark::State& state) {
          Memory<P>(state, n, size);
        })
        ->Iterations(sizes.memory.iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(
        name("idle_cpu", n).c_str(),
        [n, size = sizes.idle_cpu](benchmark::State& state) {
          IdleCpu<P>(state, n, size);
        })
        ->Iterations(sizes.idle_cpu.iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
  // These two fix their worker counts: the scenarios are defined by them.
  benchmark::RegisterBenchmark(
      name("blocking", sizes.blocking.workers).c_str(),
      [size = sizes.blocking](benchmark::State& state) {
        Blocking<P>(state, size);
      })
      ->Iterations(sizes.blocking.iterations)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(
      name("long_then_short", sizes.long_then_short.workers).c_str(),
      [size = sizes.long_then_short](benchmark::State& state) {
        LongThenShort<P>(state, size);
      })
      ->Iterations(sizes.long_then_short.iterations)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
}

// Scenario 7: throughput, named task_options/<peer>/workers:<N>.
template <Pool P>
void RegisterTaskOptionsScenario(const Sizes& sizes) {
  for (int n : kWorkerCounts) {
    benchmark::RegisterBenchmark(
        ("task_options/" + std::string(P::kName) +
         "/workers:" + std::to_string(n))
            .c_str(),
        [n, size = sizes.throughput](benchmark::State& state) {
          Throughput<P>(state, n, size);
        })
        ->Iterations(sizes.throughput.iterations)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_REGISTER_SCENARIOS_H_
