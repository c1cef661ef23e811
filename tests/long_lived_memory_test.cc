// A long-lived queue keeps no memory for joins that are over, however many
// there were. (That ended tasks leave no deadline behind is checked exactly,
// on the scheduler: scheduler_test.cc, NoDeadlineIsTrackedOnceTheTasksEnded.
// Through the heap it could not be: the inbox's reused buffers move by a few
// megabytes between bursts of 2^18 tasks.)
//
// Measured through the allocator: the bytes in use, after the queue has
// handled everything sent to it, against the same run without the feature
// under test. The leak this guards against grows with the number of joins
// (about 200 bytes each), so the bound is half of what it would keep, far
// above the allocator's noise.
#include <malloc.h>

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// ASan and TSan replace malloc, and mallinfo2() with it; their runtimes
// count the bytes in use themselves (sanitizer/allocator_interface.h, which
// Debian's GCC does not ship).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace taskqueue {
namespace {

using test_support::WorkerHold;

// Heap bytes in use now.
int64_t HeapInUse() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return static_cast<int64_t>(__sanitizer_get_current_allocated_bytes());
#else
  struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
#endif
}

// Returns once the supervisor has handled every message sent to it so far
// (pause() is answered in order), leaving the queue as it was.
void Settle(TaskQueue& q) {
  q.pause();
  q.resume();
}

constexpr int kPolls = 20000;

// Joins that complete keep nothing either.
TEST(LongLivedMemoryTest, CompletedJoinsLeaveNothingBehind) {
  TaskQueue q(1);
  for (int i = 0; i < 1000; ++i) q.join_for(std::chrono::nanoseconds(0));
  Settle(q);
  const int64_t before = HeapInUse();
  for (int i = 0; i < kPolls; ++i) {
    ASSERT_TRUE(q.join_for(std::chrono::nanoseconds(0)).complete);
  }
  Settle(q);
  const int64_t kept = HeapInUse() - before;
  EXPECT_LT(kept, int64_t{kPolls} * 100 / 2)
      << kPolls << " completed joins keep " << kept << " bytes";
}

// A join_for() that times out takes its reply back from the supervisor
// (defect 8 of issue 9: a loop polling join_for() while a task ran for
// hours grew without bound).
TEST(LongLivedMemoryTest, TimedOutJoinsLeaveNothingBehind) {
  TaskQueue q(1);
  WorkerHold hold;
  hold.Occupy(q, 1);  // Runs until released: every join below times out.
  for (int i = 0; i < 1000; ++i) q.join_for(std::chrono::nanoseconds(0));
  Settle(q);
  const int64_t before = HeapInUse();
  for (int i = 0; i < kPolls; ++i) {
    ASSERT_FALSE(q.join_for(std::chrono::nanoseconds(0)).complete);
  }
  Settle(q);
  const int64_t kept = HeapInUse() - before;
  EXPECT_LT(kept, int64_t{kPolls} * 100 / 2)
      << kPolls << " timed-out joins keep " << kept << " bytes";
  hold.ReleaseAll();
  EXPECT_TRUE(q.join().complete);
}

}  // namespace
}  // namespace taskqueue
