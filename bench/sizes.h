// How big each scenario runs: the full suite (the sizes), or a smoke
// run that only shows the binary still builds and every peer still runs
// every scenario, in a few seconds (CI; `pool_bench --smoke`).
#ifndef TASKQUEUE_BENCH_SIZES_H_
#define TASKQUEUE_BENCH_SIZES_H_

#include <chrono>

#include "bench/scenarios/add_cost.h"
#include "bench/scenarios/blocking.h"
#include "bench/scenarios/idle_cpu.h"
#include "bench/scenarios/join_round_trip.h"
#include "bench/scenarios/long_then_short.h"
#include "bench/scenarios/many_producers.h"
#include "bench/scenarios/memory.h"
#include "bench/scenarios/throughput.h"

namespace taskqueue_bench {

struct Sizes {
  ThroughputSize throughput;
  AddCostSize add_cost;
  JoinRoundTripSize join_round_trip;
  BlockingSize blocking;
  LongThenShortSize long_then_short;
  ManyProducersSize many_producers;
  MemorySize memory;
  IdleCpuSize idle_cpu;

  static Sizes Full() { return Sizes(); }

  static Sizes Smoke() {
    using std::chrono::microseconds;
    using std::chrono::milliseconds;
    Sizes s;
    s.throughput = {.tasks = 2000, .iterations = 1};
    s.add_cost = {.tasks = 2000, .batch = 32, .iterations = 1};
    s.join_round_trip = {.back_to_back_iterations = 20,
                         .after_idle_iterations = 2,
                         .idle_gap = milliseconds(1)};
    s.blocking = {.workers = 5,
                  .tasks = 20,
                  .sleep = microseconds(1000),
                  .iterations = 1};
    s.long_then_short = {.workers = 2,
                         .long_task = milliseconds(30),
                         .short_tasks = 20,
                         .short_task = microseconds(100),
                         .iterations = 1};
    s.many_producers = {.producers = 4, .tasks = 2000, .iterations = 1};
    s.memory = {.tasks = 10'000, .settle = milliseconds(1), .iterations = 1};
    s.idle_cpu = {.window = milliseconds(20), .iterations = 1};
    return s;
  }
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SIZES_H_
