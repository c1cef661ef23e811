// LatencyHistogram: a log-linear histogram of durations, for the percentiles
// in Stats. Buckets are an eighth of a power of two wide, so a percentile read
// from it is at most 12.5% above the true value, in fixed memory (4 KiB) and
// with one relaxed store per recorded value.
//
// Thread-safety: one writer (a worker records its own tasks); any number of
// readers (MergeInto) at the same time.
#ifndef TASKQUEUE_ACTORS_LATENCY_HISTOGRAM_H_
#define TASKQUEUE_ACTORS_LATENCY_HISTOGRAM_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "taskqueue/stats.h"

namespace taskqueue::internal {

class LatencyHistogram {
 public:
  static constexpr size_t kBuckets = 8 * 62;
  using Counts = std::array<uint64_t, kBuckets>;

  void Record(std::chrono::nanoseconds d) {
    uint64_t ns = d.count() > 0 ? static_cast<uint64_t>(d.count()) : 0;
    Bump(buckets_[BucketOf(ns)]);
    sum_.store(sum_.load(std::memory_order_relaxed) + ns,
               std::memory_order_relaxed);
    if (ns > max_.load(std::memory_order_relaxed)) {
      max_.store(ns, std::memory_order_relaxed);
    }
  }

  // Several histograms' counts added up.
  struct Merged {
    Counts counts{};
    uint64_t max = 0;
    uint64_t sum = 0;  // Nanoseconds.
  };
  void MergeInto(Merged& merged) const {
    for (size_t i = 0; i < kBuckets; ++i) {
      merged.counts[i] += buckets_[i].load(std::memory_order_relaxed);
    }
    merged.max = std::max(merged.max, max_.load(std::memory_order_relaxed));
    merged.sum += sum_.load(std::memory_order_relaxed);
  }

  static Percentiles Summarize(const Merged& merged) {
    const Counts& counts = merged.counts;
    const uint64_t max = merged.max;
    Percentiles p;
    for (uint64_t c : counts) p.count += c;
    p.sum = std::chrono::nanoseconds(merged.sum);
    // A value counts below a bound when its bucket's upper bound does: at
    // most 12.5% of a bound's values are missed, never one above it.
    for (size_t b = 0, i = 0; b < Percentiles::kBounds.size(); ++b) {
      uint64_t below = b == 0 ? 0 : p.cumulative[b - 1];
      for (; i < kBuckets && static_cast<int64_t>(UpperBound(i)) <=
                                 Percentiles::kBounds[b].count();
           ++i) {
        below += counts[i];
      }
      p.cumulative[b] = below;
    }
    if (p.count == 0) return p;
    auto at = [&](double q) {
      uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(p.count));
      if (rank == 0) rank = 1;
      uint64_t seen = 0;
      for (size_t i = 0; i < kBuckets; ++i) {
        seen += counts[i];
        if (seen >= rank) {
          return std::chrono::nanoseconds(std::min(UpperBound(i), max));
        }
      }
      return std::chrono::nanoseconds(max);
    };
    p.p50 = at(0.50);
    p.p90 = at(0.90);
    p.p99 = at(0.99);
    p.max = std::chrono::nanoseconds(max);
    return p;
  }

 private:
  // Values below 8 get a bucket each; above, 8 buckets per power of two.
  static size_t BucketOf(uint64_t ns) {
    if (ns < 8) return ns;
    int e = std::bit_width(ns) - 1;  // 2^e <= ns < 2^(e+1), e >= 3.
    return 8 * static_cast<size_t>(e - 2) + ((ns >> (e - 3)) & 7);
  }

  static uint64_t UpperBound(size_t bucket) {
    if (bucket < 8) return bucket;
    size_t e = bucket / 8 + 2;
    uint64_t sub = bucket % 8;
    return ((8 + sub + 1) << (e - 3)) - 1;
  }

  static void Bump(std::atomic<uint64_t>& c) {
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> max_{0};
  std::atomic<uint64_t> sum_{0};
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_LATENCY_HISTOGRAM_H_
