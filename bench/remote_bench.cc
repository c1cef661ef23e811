// remote_bench: worker nodes over loopback, next to what bounds them, all
// measured in one run of this binary (tools/run_remote_benchmarks.sh):
//
//   BM_LocalQueue        a no-op named task on a local worker (no network)
//   BM_RemoteQueue       the same task on one worker node (another process)
//                        of one slot, by ListenOptions::prefetch
//   BM_RawCafSingle      raw CAF remote messaging, one message per task and
//                        one reply, 100 in flight: the same number of
//                        messages as the least a task needs
//   BM_RawCafBatched     raw CAF remote messaging, 100 tasks per message:
//                        what the network layer itself can carry
//   BM_RemoteRoundTrip   one remote task at a time: p50/p99 in counters
//   BM_RawCafRequest     one raw CAF request/response at a time
//   BM_IdleCpu           CPU of an idle node and of an idle listening queue
//
// BM_LocalQueue, BM_RemoteQueue and BM_RawCafBatched also count the CPU
// time a task costs in this process (cpu_us_here) and in the other one
// (cpu_us_there): on a machine of N cores, N / their sum is the most tasks
// per second that any overlap of the work could reach.
//
// --smoke runs 200 tasks per iteration instead of 10,000 (with
// --benchmark_min_time, a quick check that everything runs). The other end
// of each is this binary again (taskqueue_tools::ChildProcess): `--role=node
// --port=P` is a worker node with the no-op task, `--role=echo` publishes a
// raw CAF echo actor and prints its port.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/samples.h"
#include "bench/take_flag.h"
#include "benchmark/benchmark.h"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/middleman.hpp"
#include "caf/scoped_actor.hpp"
#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"
#include "taskqueue/taskqueue.h"
#include "taskqueue/worker_node.h"
#include "tools/child_process/child_process.h"

namespace taskqueue_bench {
namespace {

using Clock = std::chrono::steady_clock;
using batch_atom = caf::atom_constant<caf::atom("rb_batch")>;
using one_atom = caf::atom_constant<caf::atom("rb_one")>;

int32_t Noop(int32_t x) { return x; }
constexpr taskqueue::NamedTask<&Noop> kNoop{"bench.noop"};

// Per iteration of the throughput benchmarks; --smoke: a few.
int tasks_per_iteration = 10000;
constexpr int kBatch = 100;
constexpr int kInFlight = 100;

std::shared_ptr<taskqueue::TaskRegistry> Registry() {
  auto registry = std::make_shared<taskqueue::TaskRegistry>();
  registry->Add(kNoop);
  return registry;
}

// --- The other ends. ---

int RunNode(uint16_t port) {
  taskqueue::WorkerNode node(
      taskqueue::NodeOptions{.port = port, .slots = 1, .name = "bench"},
      Registry());
  node.Run();  // Until the benchmark kills this process.
  return 0;
}

caf::behavior Echo(caf::event_based_actor*) {
  return {
      [](one_atom, uint64_t id) { return id; },
      [](batch_atom, const std::vector<char>& ids) {
        return static_cast<uint64_t>(ids.size() / sizeof(uint64_t));
      },
  };
}

int RunEcho() {
  caf::actor_system_config config;
  config.load<caf::io::middleman>();
  caf::actor_system system(config);
  auto port = system.middleman().publish(system.spawn(Echo), 0, "127.0.0.1");
  if (!port) return 1;
  std::printf("%u\n", static_cast<unsigned>(*port));
  std::fflush(stdout);
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

// --- The queue's side. ---

// This binary again, with `args`.
taskqueue_tools::ChildOptions Self(std::vector<std::string> args,
                                   std::string stdout_path = "") {
  args.insert(args.begin(), "/proc/self/exe");
  return {.argv = std::move(args), .stdout_path = std::move(stdout_path)};
}

// The first line `path` holds, once it has one (waiting up to 20 s).
std::string FirstLine(const std::string& path) {
  auto until = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < until) {
    std::ifstream in(path);
    std::string line;
    if (std::getline(in, line) && !in.eof()) return line;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return "";
}

taskqueue::QueueOptions Listening(int prefetch) {
  taskqueue::QueueOptions options;
  options.num_workers = 0;
  options.listen =
      taskqueue::ListenOptions{.registry = Registry(), .prefetch = prefetch};
  return options;
}

// A listening queue with one connected node of one slot, which is sent
// `prefetch` tasks beyond it: the tasks in flight, which bound a no-op
// task's throughput to (1 + prefetch) per round trip.
struct RemoteSetup {
  explicit RemoteSetup(int prefetch = 1) : queue(Listening(prefetch)) {
    auto until = Clock::now() + std::chrono::seconds(20);
    while (!connected() && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  taskqueue::TaskQueue queue;
  taskqueue_tools::ChildProcess node{Self(
      {"--role=node", "--port=" + std::to_string(queue.listening_port())})};

  bool connected() {
    for (const auto& [name, node] : queue.stats().nodes) {
      if (node.connected) return true;
    }
    return false;
  }
};

// CPU time (user and system, all threads) of this process, in seconds.
double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// What a task costs in CPU, here and (if `other` is set) in the other
// process: with two cores, 2 / (both) is the most tasks per second any
// schedule of the work could reach, whatever runs in parallel.
class CpuPerTask {
 public:
  explicit CpuPerTask(const taskqueue_tools::ChildProcess* other = nullptr)
      : other_(other),
        own_start_(OwnCpuSeconds()),
        other_start_(other ? other->CpuSeconds() : 0) {}

  void Report(benchmark::State& state, int64_t tasks) const {
    if (tasks == 0) return;
    state.counters["cpu_us_here"] =
        1e6 * (OwnCpuSeconds() - own_start_) / tasks;
    if (other_ != nullptr) {
      state.counters["cpu_us_there"] =
          1e6 * (other_->CpuSeconds() - other_start_) / tasks;
    }
  }

 private:
  const taskqueue_tools::ChildProcess* other_;
  double own_start_;
  double other_start_;
};

void RunTasks(benchmark::State& state, taskqueue::TaskQueue& q,
              const taskqueue_tools::ChildProcess* node = nullptr) {
  CpuPerTask cpu(node);
  for (auto _ : state) {
    for (int i = 0; i < tasks_per_iteration; ++i) q.add_task(kNoop, i);
    q.join();
  }
  state.SetItemsProcessed(state.iterations() * tasks_per_iteration);
  cpu.Report(state, state.iterations() * tasks_per_iteration);
}

void BM_LocalQueue(benchmark::State& state) {
  taskqueue::TaskQueue q(1);
  RunTasks(state, q);
}

void BM_RemoteQueue(benchmark::State& state) {
  RemoteSetup setup(static_cast<int>(state.range(0)));
  if (!setup.connected()) return state.SkipWithError("no node connected");
  RunTasks(state, setup.queue, &setup.node);
}

void BM_RemoteRoundTrip(benchmark::State& state) {
  RemoteSetup setup;
  if (!setup.connected()) return state.SkipWithError("no node connected");
  Samples micros;
  for (auto _ : state) {
    auto start = Clock::now();
    setup.queue.submit(kNoop, 1).get();
    micros.Add(std::chrono::duration<double, std::micro>(Clock::now() - start)
                   .count());
  }
  state.counters["p50_us"] = micros.Percentile(50);
  state.counters["p99_us"] = micros.Percentile(99);
}

// A raw CAF client of the echo process.
struct RawSetup {
  // One file per setup: a later setup reading an earlier echo's port (dead
  // by then) before its own echo wrote one found no server.
  static inline int setups = 0;
  std::string port_file = std::string(std::getenv("TEST_TMPDIR") != nullptr
                                          ? std::getenv("TEST_TMPDIR")
                                          : "/tmp") +
                          "/remote_bench_echo_port." +
                          std::to_string(getpid()) + "." +
                          std::to_string(setups++);
  taskqueue_tools::ChildProcess echo{Self({"--role=echo"}, port_file)};
  caf::actor_system_config config;
  std::optional<caf::actor_system> system;
  caf::actor server;

  RawSetup() {
    config.load<caf::io::middleman>();
    system.emplace(config);
    std::string line = FirstLine(port_file);
    if (line.empty()) return;
    auto port = static_cast<uint16_t>(std::stoi(line));
    auto remote = system->middleman().remote_actor("127.0.0.1", port);
    if (remote) server = *remote;
  }
};

void BM_RawCafSingle(benchmark::State& state) {
  RawSetup raw;
  if (!raw.server) return state.SkipWithError("no echo server");
  caf::scoped_actor self(*raw.system);
  for (auto _ : state) {
    int sent = 0;
    int received = 0;
    for (; sent < kInFlight; ++sent) {
      self->send(raw.server, one_atom::value, uint64_t(sent));
    }
    while (received < tasks_per_iteration) {
      self->receive([&](uint64_t) { ++received; });
      if (sent < tasks_per_iteration)
        self->send(raw.server, one_atom::value, uint64_t(sent++));
    }
  }
  state.SetItemsProcessed(state.iterations() * tasks_per_iteration);
}

void BM_RawCafBatched(benchmark::State& state) {
  RawSetup raw;
  if (!raw.server) return state.SkipWithError("no echo server");
  caf::scoped_actor self(*raw.system);
  std::vector<char> batch(kBatch * sizeof(uint64_t), 1);
  const int batches = tasks_per_iteration / kBatch;
  constexpr int batchesInFlight = kInFlight / 10;
  CpuPerTask cpu(&raw.echo);
  for (auto _ : state) {
    int sent = 0;
    int received = 0;
    for (; sent < batchesInFlight; ++sent) {
      self->send(raw.server, batch_atom::value, batch);
    }
    while (received < batches) {
      self->receive([&](uint64_t) { ++received; });
      if (sent < batches) {
        self->send(raw.server, batch_atom::value, batch);
        ++sent;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * tasks_per_iteration);
  cpu.Report(state, state.iterations() * tasks_per_iteration);
}

void BM_RawCafRequest(benchmark::State& state) {
  RawSetup raw;
  if (!raw.server) return state.SkipWithError("no echo server");
  caf::scoped_actor self(*raw.system);
  Samples micros;
  for (auto _ : state) {
    auto start = Clock::now();
    self->request(raw.server, caf::infinite, one_atom::value, uint64_t(1))
        .receive([](uint64_t) {}, [](caf::error&) {});
    micros.Add(std::chrono::duration<double, std::micro>(Clock::now() - start)
                   .count());
  }
  state.counters["p50_us"] = micros.Percentile(50);
  state.counters["p99_us"] = micros.Percentile(99);
}

// Percent of a core each side uses while connected and idle (heartbeats
// only), over a second per iteration.
void BM_IdleCpu(benchmark::State& state) {
  RemoteSetup setup;
  if (!setup.connected()) return state.SkipWithError("no node connected");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  double node_start = setup.node.CpuSeconds();
  double queue_start = OwnCpuSeconds();
  auto start = Clock::now();
  for (auto _ : state) std::this_thread::sleep_for(std::chrono::seconds(1));
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  state.counters["node_cpu_pct"] =
      100 * (setup.node.CpuSeconds() - node_start) / seconds;
  state.counters["queue_cpu_pct"] =
      100 * (OwnCpuSeconds() - queue_start) / seconds;
}

BENCHMARK(BM_LocalQueue)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RemoteQueue)
    ->ArgName("prefetch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RawCafSingle)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RawCafBatched)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RemoteRoundTrip)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_RawCafRequest)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_IdleCpu)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(2);

}  // namespace
}  // namespace taskqueue_bench

int main(int argc, char** argv) {
  if (taskqueue_bench::TakeFlag(argc, argv, "--smoke")) {
    taskqueue_bench::tasks_per_iteration = 200;
  }
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--role=echo") == 0) {
      return taskqueue_bench::RunEcho();
    }
    if (std::strcmp(argv[i], "--role=node") == 0 && i + 1 < argc &&
        std::strncmp(argv[i + 1], "--port=", 7) == 0) {
      return taskqueue_bench::RunNode(
          static_cast<uint16_t>(std::atoi(argv[i + 1] + 7)));
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
