#include "actors/remote/node_lease.h"

#include <utility>

#include "absl/base/macros.h"

namespace taskqueue::internal {

NodeLease::NodeLease(size_t slots, size_t prefetch)
    : slots_(slots), window_(slots + prefetch) {
  ABSL_HARDENING_ASSERT(slots_ >= 1);
}

void NodeLease::Add(std::shared_ptr<TaskBatch> batch) {
  Held held;
  held.finished.resize(batch->size());
  held.batch = std::move(batch);
  batches_.push_back(std::move(held));
}

std::optional<NodeLease::Sent> NodeLease::Next() {
  if (in_flight_.size() >= window_) return std::nullopt;
  if (held_back_) {
    if (in_flight_.size() >= slots_) return std::nullopt;
    auto [task, place] = *held_back_;
    held_back_.reset();
    return Send(task, place);
  }
  // std::deque keeps references to its elements valid across push_back and
  // pop_front, which Place relies on.
  for (Held& held : batches_) {
    if (held.exhausted) continue;
    QueuedTask* task = held.batch->Claim();
    if (task == nullptr) {
      held.exhausted = true;
      continue;
    }
    Place place{&held, held.claimed++};
    ++held.unanswered;
    if (task->control && task->control->options.at_most_once &&
        in_flight_.size() >= slots_) {
      held_back_.emplace(task, place);
      return std::nullopt;
    }
    return Send(task, place);
  }
  return std::nullopt;
}

std::optional<NodeLease::Sent> NodeLease::Send(QueuedTask* task, Place place) {
  uint64_t id = next_id_++;
  in_flight_.emplace(id, place);
  return Sent{id, task};
}

std::vector<uint64_t> NodeLease::InFlight() const {
  std::vector<uint64_t> ids;
  ids.reserve(in_flight_.size());
  for (const auto& [id, place] : in_flight_) ids.push_back(id);
  return ids;
}

QueuedTask* NodeLease::Find(uint64_t id) {
  auto it = in_flight_.find(id);
  if (it == in_flight_.end()) return nullptr;
  return &it->second.held->batch->at(it->second.index);
}

bool NodeLease::Finish(uint64_t id) {
  auto it = in_flight_.find(id);
  if (it == in_flight_.end()) return false;
  Held& held = *it->second.held;
  held.finished[it->second.index] = true;
  --held.unanswered;
  while (held.finished_prefix < held.claimed &&
         held.finished[held.finished_prefix]) {
    ++held.finished_prefix;
  }
  // Should the node be lost, the scheduler counts these as over, and looks
  // at the state of each task after them (TaskBatch::MarkFinished).
  held.batch->MarkFinished(held.finished_prefix);
  in_flight_.erase(it);
  return true;
}

std::vector<NodeLease::Done> NodeLease::TakeDone() {
  std::vector<Done> done;
  while (!batches_.empty()) {
    Held& front = batches_.front();
    // Unclaimed tasks may have been taken back meanwhile: nothing left to
    // claim is as good as a claim that failed.
    if (!front.exhausted && front.batch->HasUnclaimed()) break;
    if (front.unanswered > 0) break;
    done.push_back(Done{front.batch->sequence(), front.claimed});
    batches_.pop_front();
  }
  return done;
}

}  // namespace taskqueue::internal
