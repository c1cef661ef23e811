// QueueCounters: the counters behind TaskQueue::stats().
//
// The hot ones are per worker: each worker writes only its own, on its own
// cache line, with plain release stores, so counting a task costs no locked
// instruction and no cache line ping-pong between workers. The rest (tasks
// that ended without running, failures decided by the supervisor, restarts,
// per-name counts) are rare events, counted with read-modify-writes or under
// a mutex. Readers sum everything (Snapshot()).
#ifndef TASKQUEUE_ACTORS_QUEUE_COUNTERS_H_
#define TASKQUEUE_ACTORS_QUEUE_COUNTERS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "actors/latency_histogram.h"
#include "actors/task_inbox.h"
#include "taskqueue/stats.h"
#include "taskqueue/task_handle.h"

namespace taskqueue::internal {

// One worker's counters. Written by that worker's thread only.
struct alignas(64) WorkerCounters {
  // Attempts started, and how each ended on the worker.
  std::atomic<uint64_t> started{0};
  std::atomic<uint64_t> completed{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> retried{0};
  // Tasks that ended on this worker, counted once their callbacks have run.
  std::atomic<uint64_t> settled{0};
  // Null unless QueueOptions::record_timings.
  std::unique_ptr<LatencyHistogram> queue_wait;
  std::unique_ptr<LatencyHistogram> run_time;

  // Single writer: a load and a store, not a read-modify-write.
  static void Increment(std::atomic<uint64_t>& counter) {
    counter.store(counter.load(std::memory_order_relaxed) + 1,
                  std::memory_order_release);
  }
};

class QueueCounters {
 public:
  // Endpoints [0, num_workers) are the local workers, the next
  // `remote_endpoints` the worker nodes' (one each).
  QueueCounters(int num_workers, int remote_endpoints, bool record_timings);

  WorkerCounters& worker(int index) { return workers_[index]; }

  // Endpoint `index` is now node `name`'s, with `slots`; until
  // NodeDisconnected, what its counters gain is that node's. A node of the
  // name counted before adds to that entry. Thread-safe.
  void NodeConnected(int index, const std::string& name, int slots);
  // Its proxy has exited: nothing writes its counters any more.
  void NodeDisconnected(int index);
  // "local/<index>" for a local worker, "node/<name>" for the node that has
  // endpoint `index` now, "node/#<k>" when none has it. Thread-safe. Throws
  // std::out_of_range for an index that is no endpoint.
  std::string EndpointName(int index) const;

  // A task ended without running (`why` is kCancelled, kDropped, kCoalesced
  // or kExpired). Thread-safe.
  void CountUnrun(TaskState why, const std::string& name);
  // An attempt that started on a worker ended without the worker counting it
  // (its worker died, or a stop request overtook its retry): `retried` says
  // whether the task will run again. Thread-safe.
  void CountAttemptLost(bool retried);
  // A task failed for good outside a worker's attempt (a retry that shutdown
  // cancelled, a worker that died on its last attempt). Thread-safe.
  void CountFailedElsewhere();
  void CountRestart(int worker);
  // A task ended and every callback its end causes has run: on worker
  // `worker`'s thread, or anywhere for -1. See settled().
  void CountSettled(int worker);
  // Named tasks' counts. Thread-safe.
  void CountNamed(const std::string& name, uint64_t NameStats::*field);

  // Thread-safe, non-blocking but for the mutex of the per-name counts.
  // Reads what ends tasks first, then what starts attempts, then
  // `inbox.submitted()`: each event happens after the ones it follows, so
  // reading in the opposite order keeps every difference non-negative.
  Stats Snapshot(const TaskInbox& inbox, bool paused) const;

  // Tasks failed for good so far (for JoinResult).
  uint64_t failed() const;
  // Tasks ended so far whose callbacks (on_error, observer hooks) have all
  // run; every effect of such a task happens before this count is read.
  // Read before `inbox.submitted()`, settled() >= submitted() means that
  // every task submitted before the read had ended: what a join waits for.
  uint64_t settled() const;

 private:
  // What endpoint `index`'s counters said when its node connected.
  struct NodeBaseline {
    std::string name;
    uint64_t started = 0, completed = 0, failed = 0;
  };
  // `stats` plus what endpoint `index` counted since `base`.
  void AddSinceBaseline(int index, const NodeBaseline& base,
                        NodeStats& stats) const;

  int num_workers_;
  int num_endpoints_;
  bool record_timings_;
  std::unique_ptr<WorkerCounters[]> workers_;

  std::atomic<uint64_t> cancelled_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> coalesced_{0};
  std::atomic<uint64_t> expired_{0};
  std::atomic<uint64_t> failed_elsewhere_{0};
  std::atomic<uint64_t> attempts_lost_{0};
  std::atomic<uint64_t> retried_elsewhere_{0};
  std::atomic<uint64_t> settled_elsewhere_{0};
  std::unique_ptr<std::atomic<uint64_t>[]> restarts_;

  mutable absl::Mutex names_mu_;
  std::map<std::string, NameStats> names_ ABSL_GUARDED_BY(names_mu_);

  mutable absl::Mutex nodes_mu_;
  // Index: endpoint - num_workers_; set while a node has the endpoint.
  std::vector<std::optional<NodeBaseline>> connected_
      ABSL_GUARDED_BY(nodes_mu_);
  // Nodes' counts up to their last disconnect.
  std::map<std::string, NodeStats> nodes_ ABSL_GUARDED_BY(nodes_mu_);
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_QUEUE_COUNTERS_H_
