// A strict parser of Prometheus' text exposition format (0.0.4), for tests
// of /metrics pages: it checks what a Prometheus server would refuse or
// misread (a sample before its family's TYPE, a family declared twice, bad
// names, bad escapes, bad numbers, a histogram whose buckets are not
// cumulative or whose +Inf bucket is not its count) and returns the samples.
#ifndef TASKQUEUE_TESTS_METRICS_PROMETHEUS_PARSER_H_
#define TASKQUEUE_TESTS_METRICS_PROMETHEUS_PARSER_H_

#include <map>
#include <string>
#include <vector>

namespace taskqueue_test {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct PromPage {
  std::map<std::string, std::string> types;  // Family name -> type.
  std::map<std::string, std::string> help;
  std::vector<PromSample> samples;

  // The value of the one sample with `name` and exactly `labels`; NaN when
  // there is none.
  double Value(const std::string& name,
               const std::map<std::string, std::string>& labels = {}) const;
};

// The page, or an error naming the line: `error` empty on success.
PromPage ParsePrometheusText(const std::string& text, std::string* error);

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_METRICS_PROMETHEUS_PARSER_H_
