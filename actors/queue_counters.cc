#include "actors/queue_counters.h"

namespace taskqueue::internal {
namespace {

uint64_t Load(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_acquire);
}

// a - b, or 0: a snapshot's differences are never negative.
uint64_t Minus(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

}  // namespace

QueueCounters::QueueCounters(int num_workers, bool record_timings)
    : num_workers_(num_workers),
      record_timings_(record_timings),
      workers_(std::make_unique<WorkerCounters[]>(num_workers)),
      restarts_(std::make_unique<std::atomic<uint64_t>[]>(num_workers)) {
  if (!record_timings) return;
  for (int i = 0; i < num_workers; ++i) {
    workers_[i].queue_wait = std::make_unique<LatencyHistogram>();
    workers_[i].run_time = std::make_unique<LatencyHistogram>();
  }
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
  for (int i = 0; i < num_workers_; ++i) {
    const WorkerCounters& w = workers_[i];
    WorkerStats& ws = stats.workers[i];
    ws.completed = Load(w.completed);
    ws.failed = Load(w.failed);
    ws.restarts = Load(restarts_[i]);
    uint64_t retried = Load(w.retried);
    stats.completed += ws.completed;
    stats.failed += ws.failed;
    stats.retried += retried;
    stats.restarts += ws.restarts;
    attempts_ended += ws.completed + ws.failed + retried;
  }
  // Then starts.
  uint64_t started = 0;
  for (int i = 0; i < num_workers_; ++i) started += Load(workers_[i].started);
  stats.submitted = inbox.submitted();
  stats.running = Minus(started, attempts_ended);
  uint64_t ended = stats.completed + stats.failed + stats.cancelled +
                   stats.dropped + stats.coalesced + stats.expired;
  stats.queued = Minus(stats.submitted, ended + stats.running);
  {
    absl::MutexLock lock(&names_mu_);
    stats.by_name = names_;
  }
  if (record_timings_) {
    LatencyHistogram::Counts wait{}, run{};
    uint64_t wait_max = 0, run_max = 0;
    for (int i = 0; i < num_workers_; ++i) {
      workers_[i].queue_wait->MergeInto(wait, wait_max);
      workers_[i].run_time->MergeInto(run, run_max);
    }
    stats.queue_wait = LatencyHistogram::Summarize(wait, wait_max);
    stats.run_time = LatencyHistogram::Summarize(run, run_max);
  }
  return stats;
}

uint64_t QueueCounters::failed() const {
  uint64_t failed = Load(failed_elsewhere_);
  for (int i = 0; i < num_workers_; ++i) failed += Load(workers_[i].failed);
  return failed;
}

uint64_t QueueCounters::settled() const {
  uint64_t settled = Load(settled_elsewhere_);
  for (int i = 0; i < num_workers_; ++i) settled += Load(workers_[i].settled);
  return settled;
}

}  // namespace taskqueue::internal
