// Scenario 8, idle CPU: what a pool burns while it has nothing to do. After a
// burst of tasks and a join (so that any spin-then-sleep phase starts from
// busy), the pool sits idle for `window`; the process's CPU time over the
// window, as a percentage of one core, is the result (idle_cpu_percent). A
// pool that spins for ever shows ~100 per spinning thread; one that sleeps,
// ~0. The benchmark's own thread sleeps throughout.
#ifndef TASKQUEUE_BENCH_SCENARIOS_IDLE_CPU_H_
#define TASKQUEUE_BENCH_SCENARIOS_IDLE_CPU_H_

#include <benchmark/benchmark.h>
#include <time.h>

#include <chrono>
#include <thread>

#include "bench/pool.h"
#include "bench/scenarios/warm_up.h"

namespace taskqueue_bench {

struct IdleCpuSize {
  std::chrono::milliseconds window{500};
  int iterations = 3;
};

// CPU time used so far by every thread of this process, in seconds.
inline double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

template <Pool P>
void IdleCpu(benchmark::State& state, int workers, IdleCpuSize size) {
  P pool(workers);
  double busy_seconds = 0;
  double window_seconds = 0;
  for (auto _ : state) {
    WarmUp(pool);
    double cpu_before = ProcessCpuSeconds();
    auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(size.window);
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    double busy = ProcessCpuSeconds() - cpu_before;
    busy_seconds += busy;
    window_seconds += wall;
    state.SetIterationTime(busy);
  }
  state.counters["idle_cpu_percent"] =
      window_seconds > 0 ? 100 * busy_seconds / window_seconds : 0;
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_IDLE_CPU_H_
