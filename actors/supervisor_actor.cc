#include "actors/supervisor_actor.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <exception>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <utility>

#include "actors/message_handoff.h"
#include "caf/system_messages.hpp"

namespace taskqueue::internal {
namespace {

using Self = caf::stateful_actor<SupervisorState>;
using Clock = SupervisorState::Clock;

// --- Taking tasks out. ---

void ForgetKey(SupervisorState& st, const ControlRef& control) {
  if (!control || control->options.coalesce_key.empty()) return;
  auto it = st.newest_by_key.find(control->options.coalesce_key);
  if (it != st.newest_by_key.end() && it->second == control) {
    st.newest_by_key.erase(it);
  }
}

// `task` leaves the queue for good without a worker: join stops waiting for
// it and it no longer counts against the bound.
void Discard(SupervisorState& st, QueuedTask& task) {
  st.unfinished.Finish(task.epoch, 1);
  if (st.context.admission) st.context.admission->Leave();
  ForgetKey(st, task.control);
  task.task = nullptr;
}

// Ends `task` as `why` unless something else ended it first. Returns whether
// this call ended it.
bool EndUnrun(SupervisorState& st, QueuedTask& task, TaskState why) {
  if (task.control && !task.control->Leave(why)) return false;
  st.context.reporter->EndedUnrun(task.control.get(), why);
  return true;
}

TaskFailure FailureOf(std::exception_ptr error, int attempts) {
  TaskFailure failure;
  try {
    std::rethrow_exception(error);
  } catch (...) {
    failure = TaskFailure::FromCurrentException();
  }
  failure.attempts = attempts;
  return failure;
}

// A task waiting for a retry will not get one: it fails with its last
// failure.
void FailForGood(SupervisorState& st, QueuedTask& task) {
  TaskControl& control = *task.control;
  if (!control.Leave(TaskState::kFailed)) return;
  control.make_attempt = nullptr;
  st.context.reporter->FailedElsewhere(
      &control, FailureOf(control.last_failure,
                          control.attempts.load(std::memory_order_acquire)));
}

// --- Where tasks wait. ---

// Takes back every task handed to a worker and not yet claimed, in the order
// they were handed out, to the front of `waiting`. Returns whether it took
// any.
bool ReclaimAll(SupervisorState& st) {
  std::vector<TaskBatch*> batches;
  for (auto& worker : st.workers) {
    for (auto& batch : worker.batches) {
      if (batch->HasUnclaimed()) batches.push_back(batch.get());
    }
  }
  if (batches.empty()) return false;
  std::sort(batches.begin(), batches.end(), [](TaskBatch* a, TaskBatch* b) {
    return a->sequence() < b->sequence();
  });
  std::deque<QueuedTask> reclaimed;
  for (TaskBatch* batch : batches) batch->ReclaimInto(reclaimed);
  bool any = !reclaimed.empty();
  st.waiting.PushFrontInOrder(reclaimed);
  return any;
}

// When a worker has run dry while others still hold unclaimed tasks, takes
// those back. Returns whether it took any.
bool ReclaimForIdleWorker(SupervisorState& st) {
  bool any_idle = std::any_of(st.workers.begin(), st.workers.end(),
                              [](const auto& w) { return w.batches.empty(); });
  return any_idle && ReclaimAll(st);
}

// Takes out of waiting and timed every task for which `pred` holds, handing
// each to `end` and then discarding it.
template <class Pred, class End>
void RemoveWhere(SupervisorState& st, Pred pred, End end) {
  st.waiting.RemoveIf(pred, [&](QueuedTask&& task) {
    end(task);
    Discard(st, task);
  });
  for (auto it = st.timed.begin(); it != st.timed.end();) {
    if (pred(it->second)) {
      end(it->second);
      Discard(st, it->second);
      it = st.timed.erase(it);
    } else {
      ++it;
    }
  }
}

// Takes out the tasks that were ended unrun elsewhere (cancelled through a
// handle, coalesced). `reclaim`: also those handed to a busy worker.
void Prune(SupervisorState& st, bool reclaim) {
  if (reclaim) ReclaimAll(st);
  RemoveWhere(
      st, [](const QueuedTask& task) { return task.ended_unrun(); },
      [](QueuedTask&) {});
}

void Coalesce(SupervisorState& st, const ControlRef& newcomer, bool& prune) {
  auto [it, inserted] =
      st.newest_by_key.try_emplace(newcomer->options.coalesce_key, newcomer);
  if (inserted) return;
  ControlRef older = std::exchange(it->second, newcomer);
  if (older->Leave(TaskState::kCoalesced)) {
    st.context.reporter->EndedUnrun(older.get(), TaskState::kCoalesced);
    prune = true;
  }
}

void Admit(SupervisorState& st, QueuedTask task, Clock::time_point now,
           bool& prune) {
  TaskControl& control = *task.control;
  if (control.options.priority != 0) st.priorities_used = true;
  if (!control.options.coalesce_key.empty()) {
    Coalesce(st, task.control, prune);
  }
  if (task.ended_unrun()) {
    Discard(st, task);
    return;
  }
  if (control.options.deadline) st.deadlines.push(*control.options.deadline);
  if (control.run_at && *control.run_at > now) {
    if (st.closing) {
      EndUnrun(st, task, TaskState::kCancelled);
      Discard(st, task);
    } else {
      st.timed.emplace(*control.run_at, std::move(task));
    }
    return;
  }
  st.waiting.PushBack(std::move(task));
}

// Tasks this supervisor holds that have not started.
size_t QueuedHere(const SupervisorState& st) {
  size_t queued = st.waiting.size() + st.timed.size();
  for (const auto& worker : st.workers) {
    for (const auto& batch : worker.batches) {
      queued += batch->size() - batch->claimed();
    }
  }
  return queued;
}

// While a kDropOldest queue holds more than its bound, drops the oldest
// waiting task of the lowest priority. Counted here, where the tasks are: a
// count kept by the producers runs ahead of the inbox, and deciding "oldest
// of the lowest" before every added task has arrived would drop the wrong
// one.
void DropOverflow(SupervisorState& st) {
  const size_t bound = st.context.drop_oldest_beyond;
  if (bound == 0 || QueuedHere(st) <= bound) return;
  ReclaimAll(st);
  QueuedTask task;
  while (st.waiting.size() + st.timed.size() > bound &&
         st.waiting.TakeOldestOfLowest(task)) {
    EndUnrun(st, task, TaskState::kDropped);
    Discard(st, task);
  }
}

// A task of higher priority than one handed out but not yet claimed takes
// its place: take those back to sort them again.
void LetHigherPrioritiesOvertake(SupervisorState& st) {
  if (!st.priorities_used || st.waiting.empty()) return;
  int top = st.waiting.TopPriority();
  for (const auto& worker : st.workers) {
    for (const auto& batch : worker.batches) {
      if (batch->min_priority() < top && batch->HasUnclaimed()) {
        ReclaimAll(st);
        return;
      }
    }
  }
}

void TakeFromInbox(SupervisorState& st) {
  std::vector<QueuedTask>& drained = st.context.inbox->Drain();
  if (drained.empty()) return;
  for (size_t i = 0; i < drained.size();) {
    size_t end = i + 1;
    while (end < drained.size() && drained[end].epoch == drained[i].epoch) {
      ++end;
    }
    st.unfinished.Add(drained[i].epoch, end - i);
    i = end;
  }
  Clock::time_point now = Clock::now();
  bool prune = false;
  for (QueuedTask& task : drained) {
    if (task.control) {
      Admit(st, std::move(task), now, prune);
    } else {
      st.waiting.PushBack(std::move(task));
    }
  }
  if (prune) Prune(st, /*reclaim=*/false);
  DropOverflow(st);
  LetHigherPrioritiesOvertake(st);
  if (st.context.inbox->top_priority() != std::numeric_limits<int>::min()) {
    st.context.inbox->MarkSorted();
  }
}

// --- Timers. ---

Clock::duration BackoffDelay(const Backoff& backoff, int failed_attempts,
                             std::minstd_rand& random) {
  double scale = std::pow(backoff.multiplier, failed_attempts - 1);
  double nanos =
      std::min(static_cast<double>(backoff.max_delay.count()),
               static_cast<double>(backoff.initial_delay.count()) * scale);
  double u = std::uniform_real_distribution<double>(0, 1)(random);
  return Clock::duration(
      static_cast<Clock::duration::rep>(nanos * (1 - backoff.jitter * u)));
}

void ScheduleTimer(Self* self) {
  SupervisorState& st = self->state;
  std::optional<Clock::time_point> next;
  if (!st.timed.empty()) next = st.timed.begin()->first;
  if (!st.deadlines.empty() && (!next || st.deadlines.top() < *next)) {
    next = st.deadlines.top();
  }
  if (!next || (st.timer_due && *st.timer_due <= *next)) return;
  // At most a day at a time: CAF adds the delay to its own clock reading, so
  // one reaching time_point::max() ("never") would overflow and fire at
  // once, again and again. A timer that fires with nothing due is re-armed.
  Clock::time_point now = Clock::now();
  auto delay = *next <= now ? Clock::duration::zero()
                            : std::min<Clock::duration>(*next - now,
                                                        std::chrono::hours(24));
  st.timer_due = now + delay;
  HandOffTo(self);
  self->delayed_send(self, delay, timer_atom::value);
}

bool Overdue(const QueuedTask& task, Clock::time_point now) {
  return task.control && task.control->options.deadline &&
         *task.control->options.deadline <= now;
}

// Tasks not started by their deadline expire; those running past it get a
// stop request on their std::stop_token.
void ExpireOverdue(SupervisorState& st, Clock::time_point now) {
  for (const auto& worker : st.workers) {
    for (const auto& batch : worker.batches) {
      for (size_t i = batch->finished(); i < batch->claimed(); ++i) {
        const QueuedTask& task = batch->at(i);
        if (Overdue(task, now) &&
            task.control->state.load(std::memory_order_acquire) ==
                TaskState::kRunning) {
          task.control->RequestStop();
        }
      }
    }
  }
  ReclaimAll(st);
  RemoveWhere(
      st,
      [now](const QueuedTask& task) {
        return task.ended_unrun() || Overdue(task, now);
      },
      [&st](QueuedTask& task) { EndUnrun(st, task, TaskState::kExpired); });
}

// Moves the delayed tasks and retries whose time has come to `waiting`.
void ReleaseDue(SupervisorState& st, Clock::time_point now) {
  while (!st.timed.empty() && st.timed.begin()->first <= now) {
    QueuedTask task = std::move(st.timed.begin()->second);
    st.timed.erase(st.timed.begin());
    if (task.ended_unrun()) {
      Discard(st, task);
      continue;
    }
    if (!task.task) {  // A retry: build its next attempt.
      try {
        task.task = task.control->make_attempt();
      } catch (...) {
        task.control->last_failure = std::current_exception();
        FailForGood(st, task);
        Discard(st, task);
        continue;
      }
    }
    task.control->queued_at = now;
    st.waiting.PushBack(std::move(task));
  }
}

// --- Dispatch and joins. ---

// Batches sent ahead make a worker find its next batch in its mailbox, but a
// task sent ahead to a busy worker could start before a higher-priority task
// that reached the supervisor meanwhile. With priorities in use, a worker gets
// a batch only when it has none: each time one frees up, the supervisor
// first takes in everything added so far and then hands out the highest.
size_t MaxBatchesPerWorker(const SupervisorState& st) {
  return st.priorities_used ? 1 : SupervisorState::kMaxBatchesPerWorker;
}

SupervisorState::Worker* LeastLoadedWorker(SupervisorState& st) {
  auto it = std::min_element(st.workers.begin(), st.workers.end(),
                             [](const auto& a, const auto& b) {
                               return a.batches.size() < b.batches.size();
                             });
  if (it == st.workers.end() || it->batches.size() >= MaxBatchesPerWorker(st)) {
    return nullptr;
  }
  return &*it;
}

// At least 1 whenever LeastLoadedWorker() found a worker.
size_t FreeBatchSlots(const SupervisorState& st) {
  size_t free = 0;
  for (const auto& worker : st.workers) {
    free += MaxBatchesPerWorker(st) -
            std::min(worker.batches.size(), MaxBatchesPerWorker(st));
  }
  return free;
}

void Dispatch(Self* self) {
  SupervisorState& st = self->state;
  if (st.paused) return;
  for (;;) {
    if (st.waiting.empty() && !ReclaimForIdleWorker(st)) return;
    SupervisorState::Worker* worker = LeastLoadedWorker(st);
    if (worker == nullptr) return;
    // Spread what waits over the free batch slots, so one worker does not
    // take it all while the others idle.
    size_t n = std::clamp(st.waiting.size() / FreeBatchSlots(st), size_t{1},
                          SupervisorState::kMaxBatch);
    std::vector<QueuedTask> tasks;
    tasks.reserve(n);
    st.waiting.TakeFront(n, tasks);
    auto batch =
        std::make_shared<TaskBatch>(std::move(tasks), st.batches_sent++);
    worker->batches.push_back(batch);
    HandOffTo(worker->handle);
    self->send(worker->handle, run_atom::value, std::move(batch));
  }
}

void AnswerJoins(SupervisorState& st) {
  while (!st.joins.empty() &&
         st.unfinished.AllFinishedThrough(st.joins.begin()->first)) {
    st.joins.begin()->second->set_value();
    st.joins.erase(st.joins.begin());
  }
}

// What every handler does after changing the queue.
void Settle(Self* self) {
  Dispatch(self);
  AnswerJoins(self->state);
  ScheduleTimer(self);
}

// --- A worker died. ---

// Task `task` was claimed by a worker that died before finishing it: if it was
// in an attempt, that attempt failed; retried per its options.
void AttemptLost(SupervisorState& st, const QueuedTask& task) {
  const ControlRef& control = task.control;
  auto error = std::make_exception_ptr(
      std::runtime_error("taskqueue: the worker running this task died"));
  if (!control) {
    st.context.reporter->counters().CountAttemptLost(/*retried=*/false);
    st.context.reporter->FailedElsewhere(nullptr, FailureOf(error, 1));
    st.unfinished.Finish(task.epoch, 1);
    return;
  }
  if (control->state.load(std::memory_order_acquire) != TaskState::kRunning) {
    st.unfinished.Finish(task.epoch, 1);  // Ended before the worker died.
    return;
  }
  int attempts = control->attempts.load(std::memory_order_acquire);
  control->last_failure = error;
  if (attempts < control->options.max_attempts && control->make_attempt &&
      !control->stop_requested.load(std::memory_order_acquire) && !st.closing) {
    st.context.reporter->counters().CountAttemptLost(/*retried=*/true);
    if (st.context.admission) st.context.admission->ForceEnter();
    control->state.store(TaskState::kQueued, std::memory_order_release);
    st.timed.emplace(Clock::now() + BackoffDelay(control->options.backoff,
                                                 attempts, st.random),
                     QueuedTask{Task(), task.epoch, control});
    return;
  }
  st.context.reporter->counters().CountAttemptLost(/*retried=*/false);
  control->state.store(TaskState::kFailed, std::memory_order_release);
  control->make_attempt = nullptr;
  st.context.reporter->FailedElsewhere(control.get(),
                                       FailureOf(error, attempts));
  st.unfinished.Finish(task.epoch, 1);
}

void ReplaceDeadWorker(Self* self, size_t index) {
  SupervisorState& st = self->state;
  SupervisorState::Worker& worker = st.workers[index];
  std::deque<QueuedTask> unclaimed;
  for (const TaskBatchPtr& batch : worker.batches) {
    size_t claimed = batch->claimed();
    size_t finished = std::min(batch->finished(), claimed);
    batch->ReclaimInto(unclaimed);
    batch->ForEachEpochRun(finished, [&st](uint64_t epoch, uint64_t count) {
      st.unfinished.Finish(epoch, count);
    });
    for (size_t i = 0; i < claimed; ++i) {
      if (i >= finished) AttemptLost(st, batch->at(i));
      ForgetKey(st, batch->at(i).control);
    }
  }
  worker.batches.clear();
  st.waiting.PushFrontInOrder(unclaimed);
  worker.handle = st.context.respawn_worker(static_cast<int32_t>(index));
  self->monitor(worker.handle);
  st.context.reporter->counters().CountRestart(static_cast<int>(index));
}

}  // namespace

caf::behavior supervisor_actor(Self* self, SupervisorContext context,
                               std::vector<caf::actor> workers) {
  SupervisorState& st = self->state;
  st.context = std::move(context);
  for (auto& handle : workers) {
    self->monitor(handle);
    st.workers.push_back(SupervisorState::Worker{std::move(handle), {}});
  }
  self->set_down_handler([self](caf::down_msg& down) {
    TakeOver(self);
    SupervisorState& st = self->state;
    for (size_t i = 0; i < st.workers.size(); ++i) {
      if (st.workers[i].handle.address() == down.source) {
        ReplaceDeadWorker(self, i);
        Settle(self);
        return;
      }
    }
  });
  return {
      [self](drain_atom) {
        TakeOver(self);
        TakeFromInbox(self->state);
        Settle(self);
      },
      [self](join_atom, uint64_t epoch, const Reply& reply) {
        TakeOver(self);
        SupervisorState& st = self->state;
        // Tasks of `epoch` may still sit in the inbox: the caller ended the
        // epoch after they were pushed, possibly before their drain_atom.
        TakeFromInbox(st);
        st.joins.emplace(epoch, reply);
        Settle(self);
      },
      [self](done_atom, int32_t index, uint64_t claimed) {
        TakeOver(self);
        SupervisorState& st = self->state;
        if (index < 0 || static_cast<size_t>(index) >= st.workers.size() ||
            st.workers[index].batches.empty()) {
          return;  // Not from one of our workers: nothing of ours finished.
        }
        auto& batches = st.workers[index].batches;
        TaskBatchPtr batch = std::move(batches.front());
        batches.pop_front();
        // A worker leaves a batch early for a more urgent newcomer.
        if (batch->HasUnclaimed()) {
          std::deque<QueuedTask> rest;
          batch->ReclaimInto(rest);
          st.waiting.PushFrontInOrder(rest);
        }
        batch->ForEachEpochRun(claimed, [&st](uint64_t epoch, uint64_t count) {
          st.unfinished.Finish(epoch, count);
        });
        if (!st.newest_by_key.empty()) {
          for (size_t i = 0; i < claimed && i < batch->size(); ++i) {
            ForgetKey(st, batch->at(i).control);
          }
        }
        TakeFromInbox(st);
        Settle(self);
      },
      [self](retry_atom, ControlRef& control, uint64_t epoch) {
        TakeOver(self);
        SupervisorState& st = self->state;
        st.unfinished.Add(epoch, 1);
        QueuedTask task{Task(), epoch, std::move(control)};
        if (task.ended_unrun()) {
          Discard(st, task);  // Cancelled during its backoff already.
        } else if (st.closing) {
          FailForGood(st, task);
          Discard(st, task);
        } else {
          int failed = task.control->attempts.load(std::memory_order_acquire);
          Clock::time_point due =
              Clock::now() +
              BackoffDelay(task.control->options.backoff, failed, st.random);
          st.timed.emplace(due, std::move(task));
        }
        Settle(self);
      },
      [self](prune_atom) {
        TakeOver(self);
        SupervisorState& st = self->state;
        st.context.prune_requested->store(false, std::memory_order_release);
        TakeFromInbox(st);
        Prune(st, /*reclaim=*/true);
        Settle(self);
      },
      [self](timer_atom) {
        TakeOver(self);
        SupervisorState& st = self->state;
        st.timer_due.reset();
        Clock::time_point now = Clock::now();
        bool overdue = false;
        while (!st.deadlines.empty() && st.deadlines.top() <= now) {
          st.deadlines.pop();
          overdue = true;
        }
        if (overdue) ExpireOverdue(st, now);
        ReleaseDue(st, now);
        Settle(self);
      },
      [self](pause_atom, const Reply& reply) {
        TakeOver(self);
        self->state.paused = true;
        ReclaimAll(self->state);
        reply->set_value();
      },
      [self](resume_atom) {
        TakeOver(self);
        self->state.paused = false;
        Settle(self);
      },
      [self](clear_atom, const CountReply& reply) {
        TakeOver(self);
        SupervisorState& st = self->state;
        TakeFromInbox(st);
        ReclaimAll(st);
        size_t cancelled = 0;
        RemoveWhere(
            st, [](const QueuedTask&) { return true; },
            [&](QueuedTask& task) {
              if (EndUnrun(st, task, TaskState::kCancelled)) ++cancelled;
            });
        reply->set_value(cancelled);
        Settle(self);
      },
      [self](close_atom) {
        TakeOver(self);
        SupervisorState& st = self->state;
        st.closing = true;
        st.paused = false;
        TakeFromInbox(st);
        for (auto& [due, task] : st.timed) {
          if (!task.task && !task.ended_unrun()) {
            FailForGood(st, task);
          } else {
            EndUnrun(st, task, TaskState::kCancelled);
          }
          Discard(st, task);
        }
        st.timed.clear();
        Settle(self);
      },
  };
}

}  // namespace taskqueue::internal
