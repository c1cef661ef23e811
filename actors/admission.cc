#include "actors/admission.h"

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
      if (!mu_.AwaitWithTimeout(has_room, absl::FromChrono(*block_timeout_))) {
        return Result::kTimedOut;
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
