// A snapshot of a TaskQueue's counters, from `TaskQueue::stats()`.
//
// Every task is counted once in `submitted` when it is accepted, then moves
// from `queued` to `running` to exactly one of `completed` or `failed`. The
// fields are read one after another while workers go on, so a snapshot taken
// while tasks run is approximate, but it is never inconsistent: `completed +
// failed + running + queued == submitted` holds in every snapshot, and after a
// `join()` that covers every task, `completed + failed == submitted`.
#ifndef TASKQUEUE_CORE_STATS_H_
#define TASKQUEUE_CORE_STATS_H_

#include <cstdint>

namespace taskqueue {

struct Stats {
  // Tasks accepted by `add_task()` and `submit()`.
  uint64_t submitted = 0;
  // Tasks that returned normally.
  uint64_t completed = 0;
  // Tasks that threw, whether the exception went to `on_error` or to a future.
  uint64_t failed = 0;
  // Tasks accepted but not yet started.
  uint64_t queued = 0;
  // Tasks started and not yet finished.
  uint64_t running = 0;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_STATS_H_
