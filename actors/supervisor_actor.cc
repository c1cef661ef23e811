#include "actors/supervisor_actor.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "actors/message_handoff.h"

namespace taskqueue::internal {
namespace {

using Self = caf::stateful_actor<SupervisorState>;

void TakeFromInbox(SupervisorState& st) {
  size_t before = st.waiting.size();
  st.inbox->DrainInto(st.waiting);
  for (size_t i = before; i < st.waiting.size();) {
    size_t end = i + 1;
    while (end < st.waiting.size() &&
           st.waiting[end].epoch == st.waiting[i].epoch) {
      ++end;
    }
    st.unfinished.Add(st.waiting[i].epoch, end - i);
    i = end;
  }
}

// When a worker has run dry while others still hold unclaimed tasks, takes
// those back into `waiting`. Returns whether it took any.
bool ReclaimForIdleWorker(SupervisorState& st) {
  bool any_idle = std::any_of(st.workers.begin(), st.workers.end(),
                              [](const auto& w) { return w.batches.empty(); });
  if (!any_idle) return false;
  for (auto& worker : st.workers) {
    for (auto& batch : worker.batches) {
      if (batch->HasUnclaimed()) batch->ReclaimInto(st.waiting);
    }
  }
  return !st.waiting.empty();
}

SupervisorState::Worker* LeastLoadedWorker(SupervisorState& st) {
  auto it = std::min_element(st.workers.begin(), st.workers.end(),
                             [](const auto& a, const auto& b) {
                               return a.batches.size() < b.batches.size();
                             });
  if (it == st.workers.end() ||
      it->batches.size() >= SupervisorState::kMaxBatchesPerWorker) {
    return nullptr;
  }
  return &*it;
}

// At least 1 whenever LeastLoadedWorker() found a worker.
size_t FreeBatchSlots(const SupervisorState& st) {
  size_t free = 0;
  for (const auto& worker : st.workers) {
    free += SupervisorState::kMaxBatchesPerWorker - worker.batches.size();
  }
  return free;
}

void Dispatch(Self* self) {
  SupervisorState& st = self->state;
  for (;;) {
    if (st.waiting.empty() && !ReclaimForIdleWorker(st)) return;
    SupervisorState::Worker* worker = LeastLoadedWorker(st);
    if (worker == nullptr) return;
    // Spread what waits over the free batch slots, so one worker does not
    // take it all while the others idle.
    size_t n = std::clamp(st.waiting.size() / FreeBatchSlots(st), size_t{1},
                          SupervisorState::kMaxBatch);
    std::vector<QueuedTask> tasks(
        std::make_move_iterator(st.waiting.begin()),
        std::make_move_iterator(st.waiting.begin() + n));
    st.waiting.erase(st.waiting.begin(), st.waiting.begin() + n);
    auto batch = std::make_shared<TaskBatch>(std::move(tasks));
    worker->batches.push_back(batch);
    HandOffTo(worker->handle);
    self->send(worker->handle, run_atom::value, std::move(batch));
  }
}

void AnswerJoins(SupervisorState& st) {
  while (!st.joins.empty() &&
         st.unfinished.AllFinishedThrough(st.joins.begin()->first)) {
    HandOffTo(st.joins.begin()->second.caller);
    st.joins.begin()->second.promise.deliver(caf::ok_atom::value);
    st.joins.erase(st.joins.begin());
  }
}

}  // namespace

caf::behavior supervisor_actor(Self* self, std::shared_ptr<TaskInbox> inbox,
                               std::vector<caf::actor> workers) {
  SupervisorState& st = self->state;
  st.inbox = std::move(inbox);
  for (auto& handle : workers) {
    st.workers.push_back(SupervisorState::Worker{std::move(handle), {}});
  }
  return {
      [self](drain_atom) {
        TakeOver(self);
        TakeFromInbox(self->state);
        Dispatch(self);
      },
      [self](join_atom, uint64_t epoch) {
        TakeOver(self);
        SupervisorState& st = self->state;
        // Tasks of `epoch` may still sit in the inbox: the caller ended the
        // epoch after they were pushed, possibly before their drain_atom.
        TakeFromInbox(st);
        Dispatch(self);
        auto caller = self->current_sender();
        auto promise = self->make_response_promise<caf::ok_atom>();
        if (st.unfinished.AllFinishedThrough(epoch)) {
          HandOffTo(caller);
          promise.deliver(caf::ok_atom::value);
        } else {
          st.joins.emplace(epoch,
                           SupervisorState::PendingJoin{caller, promise});
        }
        return promise;
      },
      [self](done_atom, int32_t index, uint64_t ran) {
        TakeOver(self);
        SupervisorState& st = self->state;
        if (index < 0 || static_cast<size_t>(index) >= st.workers.size() ||
            st.workers[index].batches.empty()) {
          return;  // Not from one of our workers: nothing of ours finished.
        }
        auto& batches = st.workers[index].batches;
        TaskBatchPtr batch = std::move(batches.front());
        batches.pop_front();
        batch->ForEachEpochRun(ran, [&st](uint64_t epoch, uint64_t count) {
          st.unfinished.Finish(epoch, count);
        });
        TakeFromInbox(st);
        Dispatch(self);
        AnswerJoins(st);
      },
  };
}

}  // namespace taskqueue::internal
