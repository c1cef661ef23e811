// A snapshot of a TaskQueue's counters, from `TaskQueue::stats()`.
//
// Every task is counted once in `submitted` when it is accepted, waits in
// `queued` (also while delayed or between retries), is `running` during an
// attempt, and ends in exactly one of completed, failed, cancelled, dropped,
// coalesced or expired. So, once the queue is quiet (after a join that covers
// every task):
//
//   submitted == completed + failed + cancelled + dropped + coalesced +
//                expired + running + queued
//
// Fields are read one after another while workers go on, so a snapshot taken
// while tasks move is approximate (never negative), and exact when quiet.
//
//   taskqueue::Stats s = q.stats();
//   std::printf("%llu done, %llu waiting, p99 wait %lld us\n",
//               s.completed, s.queued, s.queue_wait.p99.count() / 1000);
#ifndef TASKQUEUE_CORE_STATS_H_
#define TASKQUEUE_CORE_STATS_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace taskqueue {

// A latency distribution. Values are upper bounds of the histogram bucket the
// percentile falls in (buckets are 1/8 of a power of two wide: at most 12.5%
// high). All zero when nothing was recorded.
struct Percentiles {
  uint64_t count = 0;
  std::chrono::nanoseconds p50{0};
  std::chrono::nanoseconds p90{0};
  std::chrono::nanoseconds p99{0};
  std::chrono::nanoseconds max{0};
  // All values added up, and how many fell at or below each of kBounds
  // (counted by bucket: a value up to 12.5% below a bound may count above
  // it): a histogram for monitoring (Prometheus).
  std::chrono::nanoseconds sum{0};
  static constexpr std::array<std::chrono::nanoseconds, 12> kBounds = {
      std::chrono::microseconds(10),  std::chrono::microseconds(100),
      std::chrono::microseconds(500), std::chrono::milliseconds(1),
      std::chrono::milliseconds(5),   std::chrono::milliseconds(10),
      std::chrono::milliseconds(50),  std::chrono::milliseconds(100),
      std::chrono::milliseconds(500), std::chrono::seconds(1),
      std::chrono::seconds(10),       std::chrono::seconds(60)};
  std::array<uint64_t, kBounds.size()> cumulative{};
};

struct WorkerStats {
  // Tasks that ended on this worker: completed, or failed on their last
  // attempt (attempts that were retried are in Stats::retried only).
  uint64_t completed = 0;
  uint64_t failed = 0;
  // Times this worker's actor died and the supervisor started a new one.
  uint64_t restarts = 0;
};

// A worker node (listen_options.h), while connected and after.
struct NodeStats {
  // As it last connected.
  int slots = 0;
  bool connected = false;
  // Attempts started on it, and how they ended there: completed, or threw
  // (failed includes attempts that were retried).
  uint64_t started = 0;
  uint64_t completed = 0;
  uint64_t failed = 0;
};

// Counters of the tasks with one TaskOptions::name.
struct NameStats {
  uint64_t submitted = 0;
  uint64_t completed = 0;
  uint64_t failed = 0;
  // Cancelled, dropped, coalesced or expired (a task waiting for a retry
  // may have run before).
  uint64_t not_run = 0;
};

struct Stats {
  // Tasks accepted by `add_task()` and `submit()`.
  uint64_t submitted = 0;
  // Tasks that returned normally.
  uint64_t completed = 0;
  // Tasks that threw on their last attempt, whether the exception went to
  // `on_error` or to a future.
  uint64_t failed = 0;
  // Tasks that never ran, by reason (see TaskState).
  uint64_t cancelled = 0;
  uint64_t dropped = 0;
  uint64_t coalesced = 0;
  uint64_t expired = 0;
  // Tasks accepted but not running and not ended: waiting for a worker, a
  // delay, or a retry.
  uint64_t queued = 0;
  // Tasks in an attempt now.
  uint64_t running = 0;
  // Attempts that threw and were scheduled to run again.
  uint64_t retried = 0;
  // Worker actors that died and were replaced.
  uint64_t restarts = 0;
  bool paused = false;

  // Index i: worker i.
  std::vector<WorkerStats> workers;
  // Worker nodes by name, connected now or before: a node that reconnects
  // adds to its entry.
  std::map<std::string, NodeStats> nodes;
  // Named tasks only.
  std::map<std::string, NameStats> by_name;

  // From add to start of each attempt, and the attempts' run times. Recorded
  // only with QueueOptions::record_timings.
  Percentiles queue_wait;
  Percentiles run_time;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_STATS_H_
