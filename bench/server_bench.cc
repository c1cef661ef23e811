// server_bench: the queue server next to the queues users would pick
// instead, all measured in one run of this binary:
//
//   BM_ServerAdd/threads:T/batch:B
//                         durable adds through QueueClient, T producer threads
//                         sharing one client, B tasks per call (add_task when
//                         1, add_batch otherwise), the server paused (adds
//                         only): adds/s and each call's acknowledgement (p50,
//                         p99)
//   BM_ServerEndToEnd/threads:T/batch:B
//                         the same while 2 workers run the no-op tasks; the
//                         clock stops when join() returns: tasks/s
//   BM_SqliteInsert/rows_per_commit:R, BM_InMemoryQueueAdd
//                         the limits: raw SQLite with the journal's
//                         durability, R rows per transaction (items/s), and
//                         the in-memory queue's no-op adds (items/s)
//   BM_Celery, BM_Rq      Celery 5.2 and RQ 1.13 on redis-server 7, each with
//                         2 worker processes, as bench/peers/peer_queue.py
//                         measures them: one producer's enqueue rate with no
//                         worker running (adds/s, p50, p99), then end to end
//                         (e2e_tasks_per_s; the benchmark's time)
//
// Durability is alike: the journal uses synchronous=FULL (an acknowledged
// task survives power loss), Redis an append-only file fsynced on every
// write; Celery acknowledges a task after it ran (acks_late), as the server
// re-runs a task whose worker died. The server runs in this process behind
// its ServerFront (the clients reach it over loopback TCP, as another
// process would); the peers' brokers and workers are processes of their own.
// After the benchmarks, the end-to-end ratios against each peer are printed.
//
// Unbatched server benchmarks add 2,000 tasks, batched ones 20,000.
// --smoke runs 50 (500) tasks per server benchmark and 20 per peer (a quick
// check that everything starts, runs and stops).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "actors/server/queue_server.h"
#include "actors/server/server_front.h"
#include "bench/durable_add_limits.h"
#include "bench/samples.h"
#include "bench/take_flag.h"
#include "benchmark/benchmark.h"
#include "taskqueue/named_task.h"
#include "taskqueue/queue_client.h"
#include "taskqueue/task_registry.h"
#include "tools/child_process/child_process.h"

namespace taskqueue_bench {
namespace {

using Clock = std::chrono::steady_clock;

int server_tasks = 2000;
int peer_tasks = 2000;
constexpr int kWorkers = 2;

// End-to-end tasks/s, by benchmark (ours) or peer queue name, for the
// ratios printed at the end.
std::map<std::string, double>& EndToEndRates() {
  static auto* rates = new std::map<std::string, double>();
  return *rates;
}

int64_t Noop(int64_t x) { return x; }
constexpr taskqueue::NamedTask<&Noop> kNoop{"bench.noop"};

// A fresh directory for one benchmark's files, under $TEST_TMPDIR or /tmp.
std::filesystem::path FreshDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::filesystem::path dir =
      std::filesystem::path(tmp != nullptr ? tmp : "/tmp") /
      ("server_bench." + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A server with a fresh journal (synchronous=FULL), its front on a loopback
// port, and one client of it.
class BenchServer {
 public:
  explicit BenchServer(const std::string& name) : dir_(FreshDir(name)) {
    auto registry = std::make_shared<taskqueue::TaskRegistry>();
    registry->Add(kNoop);
    absl::StatusOr<std::unique_ptr<taskqueue::internal::QueueServer>> server =
        taskqueue::internal::QueueServer::Start(
            {.registry = registry,
             .journal = {.path = dir_ / "journal"},
             .num_workers = kWorkers});
    if (!server.ok()) {
      error_ = server.status().ToString();
      return;
    }
    server_ = *std::move(server);
    try {
      front_ = std::make_unique<taskqueue::internal::ServerFront>(
          *server_, taskqueue::internal::FrontOptions());
      client_ = std::make_unique<taskqueue::QueueClient>(
          taskqueue::ClientOptions{.port = front_->port()});
      client_->add_task(kNoop, int64_t{0});  // Warm-up: connected, serving.
      client_->join();
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  ~BenchServer() {
    client_.reset();
    front_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Empty once the server serves; else why not.
  const std::string& error() const { return error_; }
  taskqueue::QueueClient& client() { return *client_; }

 private:
  std::filesystem::path dir_;
  std::string error_;
  std::unique_ptr<taskqueue::internal::QueueServer> server_;
  std::unique_ptr<taskqueue::internal::ServerFront> front_;
  std::unique_ptr<taskqueue::QueueClient> client_;
};

// How many tasks each server benchmark adds: unbatched, and in batches
// (ten times as many: a run of only tens of requests says little).
int TasksFor(int batch) {
  return batch == 1 ? server_tasks : 10 * server_tasks;
}

// `threads` threads add `total` no-op tasks between them, `batch` per call
// (add_task when 1, add_batch otherwise); each call's acknowledgement in
// microseconds goes to `micros`. Returns the first call's error, if one
// failed (the thread that saw it adds no more).
std::string AddFromThreads(taskqueue::QueueClient& client, int threads,
                           int batch, int total, Samples& micros) {
  std::vector<std::vector<double>> latencies(threads);
  std::vector<std::string> errors(threads);
  std::vector<std::thread> producers;
  for (int t = 0; t < threads; ++t) {
    producers.emplace_back([&, t] {
      int mine = total / threads + (t < total % threads ? 1 : 0);
      try {
        for (int added = 0; added < mine; added += batch) {
          int now = std::min(batch, mine - added);
          taskqueue::TaskBatch tasks;
          for (int i = 0; i < now && batch > 1; ++i) {
            tasks.add(kNoop, int64_t{added + i});
          }
          Clock::time_point begin = Clock::now();
          if (batch == 1) {
            client.add_task(kNoop, int64_t{added});
          } else {
            client.add_batch(tasks);
          }
          latencies[t].push_back(
              std::chrono::duration<double, std::micro>(Clock::now() - begin)
                  .count());
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  }
  for (std::thread& producer : producers) producer.join();
  for (const std::vector<double>& mine : latencies) {
    for (double value : mine) micros.Add(value);
  }
  for (const std::string& error : errors) {
    if (!error.empty()) return error;
  }
  return "";
}

double SecondsSince(Clock::time_point begin) {
  return std::chrono::duration<double>(Clock::now() - begin).count();
}

// One server benchmark with args (threads, batch): adds only (`end_to_end`
// false: the server paused, the queued tasks wait), or adds while the
// workers run them, the clock stopping when join() returns. Returns
// tasks/s, or 0 after SkipWithError.
double RunServer(benchmark::State& state, bool end_to_end, Samples& micros) {
  const int threads = static_cast<int>(state.range(0));
  const int batch = static_cast<int>(state.range(1));
  const int total = TasksFor(batch);
  BenchServer server(end_to_end ? "e2e" : "add");
  if (!server.error().empty()) {
    state.SkipWithError(server.error().c_str());
    return 0;
  }
  if (!end_to_end) server.client().pause();
  double tasks = 0;
  double seconds = 0;
  for (auto _ : state) {
    Clock::time_point begin = Clock::now();
    std::string error =
        AddFromThreads(server.client(), threads, batch, total, micros);
    if (error.empty() && end_to_end && server.client().join().failed != 0) {
      error = "a no-op task failed";
    }
    double elapsed = SecondsSince(begin);
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      return 0;
    }
    state.SetIterationTime(elapsed);
    tasks += total;
    seconds += elapsed;
  }
  return tasks / seconds;
}

void BM_ServerAdd(benchmark::State& state) {
  Samples micros;
  double rate = RunServer(state, /*end_to_end=*/false, micros);
  if (rate == 0) return;
  state.counters["adds_per_s"] = rate;
  state.counters["add_p50_us"] = micros.Percentile(50);
  state.counters["add_p99_us"] = micros.Percentile(99);
}
BENCHMARK(BM_ServerAdd)
    ->ArgNames({"threads", "batch"})
    ->Args({1, 1})
    ->Args({16, 1})
    ->Args({1, 100})
    ->Args({4, 100})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_ServerEndToEnd(benchmark::State& state) {
  Samples micros;
  double rate = RunServer(state, /*end_to_end=*/true, micros);
  if (rate == 0) return;
  state.counters["e2e_tasks_per_s"] = rate;
  EndToEndRates()["BM_ServerEndToEnd/" + std::to_string(state.range(0)) + "/" +
                  std::to_string(state.range(1))] = rate;
}
BENCHMARK(BM_ServerEndToEnd)
    ->ArgNames({"threads", "batch"})
    ->Args({1, 1})
    ->Args({16, 1})
    ->Args({1, 100})
    ->Args({4, 100})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The limits, in the same run: raw SQLite inserts with the journal's
// durability (synchronous=FULL), one row per transaction (a journal that
// flushes per task) and 100 (group commit's ceiling on this disk), and the
// in-memory queue's no-op adds.
void BM_SqliteInsert(benchmark::State& state) {
  MeasureSqliteInserts(state, (FreshDir("sqlite") / "raw").string(),
                       static_cast<int>(state.range(0)), /*full=*/true,
                       TasksFor(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_SqliteInsert)
    ->ArgNames({"rows_per_commit"})
    ->Arg(1)
    ->Arg(100)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_InMemoryQueueAdd(benchmark::State& state) {
  MeasureInMemoryAdds(state, TasksFor(100));
}
BENCHMARK(BM_InMemoryQueueAdd)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Where peer_queue.py is: in this binary's runfiles (bazel run, bazel test,
// or bazel-bin/bench/server_bench run from anywhere).
std::string PeerScript() {
  const std::string relative = "taskqueue/bench/peers/peer_queue.py";
  std::vector<std::string> roots;
  for (const char* name : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    if (const char* root = std::getenv(name)) roots.push_back(root);
  }
  roots.push_back(std::filesystem::read_symlink("/proc/self/exe").string() +
                  ".runfiles");
  for (const std::string& root : roots) {
    if (std::filesystem::exists(root + "/" + relative)) {
      return root + "/" + relative;
    }
  }
  return "bench/peers/peer_queue.py";
}

// The number after `"key": ` in a one-line JSON object, if there is one.
std::optional<double> JsonNumber(const std::string& json,
                                 const std::string& key) {
  size_t at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) return std::nullopt;
  const char* begin = json.c_str() + at + key.size() + 4;
  char* end = nullptr;
  double value = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  return value;
}

void BM_Peer(benchmark::State& state, const std::string& queue) {
  std::filesystem::path dir = FreshDir(queue);
  const std::string out = (dir / "result.json").string();
  for (auto _ : state) {
    taskqueue_tools::ChildProcess peer(
        {.argv = {"/usr/bin/python3", PeerScript(), "--queue", queue, "--tasks",
                  std::to_string(peer_tasks), "--workers",
                  std::to_string(kWorkers)},
         .stdout_path = out});
    std::optional<int> status = peer.Wait(std::chrono::minutes(10));
    std::ifstream in(out);
    std::stringstream json;
    json << in.rdbuf();
    std::optional<double> adds = JsonNumber(json.str(), "adds_per_s");
    std::optional<double> p50 = JsonNumber(json.str(), "add_p50_us");
    std::optional<double> p99 = JsonNumber(json.str(), "add_p99_us");
    std::optional<double> e2e = JsonNumber(json.str(), "e2e_tasks_per_s");
    if (status != 0 || !adds || !p50 || !p99 || !e2e) {
      return state.SkipWithError(
          ("peer_queue.py --queue " + queue +
           " failed (its reason is on stderr; it needs redis-server, "
           "python3-celery and python3-rq: tools/setup.sh)")
              .c_str());
    }
    state.SetIterationTime(peer_tasks / *e2e);
    state.counters["adds_per_s"] = *adds;
    state.counters["add_p50_us"] = *p50;
    state.counters["add_p99_us"] = *p99;
    state.counters["e2e_tasks_per_s"] = *e2e;
    EndToEndRates()[queue] = *e2e;
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK_CAPTURE(BM_Peer, Celery, std::string("celery"))
    ->Name("BM_Celery")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Peer, Rq, std::string("rq"))
    ->Name("BM_Rq")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The server's end-to-end rate over each peer's, from this run.
void PrintRatios() {
  const std::map<std::string, double>& rates = EndToEndRates();
  for (const auto& [ours, our_rate] : rates) {
    if (ours.rfind("BM_Server", 0) != 0) continue;
    for (const auto& [peer, peer_rate] : rates) {
      if (peer.rfind("BM_Server", 0) == 0) continue;
      std::printf("end to end: %s / %s = %.1fx\n", ours.c_str(), peer.c_str(),
                  our_rate / peer_rate);
    }
  }
}

}  // namespace
}  // namespace taskqueue_bench

int main(int argc, char** argv) {
  if (taskqueue_bench::TakeFlag(argc, argv, "--smoke")) {
    taskqueue_bench::server_tasks = 50;
    taskqueue_bench::peer_tasks = 20;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  taskqueue_bench::PrintRatios();
  return 0;
}
