#include "actors/scheduler/scheduler.h"

#include <algorithm>
#include <exception>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "absl/base/macros.h"
#include "actors/scheduler/backoff_delay.h"
#include "taskqueue/saturating_time.h"

namespace taskqueue::internal {
namespace {

bool IsFinal(TaskState state) {
  return state != TaskState::kQueued && state != TaskState::kRunning;
}

TaskFailure WorkerDied() {
  try {
    throw std::runtime_error("taskqueue: the worker running this task died");
  } catch (...) {
    return TaskFailure::FromCurrentException();
  }
}

}  // namespace

Scheduler::Scheduler(SchedulerOptions options, TaskLifecycle& lifecycle)
    : options_(options), lifecycle_(lifecycle), random_(options.seed) {
  ABSL_HARDENING_ASSERT(options_.max_batch >= 1);
}

// --- Events. ---

void Scheduler::EndpointReady(EndpointId id, size_t credit, EndpointKind kind) {
  ABSL_HARDENING_ASSERT(id >= 0 && credit >= 1);
  if (endpoints_.size() <= static_cast<size_t>(id)) endpoints_.resize(id + 1);
  Endpoint& e = endpoints_[id];
  ABSL_HARDENING_ASSERT(e.batches.empty());
  e.live = true;
  e.kind = kind;
  remote_endpoints_ = remote_endpoints_ || kind == EndpointKind::kRemote;
  e.credit = credit;
  Advance();
}

void Scheduler::TasksArrived(std::vector<QueuedTask>& tasks, TimePoint now) {
  if (tasks.empty()) return;
  for (size_t i = 0; i < tasks.size();) {
    size_t end = i + 1;
    while (end < tasks.size() && tasks[end].epoch == tasks[i].epoch) ++end;
    joins_.Add(tasks[i].epoch, end - i);
    i = end;
  }
  bool prune = false;
  for (QueuedTask& task : tasks) {
    if (task.control) {
      Accept(std::move(task), now, &prune);
    } else {
      waiting_.PushBack(std::move(task));
    }
  }
  tasks.clear();
  if (prune) RemoveEnded();
  DropOverflow();
  Advance();
}

bool Scheduler::BatchDone(EndpointId id, uint64_t sequence, size_t claimed) {
  if (id < 0 || static_cast<size_t>(id) >= endpoints_.size()) return false;
  std::deque<TaskBatchPtr>& batches = endpoints_[id].batches;
  if (batches.empty() || batches.front()->sequence() != sequence) {
    return false;
  }
  TaskBatchPtr batch = std::move(batches.front());
  batches.pop_front();
  ABSL_HARDENING_ASSERT(claimed <= batch->size());
  // An endpoint may leave a batch early; what it did not claim waits again.
  if (batch->HasUnclaimed()) {
    std::deque<QueuedTask> rest;
    batch->ReclaimInto(rest);
    ReturnToWaiting(rest);
  }
  batch->ForEachEpochRun(claimed, [this](uint64_t epoch, uint64_t count) {
    joins_.Finish(epoch, count);
  });
  if (keys_.size() > 0 || deadlines_.size() > 0) {
    for (size_t i = 0; i < claimed; ++i) {
      const ControlRef& control = batch->at(i).control;
      if (control && IsFinal(control->state.load(std::memory_order_acquire))) {
        keys_.Forget(*control);
        deadlines_.Remove(*control);
      }
    }
  }
  Advance();
  return true;
}

void Scheduler::RetryArrived(ControlRef task, uint64_t epoch, TimePoint now) {
  joins_.Add(epoch, 1);
  WaitForRetry(QueuedTask{Attempt(), epoch, std::move(task)}, now);
  Advance();
}

void Scheduler::EndedElsewhere() {
  ReclaimAll();
  RemoveEnded();
  Advance();
}

void Scheduler::TimerFired(TimePoint now) {
  timer_due_.reset();  // Whichever arm this was, the next one is re-armed.
  std::vector<ControlRef> overdue;
  deadlines_.TakeDue(now, overdue);
  bool expired = false;
  for (const ControlRef& task : overdue) {
    if (lifecycle_.EndUnrun(task.get(), TaskState::kExpired)) {
      expired = true;
    } else if (task->state.load(std::memory_order_acquire) ==
               TaskState::kRunning) {
      commands_.push_back(StopRunning{task});
    }
  }
  if (expired) {
    ReclaimAll();
    RemoveEnded();
  }
  ReleaseDue(now);
  Advance();
}

void Scheduler::Pause() {
  if (closing_) return;
  paused_ = true;
  ReclaimAll();
  Advance();
}

void Scheduler::Resume() {
  paused_ = false;
  Advance();
}

size_t Scheduler::Clear() {
  if (closing_) return 0;  // Shutdown runs every task it accepted.
  ReclaimAll();
  size_t cancelled = 0;
  auto cancel = [&](QueuedTask& task) {
    if (lifecycle_.EndUnrun(task.control.get(), TaskState::kCancelled)) {
      ++cancelled;
    }
    Finished(task);
  };
  waiting_.RemoveIf([](const QueuedTask&) { return true; },
                    [&](QueuedTask&& task) { cancel(task); });
  timers_.RemoveIf([](const QueuedTask&) { return true; }, cancel);
  // Claimed by an endpoint but not started, or put back for a retry whose
  // message has not arrived yet: queued all the same, so cleared too. Their
  // join counts stay with the batch (BatchDone) or the retry (RetryArrived).
  for (const Endpoint& e : endpoints_) {
    for (const TaskBatchPtr& batch : e.batches) {
      for (size_t i = 0, n = batch->claimed(); i < n; ++i) {
        // A plain task (no control) that is claimed counts as started.
        TaskControl* control = batch->at(i).control.get();
        if (control != nullptr &&
            lifecycle_.EndUnrun(control, TaskState::kCancelled)) {
          ++cancelled;
        }
      }
    }
  }
  Advance();
  return cancelled;
}

void Scheduler::Close() {
  closing_ = true;
  paused_ = false;
  timers_.RemoveIf([](const QueuedTask&) { return true; },
                   [this](QueuedTask& task) {
                     if (!task.attempt && !task.ended_unrun()) {
                       lifecycle_.FailWaitingRetry(task.control.get());
                     } else {
                       lifecycle_.EndUnrun(task.control.get(),
                                           TaskState::kCancelled);
                     }
                     Finished(task);
                   });
  Advance();
}

void Scheduler::Join(JoinId id, uint64_t epoch) {
  joins_.Await(id, epoch);
  Advance();
}

void Scheduler::ForgetJoin(JoinId id) { joins_.Forget(id); }

void Scheduler::EndpointLost(EndpointId id, TimePoint now) {
  if (id < 0 || static_cast<size_t>(id) >= endpoints_.size()) return;
  Endpoint& e = endpoints_[id];
  std::deque<QueuedTask> again;
  for (const TaskBatchPtr& batch : e.batches) {
    size_t claimed = batch->claimed();
    size_t finished = std::min(batch->finished(), claimed);
    std::deque<QueuedTask> unclaimed;
    batch->ReclaimInto(unclaimed);
    for (size_t i = 0; i < claimed; ++i) {
      QueuedTask& task = batch->at(i);
      if (i < finished) {
        AttemptOver(task);
      } else if (task.attempt && task.control &&
                 task.control->state.load(std::memory_order_acquire) ==
                     TaskState::kQueued) {
        // Claimed and never started: not an attempt, it runs elsewhere. A
        // node's proxy claims what it holds back for a free slot and what
        // it sends ahead; a node that drains hands back what it did not
        // start, and the proxy of a lost node starts everything it sent
        // (it may have run). An endpoint moves the attempt out only once it
        // starts, so a task back in kQueued without it is a retry on its
        // way (RetryArrived).
        again.push_back(std::move(task));
      } else {
        AttemptLost(task, e.kind, now);
      }
    }
    std::move(unclaimed.begin(), unclaimed.end(), std::back_inserter(again));
  }
  e.batches.clear();
  e.live = false;
  e.credit = 0;
  ReturnToWaiting(again);
  Advance();
}

// --- Taking tasks in and out. ---

void Scheduler::Accept(QueuedTask task, TimePoint now, bool* prune) {
  const ControlRef& control = task.control;
  if (control->options.priority != 0) priorities_used_ = true;
  if (!control->options.coalesce_key.empty()) {
    ControlRef older = keys_.Replace(control);
    if (older && lifecycle_.EndUnrun(older.get(), TaskState::kCoalesced)) {
      *prune = true;
    }
  }
  if (task.ended_unrun()) {  // Cancelled before it got here.
    Finished(task);
    return;
  }
  deadlines_.Add(control);
  if (control->run_at && *control->run_at > now) {
    if (closing_) {
      lifecycle_.EndUnrun(control.get(), TaskState::kCancelled);
      Finished(task);
    } else {
      TimePoint due = *control->run_at;
      timers_.Add(due, std::move(task));
    }
    return;
  }
  waiting_.PushBack(std::move(task));
}

void Scheduler::WaitForRetry(QueuedTask task, TimePoint now) {
  TaskControl& control = *task.control;
  if (task.ended_unrun()) {  // Cancelled on its way here.
    Finished(task);
    return;
  }
  if (closing_) {
    lifecycle_.FailWaitingRetry(&control);
    Finished(task);
    return;
  }
  if (!control.options.coalesce_key.empty() && !keys_.Readmit(task.control)) {
    lifecycle_.EndUnrun(&control, TaskState::kCoalesced);
    Finished(task);
    return;
  }
  int failed = control.attempts.load(std::memory_order_acquire);
  timers_.Add(SaturatingAdd(
                  now, BackoffDelay(control.options.backoff, failed, random_)),
              std::move(task));
}

void Scheduler::Finished(QueuedTask& task) {
  joins_.Finish(task.epoch, 1);
  if (task.control) {
    keys_.Forget(*task.control);
    deadlines_.Remove(*task.control);
  }
  task.attempt = nullptr;
}

void Scheduler::AttemptOver(const QueuedTask& task) {
  joins_.Finish(task.epoch, 1);
  if (task.control &&
      IsFinal(task.control->state.load(std::memory_order_acquire))) {
    keys_.Forget(*task.control);
    deadlines_.Remove(*task.control);
  }
}

void Scheduler::AttemptLost(const QueuedTask& task, EndpointKind kind,
                            TimePoint now) {
  const ControlRef& control = task.control;
  if (control &&
      control->state.load(std::memory_order_acquire) != TaskState::kRunning) {
    AttemptOver(task);  // It ended before its endpoint died.
    return;
  }
  // Only portable tasks, which have a control block, run remotely.
  bool retry =
      kind == EndpointKind::kRemote
          ? lifecycle_.NodeLost(control.get(), options_.max_node_losses)
          : lifecycle_.AttemptLost(control.get(), WorkerDied());
  if (retry) {
    WaitForRetry(QueuedTask{Attempt(), task.epoch, control}, now);
    return;
  }
  AttemptOver(task);
}

bool Scheduler::ReclaimAll() {
  std::vector<TaskBatch*> batches;
  for (Endpoint& e : endpoints_) {
    for (TaskBatchPtr& batch : e.batches) {
      if (batch->HasUnclaimed()) batches.push_back(batch.get());
    }
  }
  return ReclaimInOrder(batches);
}

bool Scheduler::ReclaimInOrder(std::vector<TaskBatch*>& batches) {
  if (batches.empty()) return false;
  std::sort(batches.begin(), batches.end(), [](TaskBatch* a, TaskBatch* b) {
    return a->sequence() < b->sequence();
  });
  std::deque<QueuedTask> reclaimed;
  for (TaskBatch* batch : batches) batch->ReclaimInto(reclaimed);
  bool any = !reclaimed.empty();
  ReturnToWaiting(reclaimed);
  return any;
}

void Scheduler::ReturnToWaiting(std::deque<QueuedTask>& tasks) {
  // Ended meanwhile (cancelled, coalesced...): not worth a place in line,
  // and a join may be waiting for them to be taken out.
  std::erase_if(tasks, [this](QueuedTask& task) {
    if (!task.ended_unrun()) return false;
    Finished(task);
    return true;
  });
  waiting_.PushFrontInOrder(tasks);
}

// An idle endpoint takes over whatever the others have not claimed, of the
// batches handed out before `sent_before`: no task waits behind a slow one.
// (An endpoint about to claim its tasks may lose them this way and report
// its batch done empty; it gets new ones.) Batches of the current dispatch
// are left alone: taking them back would only move them to the next
// endpoint.
bool Scheduler::ReclaimForIdleEndpoint(uint64_t sent_before) {
  auto idle = [this](EndpointKind kind) {
    return std::any_of(endpoints_.begin(), endpoints_.end(),
                       [kind](const Endpoint& e) {
                         return e.live && e.kind == kind && e.batches.empty();
                       });
  };
  bool local_idle = idle(EndpointKind::kLocal);
  // An idle remote endpoint could take only portable tasks: taking back
  // closures for it would only shuffle them.
  if (!local_idle && !idle(EndpointKind::kRemote)) return false;
  std::vector<TaskBatch*> batches;
  for (Endpoint& e : endpoints_) {
    for (TaskBatchPtr& batch : e.batches) {
      if (batch->sequence() < sent_before && batch->HasUnclaimed() &&
          (local_idle || batch->HasUnclaimedPortable())) {
        batches.push_back(batch.get());
      }
    }
  }
  return ReclaimInOrder(batches);
}

void Scheduler::RemoveEnded() {
  auto ended = [](const QueuedTask& task) { return task.ended_unrun(); };
  waiting_.RemoveIf(ended, [this](QueuedTask&& task) { Finished(task); });
  timers_.RemoveIf(ended, [this](QueuedTask& task) { Finished(task); });
}

// While a kDropOldest queue holds more than its bound, drops the oldest
// ready task of the lowest priority. Decided here, where every added task
// has arrived: a count kept by producers runs ahead of the arrivals, and
// "oldest of the lowest" chosen before a burst has arrived would be wrong.
void Scheduler::DropOverflow() {
  const size_t bound = options_.drop_oldest_beyond;
  if (bound == 0 || queued() <= bound) return;
  ReclaimAll();
  QueuedTask task;
  while (waiting_.size() + timers_.size() > bound &&
         waiting_.TakeOldestOfLowest(task)) {
    lifecycle_.EndUnrun(task.control.get(), TaskState::kDropped);
    Finished(task);
  }
}

// A task of higher priority than one handed out but not yet claimed takes
// its place: take those back to sort them again.
void Scheduler::LetHigherPrioritiesOvertake() {
  if (!priorities_used_ || waiting_.empty()) return;
  int top = waiting_.TopPriority();
  for (const Endpoint& e : endpoints_) {
    for (const TaskBatchPtr& batch : e.batches) {
      if (batch->min_priority() < top && batch->HasUnclaimed()) {
        ReclaimAll();
        return;
      }
    }
  }
}

void Scheduler::ReleaseDue(TimePoint now) {
  due_.clear();
  timers_.TakeDue(now, due_);
  for (QueuedTask& task : due_) {
    if (task.ended_unrun()) {
      Finished(task);
      continue;
    }
    if (!task.attempt) {  // A retry: build its next attempt from fresh copies.
      try {
        task.attempt = task.control->make_attempt();
      } catch (...) {
        task.control->last_failure = std::current_exception();
        lifecycle_.FailWaitingRetry(task.control.get());
        Finished(task);
        continue;
      }
    }
    task.control->queued_at = now;
    waiting_.PushBack(std::move(task));
  }
  due_.clear();
}

// --- Dispatch, joins, timers. ---

void Scheduler::Advance() {
  // Whatever became ready (arrivals, released timers, tasks handed back)
  // may outrank what endpoints have not started.
  LetHigherPrioritiesOvertake();
  Dispatch();
  std::vector<JoinId> answerable;
  joins_.TakeAnswerable(answerable);
  for (JoinId id : answerable) commands_.push_back(AnswerJoin{id});
  ArmNextTimer();
}

// Batches sent ahead make an endpoint find its next batch at hand, but a task
// sent ahead to a busy endpoint could start before a higher-priority task
// that arrived meanwhile. With priorities in use, an endpoint gets a batch
// only when it has none: each time one frees up, the scheduler hands out the
// highest of everything that has arrived.
size_t Scheduler::MaxBatchesPerEndpoint(const Endpoint& e) const {
  return priorities_used_ ? std::min<size_t>(1, e.credit) : e.credit;
}

Scheduler::Endpoint* Scheduler::LeastLoadedEndpoint(bool portable_waiting) {
  Endpoint* best = nullptr;
  for (Endpoint& e : endpoints_) {
    if (!e.live || e.batches.size() >= MaxBatchesPerEndpoint(e)) continue;
    if (e.kind == EndpointKind::kRemote && !portable_waiting) continue;
    if (best == nullptr || e.batches.size() < best->batches.size()) best = &e;
  }
  return best;
}

size_t Scheduler::FreeBatchSlots() const {
  size_t free = 0;
  for (const Endpoint& e : endpoints_) {
    if (!e.live) continue;
    free += MaxBatchesPerEndpoint(e) -
            std::min(e.batches.size(), MaxBatchesPerEndpoint(e));
  }
  return free;
}

void Scheduler::Dispatch() {
  if (paused_) return;
  const uint64_t first_sent_now = batches_sent_;
  for (;;) {
    if (waiting_.empty() && !ReclaimForIdleEndpoint(first_sent_now)) return;
    size_t portable = remote_endpoints_ ? waiting_.portable() : 0;
    Endpoint* e = LeastLoadedEndpoint(portable > 0);
    if (e == nullptr) return;
    // Spread what waits over the free batch slots, so one endpoint does not
    // take it all while the others idle.
    size_t n = std::clamp(waiting_.size() / FreeBatchSlots(), size_t{1},
                          options_.max_batch);
    std::vector<QueuedTask> tasks;
    if (e->kind == EndpointKind::kRemote) {
      n = std::min(n, portable);
      tasks.reserve(n);
      waiting_.TakeFrontPortable(n, tasks);
    } else {
      tasks.reserve(n);
      waiting_.TakeFront(n, tasks);
    }
    auto batch = std::make_shared<TaskBatch>(std::move(tasks), batches_sent_++);
    e->batches.push_back(batch);
    commands_.push_back(SendBatch{
        static_cast<EndpointId>(e - endpoints_.data()), std::move(batch)});
  }
}

void Scheduler::ArmNextTimer() {
  std::optional<TimePoint> next = timers_.Next();
  std::optional<TimePoint> deadline = deadlines_.Next();
  if (deadline && deadline != TimePoint::max() &&
      (!next || *deadline < *next)) {
    next = deadline;
  }
  if (!next || (timer_due_ && *timer_due_ <= *next)) return;
  timer_due_ = next;
  commands_.push_back(ArmTimer{*next});
}

// --- State. ---

size_t Scheduler::queued() const {
  size_t queued = waiting_.size() + timers_.size();
  for (const Endpoint& e : endpoints_) {
    for (const TaskBatchPtr& batch : e.batches) {
      queued += batch->unclaimed();
    }
  }
  return queued;
}

size_t Scheduler::batches_in_flight(EndpointId id) const {
  if (id < 0 || static_cast<size_t>(id) >= endpoints_.size()) return 0;
  return endpoints_[id].batches.size();
}

}  // namespace taskqueue::internal
