// An idle queue costs (next to) no CPU: whatever spins before blocking
// (a join watching the counters, ...) stops on its own. A spin that never
// stops would use a whole core for the whole idle window; the bound below is
// a tenth of that, so CPU time, which a loaded machine does not inflate,
// tells the two apart without timing anything.
#include <time.h>

#include <chrono>
#include <thread>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"

namespace taskqueue {
namespace {

// CPU time used so far by every thread of this process.
std::chrono::nanoseconds ProcessCpuTime() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

class IdleCpu : public ::testing::TestWithParam<int> {};
INSTANTIATE_TEST_SUITE_P(Workers, IdleCpu, ::testing::Values(1, 4));

TEST_P(IdleCpu, AfterABurstAndAJoinTheQueueSleeps) {
  constexpr auto kIdle = std::chrono::milliseconds(500);
  TaskQueue q(GetParam());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 1000; ++i) q.add_task([] {});
    ASSERT_TRUE(q.join().ok());
  }
  // A join that returns at once (nothing queued) and one that times out
  // while paused: neither may leave anything spinning.
  ASSERT_TRUE(q.join().ok());
  q.pause();
  q.add_task([] {});
  EXPECT_FALSE(q.join_for(std::chrono::milliseconds(1)).complete);

  auto before = ProcessCpuTime();
  std::this_thread::sleep_for(kIdle);
  auto used = ProcessCpuTime() - before;
  EXPECT_LT(used, kIdle / 10)
      << "CPU used while idle: "
      << std::chrono::duration<double, std::milli>(used).count() << " ms";
  q.resume();
  EXPECT_TRUE(q.join().ok());
}

}  // namespace
}  // namespace taskqueue
