// ServerPages on an in-process QueueServer (its handler called directly),
// and the stock binary's pages over real HTTP: /metrics parses as
// Prometheus reads it and counts what ran, the JSON API pages through the
// journal, and writes need the token.
#include "actors/server/server_pages.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "actors/http/http_server.h"
#include "actors/server/queue_server.h"
#include "gtest/gtest.h"
#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"
#include "tests/http/http_exchange.h"
#include "tests/metrics/prometheus_parser.h"
#include "tests/occurrences.h"
#include "tests/scratch_files.h"
#include "tests/server/server_process.h"

namespace taskqueue::internal {
namespace {

using taskqueue_testing::Occurrences;

using taskqueue_test::ParsePrometheusText;
using taskqueue_test::PromPage;

int64_t Square(int64_t x) { return x * x; }
int64_t Fails(int64_t) { throw std::runtime_error("always"); }
// Runs until the test releases it.
absl::Notification release_blocked;
int64_t Blocks(int64_t x) {
  release_blocked.WaitForNotification();
  return x;
}
constexpr NamedTask<&Square> kSquare{"pages.square"};
constexpr NamedTask<&Fails> kFails{"pages.fails"};
constexpr NamedTask<&Blocks> kBlocks{"pages.blocks"};

constexpr char kToken[] = "s3cret";

class ServerPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = std::make_shared<TaskRegistry>();
    registry->Add(kSquare).Add(kFails).Add(kBlocks);
    absl::StatusOr<std::unique_ptr<QueueServer>> server = QueueServer::Start(
        {.registry = registry,
         .journal = {.path = taskqueue_testing::FreshTestDir() / "journal"},
         .num_workers = 2});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    pages_ =
        std::make_unique<ServerPages>(*server_, PagesOptions{.token = kToken});
  }

  // Adds `n` squares and one task that fails, and waits until the journal
  // has all their ends.
  void RunTasks(int n) {
    for (int64_t i = 0; i < n; ++i) Submit(kSquare.name(), i);
    Submit(kFails.name(), 0);
    server_->Flush();  // Committed, so queued: the join covers them.
    server_->Join();
    server_->Flush();  // Their ends committed.
  }
  void Submit(std::string_view name, int64_t x, int priority = 0) {
    std::vector<char> bytes = Encode(x);
    server_->Submit(NewTask{.name = std::string(name),
                            .args = std::string(bytes.begin(), bytes.end()),
                            .priority = priority},
                    [](absl::StatusOr<OpOutcome> accepted) {
                      ASSERT_TRUE(accepted.ok()) << accepted.status();
                    });
  }

  HttpResponse Ask(const std::string& method, const std::string& target,
                   const std::string& token = "") {
    HttpRequest request{.method = method};
    EXPECT_TRUE(ParseTarget(target, &request.path, &request.query));
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    return pages_->Handle(request);
  }

  std::unique_ptr<QueueServer> server_;
  std::unique_ptr<ServerPages> pages_;
};

TEST_F(ServerPagesTest, MetricsParseAndCountWhatRan) {
  RunTasks(20);
  HttpResponse metrics = Ask("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  std::string error;
  PromPage page = ParsePrometheusText(metrics.body, &error);
  ASSERT_EQ(error, "") << metrics.body;
  EXPECT_EQ(page.Value("taskqueue_journal_tasks", {{"state", "completed"}}),
            20);
  EXPECT_EQ(page.Value("taskqueue_journal_tasks", {{"state", "failed"}}), 1);
  EXPECT_EQ(page.Value("taskqueue_journal_tasks", {{"state", "queued"}}), 0);
  EXPECT_EQ(page.Value("taskqueue_tasks_submitted_total"), 21);
  EXPECT_EQ(page.Value("taskqueue_tasks_completed_total"), 20);
  EXPECT_EQ(page.Value("taskqueue_tasks_failed_total"), 1);
  EXPECT_EQ(
      page.Value("taskqueue_named_completed_total", {{"task", "pages.square"}}),
      20);
  EXPECT_EQ(page.types.at("taskqueue_run_seconds"), "histogram");
  EXPECT_EQ(page.Value("taskqueue_run_seconds_count"), 21);
  EXPECT_EQ(page.Value("taskqueue_queue_wait_seconds_count"), 21);
  EXPECT_GE(page.Value("taskqueue_journal_commits_total"), 1);
  EXPECT_GE(page.Value("taskqueue_journal_operations_total"), 21 * 3);
  EXPECT_EQ(page.Value("taskqueue_paused"), 0);
  EXPECT_EQ(page.Value("taskqueue_workers"), 2);
}

TEST_F(ServerPagesTest, StatusIsTheCtlsJson) {
  RunTasks(3);
  HttpResponse status = Ask("GET", "/api/status");
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.content_type, "application/json");
  EXPECT_EQ(status.body.rfind("{\"tasks\":{\"queued\":0,", 0), 0u)
      << status.body;
  EXPECT_NE(status.body.find("\"completed\":3"), std::string::npos)
      << status.body;
  EXPECT_NE(status.body.find("\"failed\":1"), std::string::npos);
  EXPECT_NE(status.body.find("\"workers\":2"), std::string::npos);
}

TEST_F(ServerPagesTest, StatusSaysWhoRunsWhatAndWhatWaitsAtEachPriority) {
  Submit(kBlocks.name(), 7);
  std::string status;
  for (int i = 0; i < 1000; ++i) {  // 10 s at most.
    server_->Flush();
    status = Ask("GET", "/api/status").body;
    if (status.find("\"name\":\"pages.blocks\",\"attempt\":1,\"worker\":"
                    "\"local/") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(status.find("\"running\":[{\"id\":1,\"name\":\"pages.blocks\""),
            std::string::npos)
      << status;
  server_->Pause();
  Submit(kSquare.name(), 1, 3);
  Submit(kSquare.name(), 2, 3);
  Submit(kSquare.name(), 3, -1);
  server_->Flush();
  status = Ask("GET", "/api/status").body;
  EXPECT_NE(status.find("\"queued_by_priority\":[{\"priority\":3,\"tasks\":2},"
                        "{\"priority\":-1,\"tasks\":1}]"),
            std::string::npos)
      << status;
  EXPECT_EQ(Occurrences(status,
                        "\"bounds_ms\":[0.01,0.1,0.5,1,5,10,50,100,500,"
                        "1000,10000,60000]"),
            2)
      << status;
  release_blocked.Notify();
  server_->Resume();
  server_->Flush();
  server_->Join();
  server_->Flush();
  status = Ask("GET", "/api/status").body;
  EXPECT_NE(status.find("\"running\":[]"), std::string::npos) << status;
  EXPECT_NE(status.find("\"queued_by_priority\":[]"), std::string::npos);
  // Four attempts ran: the run-time histogram counts them all by 60 s.
  const size_t run_time = status.find("\"run_time\":{\"count\":4,");
  ASSERT_NE(run_time, std::string::npos) << status;
  const size_t run_time_end = status.find('}', run_time);
  ASSERT_NE(run_time_end, std::string::npos);
  EXPECT_EQ(status.substr(run_time_end - 3, 4), ",4]}") << status;
}

TEST_F(ServerPagesTest, EventsCarryTheStatusAsItChanges) {
  HttpResponse events = Ask("GET", "/api/events");
  ASSERT_EQ(events.status, 200);
  ASSERT_TRUE(events.next_event != nullptr);
  std::optional<std::string> before = events.next_event();
  ASSERT_TRUE(before.has_value());
  EXPECT_NE(before->find("\"completed\":0"), std::string::npos) << *before;
  RunTasks(4);
  std::optional<std::string> after = events.next_event();
  ASSERT_TRUE(after.has_value());
  EXPECT_NE(after->find("\"completed\":4"), std::string::npos) << *after;
  EXPECT_EQ(after->find('\n'), std::string::npos);
}

TEST_F(ServerPagesTest, TaskTablesPageOnTheServer) {
  RunTasks(120);
  HttpResponse first = Ask("GET", "/api/tasks?limit=50");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Occurrences(first.body, "\"history\":"), 50);
  EXPECT_NE(first.body.find("{\"id\":1,"), std::string::npos);
  HttpResponse next = Ask("GET", "/api/tasks?limit=50&after=50");
  EXPECT_EQ(Occurrences(next.body, "\"history\":"), 50);
  EXPECT_NE(next.body.find("{\"id\":51,"), std::string::npos) << next.body;
  EXPECT_EQ(next.body.find("{\"id\":50,"), std::string::npos);
  HttpResponse last = Ask("GET", "/api/tasks?after=100");  // Default 50.
  EXPECT_EQ(Occurrences(last.body, "\"history\":"), 21);
  HttpResponse failed = Ask("GET", "/api/tasks?state=failed");
  EXPECT_EQ(Occurrences(failed.body, "\"history\":"), 1);
  EXPECT_NE(failed.body.find("\"error_message\":\"always\""), std::string::npos)
      << failed.body;
  for (const char* bad :
       {"/api/tasks?limit=0", "/api/tasks?limit=1001", "/api/tasks?limit=ten",
        "/api/tasks?after=-1", "/api/tasks?state=bogus"}) {
    HttpResponse refused = Ask("GET", bad);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_NE(refused.body.find("\"error\":"), std::string::npos) << bad;
  }
}

// The page itself (its behaviour is the browser test's): what it needs is
// in the one file.
TEST_F(ServerPagesTest, TheDashboardIsOnePageOfItsOwn) {
  HttpResponse page = Ask("GET", "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body.rfind("<!doctype html>", 0), 0u);
  EXPECT_NE(page.body.find("new EventSource(\"/api/events\")"),
            std::string::npos);
  EXPECT_NE(page.body.find("</html>"), std::string::npos);
  EXPECT_EQ(page.body.find("http://"), std::string::npos);  // Nothing fetched.
  EXPECT_EQ(page.body.find("https://"), std::string::npos);
  EXPECT_EQ(Ask("GET", "/index.html").body, page.body);
}

TEST_F(ServerPagesTest, OneTaskWithItsAttempts) {
  RunTasks(1);
  HttpResponse task = Ask("GET", "/api/tasks/2");  // The failing one.
  ASSERT_EQ(task.status, 200) << task.body;
  EXPECT_NE(task.body.find("\"name\":\"pages.fails\""), std::string::npos);
  EXPECT_NE(task.body.find("\"outcome\":\"failed\""), std::string::npos)
      << task.body;
  EXPECT_EQ(Ask("GET", "/api/tasks/999").status, 404);
  EXPECT_EQ(Ask("GET", "/api/tasks/abc").status, 400);
  EXPECT_EQ(Ask("GET", "/api/nothing").status, 404);
  EXPECT_EQ(Ask("POST", "/metrics").status, 405);
  EXPECT_EQ(Ask("GET", "/api/pause").status, 405);
}

TEST_F(ServerPagesTest, WritesNeedTheToken) {
  RunTasks(1);
  EXPECT_EQ(Ask("POST", "/api/pause").status, 401);
  EXPECT_EQ(Ask("POST", "/api/pause", "wrong").status, 403);
  EXPECT_FALSE(server_->paused());
  HttpResponse paused = Ask("POST", "/api/pause", kToken);
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_NE(paused.body.find("\"paused\":true"), std::string::npos);
  EXPECT_TRUE(server_->paused());
  EXPECT_EQ(Ask("POST", "/api/resume", kToken).status, 200);
  EXPECT_FALSE(server_->paused());

  // The failed task, retried, runs (and fails) again; a completed one is
  // not retried.
  EXPECT_EQ(Ask("POST", "/api/tasks/2/retry").status, 401);
  HttpResponse retried = Ask("POST", "/api/tasks/2/retry", kToken);
  ASSERT_EQ(retried.status, 200) << retried.body;
  server_->Join();
  server_->Flush();
  HttpResponse task = Ask("GET", "/api/tasks/2");
  EXPECT_NE(task.body.find("\"attempts\":2"), std::string::npos) << task.body;
  EXPECT_EQ(Ask("POST", "/api/tasks/1/retry", kToken).status, 409);
  EXPECT_EQ(Ask("POST", "/api/tasks/999/retry", kToken).status, 404);

  EXPECT_EQ(Ask("POST", "/api/purge", kToken).status, 400);
  HttpResponse purged = Ask("POST", "/api/purge?older_than_ms=0", kToken);
  ASSERT_EQ(purged.status, 200) << purged.body;
  EXPECT_EQ(purged.body, "{\"purged\":2}\n");
  EXPECT_EQ(Ask("GET", "/api/tasks/1").status, 404);
}

TEST(ServerPagesConstruction, AnEmptyTokenIsRefused) {
  auto registry = std::make_shared<TaskRegistry>();
  absl::StatusOr<std::unique_ptr<QueueServer>> server = QueueServer::Start(
      {.registry = registry,
       .journal = {.path = taskqueue_testing::FreshTestDir() / "journal"},
       .num_workers = 1});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THROW(ServerPages(**server, PagesOptions{}), std::invalid_argument);
}

// The stock server binary serves the pages on the port it reports.
TEST(ServerPagesProcess, TheServerBinaryServesThePages) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  taskqueue_test::ServerProcess server(dir, 0);
  ASSERT_NE(server.http_port(), 0) << "no http port in the port file";
  std::string metrics = taskqueue_test::Exchange(
      server.http_port(), taskqueue_test::Get("/metrics"));
  ASSERT_EQ(metrics.rfind("HTTP/1.1 200", 0), 0u) << metrics;
  std::string error;
  PromPage page = ParsePrometheusText(taskqueue_test::BodyOf(metrics), &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(page.Value("taskqueue_workers"), 2);
  std::string refused = taskqueue_test::Exchange(
      server.http_port(), taskqueue_test::Post("/api/pause"));
  EXPECT_EQ(refused.rfind("HTTP/1.1 401", 0), 0u) << refused;
  std::string paused = taskqueue_test::Exchange(
      server.http_port(),
      taskqueue_test::Post("/api/pause",
                           std::string("X-Taskqueue-Token: ") +
                               taskqueue_test::ServerProcess::kTestToken +
                               "\r\n"));
  EXPECT_EQ(paused.rfind("HTTP/1.1 200", 0), 0u) << paused;
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace taskqueue::internal
