// Saturating time arithmetic for the API boundary. Internal to taskqueue.
//
// Callers say "for ever" with duration::max() or time_point::max(), or with a
// timeout in hours or seconds that nanoseconds cannot hold. Plain arithmetic
// on such values overflows (undefined, and in practice a time in the past:
// the wait ends at once). Here a sum past the end of the clock is
// time_point::max(), "never", and one before its start time_point::min(),
// "long ago"; nothing overflows.
#ifndef TASKQUEUE_CORE_SATURATING_TIME_H_
#define TASKQUEUE_CORE_SATURATING_TIME_H_

#include <chrono>
#include <ratio>

namespace taskqueue::internal {

using SteadyClock = std::chrono::steady_clock;

// `at + d`, saturated to [time_point::min(), time_point::max()].
constexpr SteadyClock::time_point SaturatingAdd(SteadyClock::time_point at,
                                                SteadyClock::duration d) {
  using TimePoint = SteadyClock::time_point;
  if (d > d.zero() && at > TimePoint::max() - d) return TimePoint::max();
  if (d < d.zero() && at < TimePoint::min() - d) return TimePoint::min();
  return at + d;
}

// now() + `timeout`, for a duration of any type, rounded up to the clock's
// tick: time_point::max() when that is past the end of the clock
// (nanoseconds::max(), hours::max(), duration<double>(1e300)); now() for a
// negative or NaN timeout.
template <class Rep, class Period>
SteadyClock::time_point DeadlineAfter(
    std::chrono::duration<Rep, Period> timeout) {
  using TimePoint = SteadyClock::time_point;
  // Compared in long double, which holds any of these without overflow (and
  // every 64-bit count exactly): converting `timeout` to the clock's
  // nanoseconds first could overflow.
  using Nanos = std::chrono::duration<long double, std::nano>;
  const TimePoint now = SteadyClock::now();
  const Nanos wanted = std::chrono::duration_cast<Nanos>(timeout);
  if (!(wanted > Nanos::zero())) return now;
  const Nanos room = std::chrono::duration_cast<Nanos>(TimePoint::max() - now);
  if (wanted >= room) return TimePoint::max();
  return now + std::chrono::ceil<SteadyClock::duration>(wanted);
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_CORE_SATURATING_TIME_H_
