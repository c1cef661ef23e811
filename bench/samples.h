// Samples: timings collected during one benchmark run, summarized as the
// counters the results table reads (mean, p50, p99).
#ifndef TASKQUEUE_BENCH_SAMPLES_H_
#define TASKQUEUE_BENCH_SAMPLES_H_

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

namespace taskqueue_bench {

class Samples {
 public:
  void Reserve(size_t n) { values_.reserve(n); }
  void Add(double value) { values_.push_back(value); }
  size_t size() const { return values_.size(); }

  double Mean() const {
    if (values_.empty()) return 0;
    return std::accumulate(values_.begin(), values_.end(), 0.0) /
           static_cast<double>(values_.size());
  }

  // The nearest-rank percentile, p in [0, 100]. Reorders the samples.
  double Percentile(double p) {
    if (values_.empty()) return 0;
    size_t rank = static_cast<size_t>(p / 100 * (values_.size() - 1) + 0.5);
    auto nth = values_.begin() + static_cast<std::ptrdiff_t>(rank);
    std::nth_element(values_.begin(), nth, values_.end());
    return *nth;
  }

 private:
  std::vector<double> values_;
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_SAMPLES_H_
