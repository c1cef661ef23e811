// JoinLedger: which joins may be answered. It counts the unfinished tasks of
// each join epoch (see task_inbox.h) and holds the joins waiting for them; a
// join for epoch e is answerable once every task of every epoch <= e has
// finished. Joins that give up (join_for) are forgotten at once, so the
// ledger holds nothing for work that is over.
//
// Not thread-safe: part of the single-threaded Scheduler.
#ifndef TASKQUEUE_ACTORS_SCHEDULER_JOIN_LEDGER_H_
#define TASKQUEUE_ACTORS_SCHEDULER_JOIN_LEDGER_H_

#include <cstdint>
#include <map>
#include <vector>

#include "absl/base/macros.h"

namespace taskqueue::internal {

using JoinId = uint64_t;

class JoinLedger {
 public:
  // `count` more tasks of `epoch` are waiting or running.
  void Add(uint64_t epoch, uint64_t count) { unfinished_[epoch] += count; }

  // `count` tasks of `epoch` have finished. Finishing more than were added
  // is a bug of the caller.
  void Finish(uint64_t epoch, uint64_t count) {
    auto it = unfinished_.find(epoch);
    ABSL_HARDENING_ASSERT(it != unfinished_.end() && it->second >= count);
    if (it == unfinished_.end()) return;
    if (it->second <= count) {
      unfinished_.erase(it);
    } else {
      it->second -= count;
    }
  }

  // Whether every task of every epoch <= `epoch` has finished.
  bool AllFinishedThrough(uint64_t epoch) const {
    return unfinished_.empty() || unfinished_.begin()->first > epoch;
  }

  // Join `id` waits for epoch `epoch`. Ids are unique.
  void Await(JoinId id, uint64_t epoch) {
    waiting_.emplace(id, epoch);
    by_epoch_.emplace(epoch, id);
  }

  // Join `id` gave up; unknown ids (answered already) are ignored.
  void Forget(JoinId id) {
    auto it = waiting_.find(id);
    if (it == waiting_.end()) return;
    auto [first, last] = by_epoch_.equal_range(it->second);
    for (auto e = first; e != last; ++e) {
      if (e->second == id) {
        by_epoch_.erase(e);
        break;
      }
    }
    waiting_.erase(it);
  }

  // Moves the joins that may be answered now to the back of `out`, oldest
  // epoch first.
  void TakeAnswerable(std::vector<JoinId>& out) {
    while (!by_epoch_.empty() && AllFinishedThrough(by_epoch_.begin()->first)) {
      out.push_back(by_epoch_.begin()->second);
      waiting_.erase(by_epoch_.begin()->second);
      by_epoch_.erase(by_epoch_.begin());
    }
  }

  size_t joins_waiting() const { return waiting_.size(); }
  size_t epochs_unfinished() const { return unfinished_.size(); }

 private:
  // Ordered, so the oldest epoch with unfinished tasks is the first key. Few
  // keys at a time: epochs only advance when someone joins.
  std::map<uint64_t, uint64_t> unfinished_;
  std::map<JoinId, uint64_t> waiting_;
  std::multimap<uint64_t, JoinId> by_epoch_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SCHEDULER_JOIN_LEDGER_H_
