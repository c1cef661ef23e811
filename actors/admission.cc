#include "actors/admission.h"

#include "taskqueue/saturating_time.h"

namespace taskqueue::internal {

Admission::Result Admission::Enter() {
  absl::MutexLock lock(&mu_);
  if (closed_) return Result::kClosed;
  if (queued_ >= max_) {
    if (policy_ == OverflowPolicy::kReject) return Result::kFull;
    auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return closed_ || queued_ < max_;
    };
    absl::Condition has_room(&room);
    if (block_timeout_) {
      // Measured on steady_clock, the producer's: Abseil's wait, timed on
      // its own clock, can end a little before the timeout by this one.
      const SteadyClock::time_point deadline =
          SaturatingAdd(SteadyClock::now(), *block_timeout_);
      while (!room()) {
        const SteadyClock::duration left = deadline - SteadyClock::now();
        if (left <= left.zero()) return Result::kTimedOut;
        mu_.AwaitWithTimeout(has_room, absl::FromChrono(left));
      }
    } else {
      mu_.Await(has_room);
    }
    if (closed_) return Result::kClosed;
  }
  ++queued_;
  return Result::kAdmitted;
}

void Admission::ForceEnter() {
  absl::MutexLock lock(&mu_);
  ++queued_;
}

void Admission::Leave(size_t n) {
  absl::MutexLock lock(&mu_);
  queued_ = queued_ > n ? queued_ - n : 0;
}

void Admission::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

}  // namespace taskqueue::internal
