// An in-process TaskQueue's dashboard (QueueOptions::dashboard) over real
// HTTP: /metrics parses as Prometheus reads it and counts what ran, the
// status says what the queue did, writes need the token, pause and resume
// from the pages stop and restart the queue, and a bad address or a taken
// port is a clear error at construction.
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/http/http_exchange.h"
#include "tests/metrics/prometheus_parser.h"

namespace {

using taskqueue_test::BodyOf;
using taskqueue_test::Exchange;
using taskqueue_test::Get;
using taskqueue_test::Post;
using ::testing::HasSubstr;

taskqueue::QueueOptions WithDashboard(std::string token = "s3cret") {
  return {.num_workers = 2,
          .dashboard = taskqueue::DashboardOptions{.token = std::move(token)}};
}

TEST(QueueDashboard, MetricsAndStatusCountWhatRan) {
  taskqueue::TaskQueue q(WithDashboard());
  ASSERT_NE(q.dashboard_port(), 0);
  for (int i = 0; i < 20; ++i) q.add_task([] {});
  q.add_task([] { throw std::runtime_error("boom"); });
  q.join();

  std::string error;
  const std::string metrics =
      BodyOf(Exchange(q.dashboard_port(), Get("/metrics")));
  taskqueue_test::PromPage page =
      taskqueue_test::ParsePrometheusText(metrics, &error);
  ASSERT_EQ(error, "") << metrics;
  EXPECT_EQ(page.Value("taskqueue_tasks_completed_total"), 20);
  EXPECT_EQ(page.Value("taskqueue_tasks_failed_total"), 1);
  EXPECT_EQ(page.Value("taskqueue_workers"), 2);
  // The dashboard turns timings on, for its charts.
  EXPECT_EQ(page.Value("taskqueue_run_seconds_count"), 21);

  const std::string status =
      BodyOf(Exchange(q.dashboard_port(), Get("/api/status")));
  EXPECT_THAT(status, HasSubstr("\"completed\":20,\"failed\":1,"));
  EXPECT_THAT(status, HasSubstr("\"journal\":false"));
  EXPECT_THAT(status, HasSubstr("\"run_time\":{\"count\":21,"));

  EXPECT_THAT(Exchange(q.dashboard_port(), Get("/")),
              HasSubstr("<title>taskqueue"));
  const std::string tasks = Exchange(q.dashboard_port(), Get("/api/tasks"));
  EXPECT_EQ(tasks.rfind("HTTP/1.1 404", 0), 0u) << tasks;
  EXPECT_THAT(tasks, HasSubstr("keeps no table of its tasks"));
}

TEST(QueueDashboard, PauseAndResumeFromThePagesNeedTheToken) {
  taskqueue::TaskQueue q(WithDashboard());
  const uint16_t port = q.dashboard_port();
  EXPECT_EQ(Exchange(port, Post("/api/pause")).rfind("HTTP/1.1 401", 0), 0u);
  EXPECT_EQ(Exchange(port, Post("/api/pause", "Authorization: Bearer no\r\n"))
                .rfind("HTTP/1.1 403", 0),
            0u);
  EXPECT_FALSE(q.paused());

  const std::string paused =
      Exchange(port, Post("/api/pause", "Authorization: Bearer s3cret\r\n"));
  EXPECT_THAT(paused, HasSubstr("{\"paused\":true}"));
  EXPECT_TRUE(q.paused());
  absl::Notification ran;
  q.add_task([&ran] { ran.Notify(); });
  EXPECT_FALSE(ran.WaitForNotificationWithTimeout(absl::Milliseconds(200)));
  EXPECT_THAT(BodyOf(Exchange(port, Get("/api/status"))),
              HasSubstr("\"paused\":true"));

  EXPECT_THAT(
      Exchange(port, Post("/api/resume", "X-Taskqueue-Token: s3cret\r\n")),
      HasSubstr("{\"paused\":false}"));
  EXPECT_TRUE(ran.WaitForNotificationWithTimeout(absl::Seconds(10)));
  q.join();
}

TEST(QueueDashboard, AnEmptyTokenIsARandomOnePrintedWithTheAddress) {
  ::testing::internal::CaptureStderr();
  taskqueue::TaskQueue q(WithDashboard(""));
  const std::string printed = ::testing::internal::GetCapturedStderr();
  const std::string say = "taskqueue: dashboard on http://127.0.0.1:" +
                          std::to_string(q.dashboard_port()) +
                          "/ (write token ";
  ASSERT_EQ(printed.rfind(say, 0), 0u) << printed;
  const std::string token =
      printed.substr(say.size(), printed.find(')') - say.size());
  EXPECT_EQ(token.size(), 32u) << token;  // 128 bits in hex.
  const std::string refused = Exchange(
      q.dashboard_port(), Post("/api/pause", "Authorization: Bearer \r\n"));
  EXPECT_EQ(refused.rfind("HTTP/1.1 401", 0), 0u) << refused;
  EXPECT_FALSE(q.paused());
  EXPECT_THAT(
      Exchange(q.dashboard_port(),
               Post("/api/pause", "X-Taskqueue-Token: " + token + "\r\n")),
      HasSubstr("{\"paused\":true}"));
  EXPECT_TRUE(q.paused());
}

TEST(QueueDashboard, ABadAddressOrATakenPortIsAnErrorAtConstruction) {
  try {
    taskqueue::TaskQueue q({.num_workers = 1,
                            .dashboard = taskqueue::DashboardOptions{
                                .address = "0.0.0.0", .token = "t"}});
    FAIL() << "listened off loopback without allow_remote";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("taskqueue: the dashboard: "));
  }
  taskqueue::TaskQueue first(WithDashboard());
  try {
    taskqueue::TaskQueue second(
        {.num_workers = 1,
         .dashboard = taskqueue::DashboardOptions{
             .port = first.dashboard_port(), .token = "t"}});
    FAIL() << "two dashboards on port " << first.dashboard_port();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("taskqueue: the dashboard: "));
  }
  EXPECT_EQ(taskqueue::TaskQueue(2).dashboard_port(), 0);
}

}  // namespace
