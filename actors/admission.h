// Admission: the bound of a queue that blocks or rejects producers when full
// (QueueOptions::max_queued with kBlock or kReject; kDropOldest needs no
// producer-side count: the supervisor drops what it holds beyond the bound).
// It counts the tasks that are queued (accepted, not yet started: waiting in
// the inbox, with the supervisor, in a batch not yet claimed, or in a delay)
// and makes producers wait, or refuses them, when the bound is reached.
//
// Every task counted by Enter() or ForceEnter() is let go by exactly one
// Leave(): when a worker claims it, or when the supervisor takes it out of
// the queue unrun.
//
// Thread-safety: every method is thread-safe. Enter() may block (kBlock).
#ifndef TASKQUEUE_ACTORS_ADMISSION_H_
#define TASKQUEUE_ACTORS_ADMISSION_H_

#include <chrono>
#include <cstddef>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "taskqueue/queue_options.h"

namespace taskqueue::internal {

class Admission {
 public:
  enum class Result { kAdmitted, kFull, kTimedOut, kClosed };

  // `policy` is kBlock or kReject.
  Admission(size_t max_queued, OverflowPolicy policy,
            std::optional<std::chrono::steady_clock::duration> block_timeout)
      : max_(max_queued), policy_(policy), block_timeout_(block_timeout) {}

  // Counts a new task in, per the overflow policy: kBlock waits while full
  // (until the timeout: kTimedOut, or Close(): kClosed); kReject returns kFull
  // when full.
  Result Enter();

  // Counts in a task going back to the queue (a retry): never waits.
  void ForceEnter();

  // `n` counted tasks left the queue.
  void Leave(size_t n = 1);

  // Releases every waiting producer with kClosed, and refuses later ones.
  void Close();

 private:
  const size_t max_;
  const OverflowPolicy policy_;
  const std::optional<std::chrono::steady_clock::duration> block_timeout_;

  mutable absl::Mutex mu_;
  size_t queued_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_ADMISSION_H_
