// Scenario 6, memory: bytes of resident memory per queued task, with `tasks`
// no-op tasks waiting.
//
// Each measurement runs in a fresh process (this binary, started again with
// --memory_probe, see run_self.h): a process that has run other scenarios
// holds memory in allocator caches that would absorb the tasks unseen. There
// MeasureQueuedMemory parks every worker in a blocking task, so nothing runs;
// adds the tasks; and reads the RSS (resident_memory.h) right after the last
// add (bytes_per_task_at_add) and again once the pool's own threads have had
// `settle` to move the tasks wherever they keep them (bytes_per_task, the
// figure the table uses). Both are deltas from just before the adds, per
// task. The results table also puts them against the naive queue, which
// holds one std::function (32 bytes) per task in a std::deque.
//
// blocked_workers reports how many workers were parked (it should equal the
// worker count; if a pool never handed a parking task to some worker, that
// worker ran tasks during the measurement and the figure is low).
#ifndef TASKQUEUE_BENCH_SCENARIOS_MEMORY_H_
#define TASKQUEUE_BENCH_SCENARIOS_MEMORY_H_

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "bench/pool.h"
#include "bench/resident_memory.h"
#include "bench/run_self.h"
#include "bench/scenarios/warm_up.h"
#include "bench/stopwatch.h"

namespace taskqueue_bench {

struct MemorySize {
  int tasks = 1'000'000;
  std::chrono::milliseconds settle{100};
  int iterations = 1;
};

// What one probe measured.
struct MemoryFigures {
  int64_t delta_at_add = 0;
  int64_t delta_settled = 0;
  int parked = 0;
  double add_ns = 0;
};

// The flag that makes pool_bench run MeasureQueuedMemory and exit.
inline constexpr char kMemoryProbeFlag[] = "--memory_probe";

// Runs in the probe process.
template <Pool P>
MemoryFigures MeasureQueuedMemory(int workers, int tasks,
                                  std::chrono::milliseconds settle) {
  MemoryFigures figures;
  P pool(workers);
  WarmUp(pool);
  std::atomic<int> parked{0};
  std::atomic<bool> release{false};
  for (int w = 0; w < workers; ++w) {
    pool.add_task([&] {
      parked.fetch_add(1, std::memory_order_acq_rel);
      release.wait(false, std::memory_order_acquire);
    });
  }
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(5);
  while (parked.load(std::memory_order_acquire) < workers &&
         Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  figures.parked = parked.load(std::memory_order_acquire);

  ReleaseFreeMemory();
  int64_t before = ResidentBytes();
  Clock::time_point start = Clock::now();
  for (int i = 0; i < tasks; ++i) pool.add_task(NoOp{});
  figures.add_ns = NanosBetween(start, Clock::now());
  figures.delta_at_add = ResidentBytes() - before;
  std::this_thread::sleep_for(settle);
  figures.delta_settled = ResidentBytes() - before;

  release.store(true, std::memory_order_release);
  release.notify_all();
  pool.join();
  return figures;
}

inline std::string FormatMemoryFigures(const MemoryFigures& f) {
  char line[160];
  std::snprintf(line, sizeof(line), "%" PRId64 " %" PRId64 " %d %.0f\n",
                f.delta_at_add, f.delta_settled, f.parked, f.add_ns);
  return line;
}

inline bool ParseMemoryFigures(const std::string& text, MemoryFigures* f) {
  return std::sscanf(text.c_str(), "%" SCNd64 " %" SCNd64 " %d %lf",
                     &f->delta_at_add, &f->delta_settled, &f->parked,
                     &f->add_ns) == 4;
}

template <Pool P>
void Memory(benchmark::State& state, int workers, const MemorySize& size) {
  MemoryFigures total;
  int parked_min = workers;
  for (auto _ : state) {
    std::vector<std::string> args = {
        kMemoryProbeFlag, std::string(P::kName), std::to_string(workers),
        std::to_string(size.tasks), std::to_string(size.settle.count())};
    std::string output;
    MemoryFigures figures;
    if (!RunSelf(args, &output) || !ParseMemoryFigures(output, &figures)) {
      state.SkipWithError(("memory probe failed: " + output).c_str());
      return;
    }
    total.delta_at_add += figures.delta_at_add;
    total.delta_settled += figures.delta_settled;
    parked_min = std::min(parked_min, figures.parked);
    state.SetIterationTime(figures.add_ns * 1e-9);
  }
  double tasks = static_cast<double>(state.iterations()) * size.tasks;
  state.counters["bytes_per_task"] =
      static_cast<double>(total.delta_settled) / tasks;
  state.counters["bytes_per_task_at_add"] =
      static_cast<double>(total.delta_at_add) / tasks;
  state.counters["blocked_workers"] = parked_min;
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_MEMORY_H_
