// BackoffDelay: the wait before a retry, min(max_delay, initial_delay *
// multiplier^(failures - 1)) shortened by up to `jitter` of itself, and
// never an overflow for "for ever" inputs.
#include "actors/scheduler/backoff_delay.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using Duration = std::chrono::steady_clock::duration;
using std::chrono::milliseconds;
using std::chrono::seconds;

Backoff NoJitter(Duration initial, double multiplier, Duration max) {
  return Backoff{.initial_delay = initial,
                 .multiplier = multiplier,
                 .max_delay = max,
                 .jitter = 0};
}

TEST(BackoffDelayTest, WithoutJitterFollowsTheFormula) {
  Backoff backoff = NoJitter(milliseconds(100), 2.0, seconds(1));
  std::minstd_rand random(1);
  EXPECT_EQ(BackoffDelay(backoff, 1, random), milliseconds(100));
  EXPECT_EQ(BackoffDelay(backoff, 2, random), milliseconds(200));
  EXPECT_EQ(BackoffDelay(backoff, 3, random), milliseconds(400));
  EXPECT_EQ(BackoffDelay(backoff, 4, random), milliseconds(800));
  // Capped by max_delay from here on.
  EXPECT_EQ(BackoffDelay(backoff, 5, random), seconds(1));
  EXPECT_EQ(BackoffDelay(backoff, 30, random), seconds(1));
}

TEST(BackoffDelayTest, MultiplierOneKeepsTheInitialDelay) {
  Backoff backoff = NoJitter(milliseconds(250), 1.0, seconds(10));
  std::minstd_rand random(1);
  for (int failures = 1; failures <= 5; ++failures) {
    EXPECT_EQ(BackoffDelay(backoff, failures, random), milliseconds(250));
  }
}

TEST(BackoffDelayTest, ZeroInitialDelayRetriesAtOnce) {
  Backoff backoff = NoJitter(Duration::zero(), 2.0, seconds(10));
  std::minstd_rand random(1);
  EXPECT_EQ(BackoffDelay(backoff, 1, random), Duration::zero());
  EXPECT_EQ(BackoffDelay(backoff, 10, random), Duration::zero());
}

TEST(BackoffDelayTest, JitterShortensWithinItsBounds) {
  Backoff backoff{.initial_delay = seconds(1),
                  .multiplier = 2.0,
                  .max_delay = seconds(60),
                  .jitter = 0.25};
  std::minstd_rand random(42);
  Duration lowest = Duration::max();
  Duration highest = Duration::min();
  for (int i = 0; i < 1000; ++i) {
    Duration d = BackoffDelay(backoff, 2, random);  // 2 s before jitter.
    ASSERT_GE(d, milliseconds(1500));
    ASSERT_LE(d, seconds(2));
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  // It does spread the retries, and over most of its range.
  EXPECT_LT(lowest, milliseconds(1600));
  EXPECT_GT(highest, milliseconds(1900));
}

TEST(BackoffDelayTest, FullJitterStaysBetweenZeroAndTheDelay) {
  Backoff backoff{.initial_delay = seconds(1),
                  .multiplier = 2.0,
                  .max_delay = seconds(60),
                  .jitter = 1.0};
  std::minstd_rand random(7);
  for (int i = 0; i < 1000; ++i) {
    Duration d = BackoffDelay(backoff, 1, random);
    ASSERT_GE(d, Duration::zero());
    ASSERT_LE(d, seconds(1));
  }
}

TEST(BackoffDelayTest, JitterAppliesAfterTheCap) {
  Backoff backoff{.initial_delay = seconds(1),
                  .multiplier = 10.0,
                  .max_delay = seconds(5),
                  .jitter = 0.5};
  std::minstd_rand random(3);
  for (int i = 0; i < 200; ++i) {
    Duration d = BackoffDelay(backoff, 4, random);  // 1000 s, capped to 5 s.
    ASSERT_GE(d, milliseconds(2500));
    ASSERT_LE(d, seconds(5));
  }
}

TEST(BackoffDelayTest, ForEverInputsSaturateInsteadOfOverflowing) {
  std::minstd_rand random(1);
  // duration::max() converts to 2^63 as a double, which does not convert
  // back: the result must be duration::max(), not a negative wait.
  EXPECT_EQ(
      BackoffDelay(NoJitter(Duration::max(), 2.0, Duration::max()), 1, random),
      Duration::max());
  EXPECT_EQ(
      BackoffDelay(NoJitter(Duration::max(), 2.0, Duration::max()), 5, random),
      Duration::max());
  // A product past the end of the clock, uncapped.
  EXPECT_EQ(
      BackoffDelay(NoJitter(seconds(1), 10.0, Duration::max()), 100, random),
      Duration::max());
  // A multiplier whose power is infinite.
  EXPECT_EQ(
      BackoffDelay(NoJitter(seconds(1), 1e300, Duration::max()), 3, random),
      Duration::max());
}

TEST(BackoffDelayTest, HugeDelaysWithJitterStayPositive) {
  Backoff backoff{.initial_delay = Duration::max(),
                  .multiplier = 2.0,
                  .max_delay = Duration::max(),
                  .jitter = 0.2};
  std::minstd_rand random(11);
  for (int i = 0; i < 1000; ++i) {
    Duration d = BackoffDelay(backoff, 3, random);
    // 80% of the largest duration at least: an overflow would wrap negative.
    ASSERT_GE(d.count(), Duration::max().count() / 10 * 8 - 1000);
  }
}

TEST(BackoffDelayTest, DeterministicForAGivenSeed) {
  Backoff backoff{.initial_delay = milliseconds(100),
                  .multiplier = 2.0,
                  .max_delay = seconds(10),
                  .jitter = 0.5};
  std::minstd_rand a(1234);
  std::minstd_rand b(1234);
  std::vector<Duration> first;
  std::vector<Duration> second;
  for (int failures = 1; failures <= 20; ++failures) {
    first.push_back(BackoffDelay(backoff, failures, a));
    second.push_back(BackoffDelay(backoff, failures, b));
  }
  EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace taskqueue::internal
