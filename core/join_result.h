// What `TaskQueue::join()` tells its caller besides "everything finished".
//
// A fire-and-forget task that throws cannot report to the code that added it,
// so join counts what failed since the previous join returned (on any thread),
// and the caller can act on it:
//
//   taskqueue::JoinResult r = q.join();
//   if (!r.ok()) std::cerr << r.failed << " plots were not written\n";
//
//   if (!q.join_for(std::chrono::seconds(5)).complete) {
//     std::cerr << "plots still being written after 5 s\n";
//   }
//
// Each failure is also handed to `QueueOptions::on_error` when it happens.
#ifndef TASKQUEUE_CORE_JOIN_RESULT_H_
#define TASKQUEUE_CORE_JOIN_RESULT_H_

#include <cstdint>

namespace taskqueue {

struct JoinResult {
  // Tasks that failed since the previous `join()` returned. With joins on
  // several threads each failure is reported by exactly one of them.
  uint64_t failed = 0;
  // Whether every task the join waited for has finished: always true from
  // `join()`; false from `join_for()`/`join_until()` when time ran out first.
  bool complete = true;

  // Everything finished and nothing failed.
  bool ok() const { return complete && failed == 0; }
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_JOIN_RESULT_H_
