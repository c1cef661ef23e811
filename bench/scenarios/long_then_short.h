// Scenario 4b, long then short: on 2 workers, one long task (1.5 s) and then
// `short_tasks` short ones (1,000 x 100 us). A queue that lets the short
// tasks flow past the long one finishes them on the free worker in about
// short_tasks x short (0.1 s plus sleep overshoot); one that parks some
// behind the long task takes longer than the long task itself. Reports ms:
// from the first add until the last short task has finished. (The join after
// waits for the long task too; that part is not timed.)
#ifndef TASKQUEUE_BENCH_SCENARIOS_LONG_THEN_SHORT_H_
#define TASKQUEUE_BENCH_SCENARIOS_LONG_THEN_SHORT_H_

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "bench/pool.h"
#include "bench/scenarios/warm_up.h"
#include "bench/stopwatch.h"

namespace taskqueue_bench {

struct LongThenShortSize {
  int workers = 2;
  std::chrono::milliseconds long_task{1500};
  int short_tasks = 1000;
  std::chrono::microseconds short_task{100};
  int iterations = 1;
};

template <Pool P>
void LongThenShort(benchmark::State& state, const LongThenShortSize& size) {
  P pool(size.workers);
  WarmUp(pool);
  double total_ns = 0;
  for (auto _ : state) {
    std::atomic<int> short_left{size.short_tasks};
    std::atomic<int64_t> short_done_at{0};
    Clock::time_point start = Clock::now();
    pool.add_task([&] { std::this_thread::sleep_for(size.long_task); });
    for (int i = 0; i < size.short_tasks; ++i) {
      pool.add_task([&] {
        std::this_thread::sleep_for(size.short_task);
        if (short_left.fetch_sub(1, std::memory_order_acq_rel) == 1) {
          short_done_at.store(NowNanos(), std::memory_order_release);
        }
      });
    }
    pool.join();
    double ns = NanosBetween(
        start, FromNanos(short_done_at.load(std::memory_order_acquire)));
    total_ns += ns;
    state.SetIterationTime(ns * 1e-9);
  }
  state.counters["ms"] =
      total_ns * 1e-6 / static_cast<double>(state.iterations());
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SCENARIOS_LONG_THEN_SHORT_H_
