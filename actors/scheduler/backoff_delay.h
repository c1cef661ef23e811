// BackoffDelay: how long a retry waits (TaskOptions::backoff). A pure
// function.
#ifndef TASKQUEUE_ACTORS_SCHEDULER_BACKOFF_DELAY_H_
#define TASKQUEUE_ACTORS_SCHEDULER_BACKOFF_DELAY_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "taskqueue/task_options.h"

namespace taskqueue::internal {

// The wait before the retry after `failed_attempts` (>= 1) failures:
//   min(max_delay, initial_delay * multiplier^(failed_attempts - 1))
//   * (1 - jitter * u),  u uniform in [0, 1).
// Computed in double and converted back only below the largest duration, so
// huge delays saturate instead of overflowing.
inline std::chrono::steady_clock::duration BackoffDelay(
    const Backoff& backoff, int failed_attempts, std::minstd_rand& random) {
  using Duration = std::chrono::steady_clock::duration;
  double scale = std::pow(backoff.multiplier, failed_attempts - 1);
  double nanos =
      std::min(static_cast<double>(backoff.max_delay.count()),
               static_cast<double>(backoff.initial_delay.count()) * scale);
  double u = std::uniform_real_distribution<double>(0, 1)(random);
  nanos *= 1 - backoff.jitter * u;
  // Duration::max() as a double rounds up to 2^63, which does not convert.
  if (!(nanos < static_cast<double>(Duration::max().count()))) {
    return Duration::max();
  }
  return Duration(static_cast<Duration::rep>(std::max(0.0, nanos)));
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_BACKOFF_DELAY_H_
