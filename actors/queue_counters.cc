#include "actors/queue_counters.h"

#include <stdexcept>
#include <string>

namespace taskqueue::internal {
namespace {

uint64_t Load(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_acquire);
}

// a - b, or 0: a snapshot's differences are never negative.
uint64_t Minus(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

}  // namespace

QueueCounters::QueueCounters(int num_workers, int remote_endpoints,
                             bool record_timings)
    : num_workers_(num_workers),
      num_endpoints_(num_workers + remote_endpoints),
      record_timings_(record_timings),
      workers_(std::make_unique<WorkerCounters[]>(num_endpoints_)),
      restarts_(std::make_unique<std::atomic<uint64_t>[]>(num_workers)),
      connected_(remote_endpoints) {
  if (!record_timings) return;
  for (int i = 0; i < num_endpoints_; ++i) {
    workers_[i].queue_wait = std::make_unique<LatencyHistogram>();
    workers_[i].run_time = std::make_unique<LatencyHistogram>();
  }
}

void QueueCounters::NodeConnected(int index, const std::string& name,
                                  int slots) {
  const WorkerCounters& w = workers_[index];
  absl::MutexLock lock(&nodes_mu_);
  connected_[index - num_workers_] = NodeBaseline{
      .name = name,
      .started = Load(w.started),
      .completed = Load(w.completed),
      .failed = Load(w.failed) + Load(w.retried),
  };
  NodeStats& node = nodes_[name];
  node.slots = slots;
}

std::string QueueCounters::EndpointName(int index) const {
  if (index < 0 || index >= num_endpoints_) {
    throw std::out_of_range("taskqueue: no worker " + std::to_string(index) +
                            " (there are " + std::to_string(num_endpoints_) +
                            " endpoints)");
  }
  if (index < num_workers_) return "local/" + std::to_string(index);
  const int k = index - num_workers_;
  absl::MutexLock lock(&nodes_mu_);
  const std::optional<NodeBaseline>& base = connected_[k];
  return base ? "node/" + base->name : "node/#" + std::to_string(k);
}

void QueueCounters::NodeDisconnected(int index) {
  absl::MutexLock lock(&nodes_mu_);
  std::optional<NodeBaseline>& base = connected_[index - num_workers_];
  if (!base) return;
  AddSinceBaseline(index, *base, nodes_[base->name]);
  base.reset();
}

void QueueCounters::AddSinceBaseline(int index, const NodeBaseline& base,
                                     NodeStats& stats) const {
  const WorkerCounters& w = workers_[index];
  stats.started += Minus(Load(w.started), base.started);
  stats.completed += Minus(Load(w.completed), base.completed);
  stats.failed += Minus(Load(w.failed) + Load(w.retried), base.failed);
}

void QueueCounters::CountUnrun(TaskState why, const std::string& name) {
  switch (why) {
    case TaskState::kDropped:
      dropped_.fetch_add(1, std::memory_order_acq_rel);
      break;
    case TaskState::kCoalesced:
      coalesced_.fetch_add(1, std::memory_order_acq_rel);
      break;
    case TaskState::kExpired:
      expired_.fetch_add(1, std::memory_order_acq_rel);
      break;
    default:
      cancelled_.fetch_add(1, std::memory_order_acq_rel);
      break;
  }
  if (!name.empty()) CountNamed(name, &NameStats::not_run);
}

void QueueCounters::CountAttemptLost(bool retried) {
  attempts_lost_.fetch_add(1, std::memory_order_acq_rel);
  if (retried) retried_elsewhere_.fetch_add(1, std::memory_order_acq_rel);
}

void QueueCounters::CountFailedElsewhere() {
  failed_elsewhere_.fetch_add(1, std::memory_order_acq_rel);
}

void QueueCounters::CountRestart(int worker) {
  restarts_[worker].fetch_add(1, std::memory_order_acq_rel);
}

void QueueCounters::CountSettled(int worker) {
  if (worker >= 0) {
    WorkerCounters::Increment(workers_[worker].settled);
  } else {
    settled_elsewhere_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void QueueCounters::CountNamed(const std::string& name,
                               uint64_t NameStats::*field) {
  absl::MutexLock lock(&names_mu_);
  ++(names_[name].*field);
}

Stats QueueCounters::Snapshot(const TaskInbox& inbox, bool paused) const {
  Stats stats;
  stats.paused = paused;
  stats.workers.resize(num_workers_);
  // Ends first.
  stats.cancelled = Load(cancelled_);
  stats.dropped = Load(dropped_);
  stats.coalesced = Load(coalesced_);
  stats.expired = Load(expired_);
  stats.failed = Load(failed_elsewhere_);
  uint64_t attempts_ended = Load(attempts_lost_);
  stats.retried = Load(retried_elsewhere_);
  for (int i = 0; i < num_endpoints_; ++i) {
    const WorkerCounters& w = workers_[i];
    uint64_t completed = Load(w.completed);
    uint64_t failed = Load(w.failed);
    uint64_t retried = Load(w.retried);
    if (i < num_workers_) {
      WorkerStats& ws = stats.workers[i];
      ws.completed = completed;
      ws.failed = failed;
      ws.restarts = Load(restarts_[i]);
      stats.restarts += ws.restarts;
    }
    stats.completed += completed;
    stats.failed += failed;
    stats.retried += retried;
    attempts_ended += completed + failed + retried;
  }
  // Then starts.
  uint64_t started = 0;
  for (int i = 0; i < num_endpoints_; ++i) started += Load(workers_[i].started);
  stats.submitted = inbox.submitted();
  stats.running = Minus(started, attempts_ended);
  uint64_t ended = stats.completed + stats.failed + stats.cancelled +
                   stats.dropped + stats.coalesced + stats.expired;
  stats.queued = Minus(stats.submitted, ended + stats.running);
  {
    absl::MutexLock lock(&names_mu_);
    stats.by_name = names_;
  }
  {
    absl::MutexLock lock(&nodes_mu_);
    stats.nodes = nodes_;
    for (size_t i = 0; i < connected_.size(); ++i) {
      if (!connected_[i]) continue;
      NodeStats& node = stats.nodes[connected_[i]->name];
      node.connected = true;
      AddSinceBaseline(num_workers_ + static_cast<int>(i), *connected_[i],
                       node);
    }
  }
  if (record_timings_) {
    LatencyHistogram::Merged wait, run;
    for (int i = 0; i < num_endpoints_; ++i) {
      workers_[i].queue_wait->MergeInto(wait);
      workers_[i].run_time->MergeInto(run);
    }
    stats.queue_wait = LatencyHistogram::Summarize(wait);
    stats.run_time = LatencyHistogram::Summarize(run);
  }
  return stats;
}

uint64_t QueueCounters::failed() const {
  uint64_t failed = Load(failed_elsewhere_);
  for (int i = 0; i < num_endpoints_; ++i) failed += Load(workers_[i].failed);
  return failed;
}

uint64_t QueueCounters::settled() const {
  uint64_t settled = Load(settled_elsewhere_);
  for (int i = 0; i < num_endpoints_; ++i) {
    settled += Load(workers_[i].settled);
  }
  return settled;
}

}  // namespace taskqueue::internal
