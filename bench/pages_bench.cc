// pages_bench: the queue server's HTTP pages over a journal of a million
// tasks (900,000 ended, a backlog of 100,000 queued at four priorities), to
// show that a large journal keeps the dashboard fast (the task tables page
// on the server, by id).
//
//   BM_TaskPage/0  GET /api/tasks?limit=50: the first page
//   BM_TaskPage/1  the same, after=N/2: a page in the middle
//   BM_TaskPage/2  state=failed (1 task in 100): 50 scattered tasks
//   BM_TaskPage/3  label=rare (1 task in 1,000): 50 scattered tasks
//   BM_TaskPage/4  state=queued: the first 50 of the backlog
//   BM_TaskDetail  GET /api/tasks/ID with its attempts
//   BM_Status      GET /api/status, what the page and its event stream get
//                  each second: counts by state, who runs what, the backlog
//                  by priority, counters
//   BM_Metrics     GET /metrics
//   BM_Dashboard   GET /: the page itself
//
// Each request goes through ServerPages::Handle on an in-process
// QueueServer and waits for the journal's answer from its commit thread, as
// an HTTP thread does; the HTTP server's own cost (a loopback round trip,
// Beast's parsing) is the same for every page and not measured here. The
// journal is filled once, before the benchmarks, through Journal::Commit
// (accepted, run, and completed or failed, 10,000 tasks per transaction; the
// last tenth only accepted). The server has no local workers and no node
// connects, so the backlog stays.
// Files go under $TEST_TMPDIR or /tmp. --smoke fills 10,000 tasks instead of
// 1,000,000. Times are wall-clock per request.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "actors/http/http_server.h"
#include "actors/journal/journal.h"
#include "actors/server/queue_server.h"
#include "actors/server/server_pages.h"
#include "bench/take_flag.h"
#include "benchmark/benchmark.h"
#include "taskqueue/listen_options.h"
#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"

namespace taskqueue_bench {
namespace {

using taskqueue::internal::AcceptTask;
using taskqueue::internal::CompleteTask;
using taskqueue::internal::DispatchTask;
using taskqueue::internal::Durability;
using taskqueue::internal::FailAttempt;
using taskqueue::internal::HttpRequest;
using taskqueue::internal::HttpResponse;
using taskqueue::internal::Journal;
using taskqueue::internal::JournalOp;
using taskqueue::internal::NewTask;
using taskqueue::internal::PagesOptions;
using taskqueue::internal::QueueServer;
using taskqueue::internal::ServerPages;

// The journal's tasks, by name; none runs here.
int64_t Noop(int64_t x) { return x; }
constexpr taskqueue::NamedTask<&Noop> kNoop{"bench.noop"};

int64_t journal_tasks = 1'000'000;
constexpr int64_t kPerCommit = 10'000;

std::string FreshPath() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::filesystem::path dir =
      std::filesystem::path(tmp != nullptr ? tmp : "/tmp") /
      ("pages_bench." + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir / "journal";
}

// A journal of `n` tasks with ids 1..n: the last tenth queued, at priority
// id % 4; of the others one in 100 failed, the rest completed. One in 1,000
// is labelled "rare". Empty string on success.
std::string Fill(const std::string& path, int64_t n) {
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open({.path = path, .durability = Durability::kProcessCrash});
  if (!journal.ok()) return std::string(journal.status().message());
  for (int64_t first = 1; first <= n; first += kPerCommit) {
    std::vector<JournalOp> ops;
    const int64_t last = std::min(n, first + kPerCommit - 1);
    for (int64_t id = first; id <= last; ++id) {
      const bool queued = id > n - n / 10;
      ops.push_back(AcceptTask{NewTask{
          .name = "bench.noop",
          .args = std::string(16, 'a'),
          .label = id % 1000 == 0 ? "rare" : "bulk",
          .priority = queued ? static_cast<int>(id % 4) : 0,
      }});
      if (queued) continue;
      ops.push_back(DispatchTask{.id = id, .worker = "local/0"});
      if (id % 100 == 0) {
        ops.push_back(FailAttempt{.id = id,
                                  .attempt = 1,
                                  .error_type = "std::runtime_error",
                                  .error_message = "bench: a failure",
                                  .retry = false});
      } else {
        ops.push_back(CompleteTask{
            .id = id, .attempt = 1, .result = std::string(8, 'r')});
      }
    }
    auto outcomes = (*journal)->Commit(ops, absl::Now());
    if (!outcomes.ok()) return std::string(outcomes.status().message());
    for (const auto& outcome : *outcomes) {
      if (!outcome.ok()) return std::string(outcome.status().message());
    }
    if ((*outcomes)[0]->id != first) return "the journal's ids are not 1..n";
  }
  return "";
}

// The server and its pages over the filled journal, made once.
struct Pages {
  std::unique_ptr<QueueServer> server;
  std::unique_ptr<ServerPages> pages;
  std::string error;
};

// Made by the first benchmark, stopped by main.
std::unique_ptr<Pages> shared_pages;

Pages& SharedPages() {
  if (shared_pages == nullptr) {
    shared_pages = std::make_unique<Pages>();
    Pages* p = shared_pages.get();
    const std::string path = FreshPath();
    p->error = Fill(path, journal_tasks);
    if (!p->error.empty()) return *p;
    auto registry = std::make_shared<taskqueue::TaskRegistry>();
    registry->Add(kNoop);
    absl::StatusOr<std::unique_ptr<QueueServer>> server =
        QueueServer::Start({.registry = registry,
                            .journal = {.path = path},
                            .num_workers = 0,
                            .retention = absl::InfiniteDuration(),
                            .nodes = taskqueue::ListenOptions{}});
    if (!server.ok()) {
      p->error = std::string(server.status().message());
      return *p;
    }
    p->server = *std::move(server);
    p->pages = std::make_unique<ServerPages>(
        *p->server, PagesOptions{.token = "bench-token"});
  }
  return *shared_pages;
}

void Get(benchmark::State& state, const std::string& target) {
  Pages& p = SharedPages();
  if (!p.error.empty()) {
    state.SkipWithError(p.error.c_str());
    return;
  }
  HttpRequest request{.method = "GET"};
  if (!taskqueue::internal::ParseTarget(target, &request.path,
                                        &request.query)) {
    state.SkipWithError("bad target");
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    HttpResponse response = p.pages->Handle(request);
    if (response.status != 200) {
      state.SkipWithError((target + ": " + response.body).c_str());
      return;
    }
    bytes = response.body.size();
    benchmark::DoNotOptimize(response);
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
  state.counters["journal_tasks"] = static_cast<double>(journal_tasks);
}

void BM_TaskPage(benchmark::State& state) {
  const std::string targets[] = {
      "/api/tasks?limit=50",
      "/api/tasks?limit=50&after=" + std::to_string(journal_tasks / 2),
      "/api/tasks?limit=50&state=failed",
      "/api/tasks?limit=50&label=rare",
      "/api/tasks?limit=50&state=queued",
  };
  Get(state, targets[state.range(0)]);
}
BENCHMARK(BM_TaskPage)
    ->DenseRange(0, 4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_TaskDetail(benchmark::State& state) {
  Get(state, "/api/tasks/" + std::to_string(journal_tasks / 2));
}
BENCHMARK(BM_TaskDetail)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Status(benchmark::State& state) { Get(state, "/api/status"); }
BENCHMARK(BM_Status)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Metrics(benchmark::State& state) { Get(state, "/metrics"); }
BENCHMARK(BM_Metrics)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Dashboard(benchmark::State& state) { Get(state, "/"); }
BENCHMARK(BM_Dashboard)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace taskqueue_bench

int main(int argc, char** argv) {
  if (taskqueue_bench::TakeFlag(argc, argv, "--smoke")) {
    taskqueue_bench::journal_tasks = 10'000;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  taskqueue_bench::shared_pages.reset();  // The pages, then the server.
  benchmark::Shutdown();
  return 0;
}
