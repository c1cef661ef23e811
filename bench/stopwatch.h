// The benchmarks' clock. Scenarios time what they mean to measure themselves
// (Google Benchmark's manual time), so that a pool's start, warm-up and
// teardown, and any idle gap, stay out of the numbers.
#ifndef TASKQUEUE_BENCH_STOPWATCH_H_
#define TASKQUEUE_BENCH_STOPWATCH_H_

#include <chrono>
#include <cstdint>

namespace taskqueue_bench {

using Clock = std::chrono::steady_clock;

inline double NanosBetween(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double, std::nano>(end - start).count();
}

// For timestamps stored in a std::atomic<int64_t> by a task.
inline int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             Clock::now().time_since_epoch())
      .count();
}

inline Clock::time_point FromNanos(int64_t nanos) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(
      std::chrono::nanoseconds(nanos)));
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_STOPWATCH_H_
