// EpochLedger: the supervisor's count of unfinished tasks per join epoch (see
// task_inbox.h), which tells when a join may be answered. Not thread-safe:
// only the supervisor actor touches it.
#ifndef TASKQUEUE_ACTORS_EPOCH_LEDGER_H_
#define TASKQUEUE_ACTORS_EPOCH_LEDGER_H_

#include <cstdint>
#include <map>

namespace taskqueue::internal {

class EpochLedger {
 public:
  // `count` more tasks of `epoch` are waiting or running.
  void Add(uint64_t epoch, uint64_t count) { unfinished_[epoch] += count; }

  // `count` tasks of `epoch` have finished. Finishing more than were added
  // is a bug in the supervisor; the count stops at zero.
  void Finish(uint64_t epoch, uint64_t count) {
    auto it = unfinished_.find(epoch);
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

 private:
  // Ordered, so the oldest epoch with unfinished tasks is the first key. Few
  // keys at a time: epochs only advance when someone joins.
  std::map<uint64_t, uint64_t> unfinished_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_EPOCH_LEDGER_H_
