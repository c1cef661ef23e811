// PrometheusText: writes metrics in Prometheus' text exposition format
// (version 0.0.4), the body of a /metrics page. Each family (one name, one
// type, one help text) is declared once and its samples follow it, as the
// format requires.
//
//   PrometheusText out;
//   out.Family("taskqueue_tasks_completed_total", "counter",
//              "Tasks that returned normally.");
//   out.Sample("taskqueue_tasks_completed_total", {}, 1234);
//   out.Family("taskqueue_node_connected", "gauge", "1 while connected.");
//   out.Sample("taskqueue_node_connected", {{"node", "gpu-1"}}, 1);
//   std::string body = out.text();  // Content-Type: kContentType
//
// Label values are escaped (backslash, quote, newline); names must be valid
// metric and label names (asserted in debug builds). Not thread-safe.
#ifndef TASKQUEUE_ACTORS_METRICS_PROMETHEUS_TEXT_H_
#define TASKQUEUE_ACTORS_METRICS_PROMETHEUS_TEXT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace taskqueue::internal {

class PrometheusText {
 public:
  static constexpr const char* kContentType =
      "text/plain; version=0.0.4; charset=utf-8";
  using Labels = std::vector<std::pair<std::string, std::string>>;

  // `type`: "counter", "gauge" or "histogram".
  void Family(const std::string& name, const std::string& type,
              const std::string& help);
  // One sample: `name` is the family's, or for a histogram its _bucket,
  // _sum or _count series.
  void Sample(const std::string& name, const Labels& labels, double value);

  // A histogram's series from cumulative bucket counts: `bounds[i]` is the
  // upper bound (inclusive) of bucket i, `cumulative[i]` the observations
  // at or below it; +Inf is `count`.
  void Histogram(const std::string& name, const Labels& labels,
                 const std::vector<double>& bounds,
                 const std::vector<uint64_t>& cumulative, uint64_t count,
                 double sum);

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_METRICS_PROMETHEUS_TEXT_H_
