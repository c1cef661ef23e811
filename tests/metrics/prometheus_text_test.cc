// PrometheusText's pages parse as Prometheus would read them, with labels
// escaped and histograms cumulative; the parser refuses what Prometheus
// would (so that a test that passes it means something).
#include "actors/metrics/prometheus_text.h"

#include <chrono>
#include <cmath>
#include <string>

#include "actors/latency_histogram.h"
#include "gtest/gtest.h"
#include "tests/metrics/prometheus_parser.h"

namespace taskqueue::internal {
namespace {

using taskqueue_test::ParsePrometheusText;
using taskqueue_test::PromPage;

TEST(PrometheusText, WritesFamiliesAndEscapedLabels) {
  PrometheusText out;
  out.Family("tq_done_total", "counter", "Tasks done.\nAll of them \\ here.");
  out.Sample("tq_done_total", {}, 12);
  out.Family("tq_node_up", "gauge", "1 while connected.");
  out.Sample("tq_node_up", {{"node", "gpu \"1\"\\x\nnext"}}, 1);
  out.Sample("tq_node_up", {{"node", "cpu"}}, 0.25);
  std::string error;
  PromPage page = ParsePrometheusText(out.text(), &error);
  ASSERT_EQ(error, "") << out.text();
  EXPECT_EQ(page.types.at("tq_done_total"), "counter");
  EXPECT_EQ(page.help.at("tq_done_total"),
            "Tasks done.\\nAll of them \\\\ here.");
  EXPECT_EQ(page.Value("tq_done_total"), 12);
  EXPECT_EQ(page.Value("tq_node_up", {{"node", "gpu \"1\"\\x\nnext"}}), 1);
  EXPECT_EQ(page.Value("tq_node_up", {{"node", "cpu"}}), 0.25);
}

TEST(PrometheusText, WritesACumulativeHistogram) {
  PrometheusText out;
  out.Family("tq_wait_seconds", "histogram", "Waits.");
  out.Histogram("tq_wait_seconds", {{"queue", "a"}}, {0.001, 0.1, 1}, {2, 5, 7},
                9, 3.5);
  std::string error;
  PromPage page = ParsePrometheusText(out.text(), &error);
  ASSERT_EQ(error, "") << out.text();
  EXPECT_EQ(
      page.Value("tq_wait_seconds_bucket", {{"queue", "a"}, {"le", "0.001"}}),
      2);
  EXPECT_EQ(page.Value("tq_wait_seconds_bucket", {{"queue", "a"}, {"le", "1"}}),
            7);
  EXPECT_EQ(
      page.Value("tq_wait_seconds_bucket", {{"queue", "a"}, {"le", "+Inf"}}),
      9);
  EXPECT_EQ(page.Value("tq_wait_seconds_count", {{"queue", "a"}}), 9);
  EXPECT_EQ(page.Value("tq_wait_seconds_sum", {{"queue", "a"}}), 3.5);
}

TEST(PrometheusParser, RefusesWhatPrometheusWould) {
  for (const char* bad : {
           "tq_x 1\n",                                  // No TYPE.
           "# TYPE tq_x counter\ntq_x one\n",           // Bad value.
           "# TYPE tq_x counter\ntq_x{a=\"1} 1\n",      // Unterminated.
           "# TYPE tq_x counter\ntq_x{a=\"\\q\"} 1\n",  // Bad escape.
           "# TYPE tq_x counter\n# TYPE tq_x gauge\n",  // Twice.
           "# TYPE tq_x counter\ntq_x 1\n# TYPE tq_y gauge\ntq_y 1\ntq_x 2\n",
           "# TYPE tq_h histogram\ntq_h_bucket{le=\"1\"} 5\n"
           "tq_h_bucket{le=\"+Inf\"} 4\ntq_h_count 4\ntq_h_sum 1\n",
           "# TYPE tq_x counter\ntq_x 1",  // No newline.
       }) {
    std::string error;
    ParsePrometheusText(bad, &error);
    EXPECT_NE(error, "") << bad;
  }
}

TEST(LatencyHistogram, CountsEachBoundsValuesCumulatively) {
  using std::chrono::microseconds;
  LatencyHistogram histogram;
  for (microseconds d :
       {microseconds(5), microseconds(50), microseconds(50), microseconds(3000),
        microseconds(700000), microseconds(30000000), microseconds(90000000)}) {
    histogram.Record(d);
  }
  LatencyHistogram::Merged merged;
  histogram.MergeInto(merged);
  Percentiles p = LatencyHistogram::Summarize(merged);
  EXPECT_EQ(p.count, 7u);
  EXPECT_EQ(p.sum,
            microseconds(5 + 50 + 50 + 3000 + 700000 + 30000000 + 90000000));
  // kBounds: 10us 100us 500us 1ms 5ms 10ms 50ms 100ms 500ms 1s 10s 60s.
  EXPECT_EQ(p.cumulative,
            (std::array<uint64_t, 12>{1, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 6}));
}

}  // namespace
}  // namespace taskqueue::internal
