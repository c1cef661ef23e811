// pool_bench: taskqueue against the pools a C++ user would otherwise pick,
// in one binary, interleaved, so that their numbers are comparable on a
// shared, noisy machine. Peers (one header each, all behind pool.h):
//
//   naive           the naive Python-style queue, ported (naive_queue.h)
//   asio            boost::asio::thread_pool (asio_pool.h)
//   tbb             oneTBB task_group in a task_arena (tbb_pool.h)
//   caf_actor_pool  CAF's own actor_pool (caf_actor_pool.h)
//   moodycamel      a pool on moodycamel::BlockingConcurrentQueue, the
//                   near-the-limit reference (moodycamel_pool.h)
//   taskqueue       taskqueue::TaskQueue (taskqueue_pool.h)
//
// and, for scenario 7 only (task_options), taskqueue_options_off: taskqueue
// with every task added with default TaskOptions.
//
// Scenarios: bench/scenarios/, registered in register_scenarios.h.
//
// Run it with tools/run_benchmarks.sh (repetitions, random interleaving,
// medians, a table of ratios to the best peer). Flags: Google Benchmark's,
// plus --smoke for tiny sizes (CI's smoke test: it only keeps the suite
// building and running, its numbers mean nothing).
//
// Results of a reference run, with the machine and the versions:
// bench/RESULTS.md.
#include <benchmark/benchmark.h>

#include <boost/version.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "bench/asio_pool.h"
#include "bench/caf_actor_pool.h"
#include "bench/check_pool.h"
#include "bench/moodycamel_pool.h"
#include "bench/naive_queue.h"
#include "bench/pool.h"
#include "bench/register_scenarios.h"
#include "bench/scenarios/memory.h"
#include "bench/sizes.h"
#include "bench/take_flag.h"
#include "bench/taskqueue_pool.h"
#include "bench/tbb_pool.h"
#include "caf/config.hpp"
#include "oneapi/tbb/version.h"

namespace taskqueue_bench {
namespace {

#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizer = true;
#else
constexpr bool kThreadSanitizer = false;
#endif

template <Pool P>
bool CheckAndRegister(const Sizes& sizes) {
  if (kThreadSanitizer && !P::kTsanClean) {
    std::fprintf(stderr, "pool_bench: %s left out under ThreadSanitizer\n",
                 std::string(P::kName).c_str());
    return true;
  }
  for (int workers : kWorkerCounts) {
    if (!CheckPool<P>(workers)) return false;
  }
  RegisterScenarios<P>(sizes);
  return true;
}

template <Pool... Peers>
bool CheckAndRegisterAll(const Sizes& sizes) {
  return (CheckAndRegister<Peers>(sizes) && ...);
}

// The memory scenario's probe process (scenarios/memory.h):
//   pool_bench --memory_probe <peer> <workers> <tasks> <settle_ms>
// Prints the figures on stdout; returns the exit status.
template <Pool... Peers>
int RunMemoryProbe(int argc, char** argv) {
  if (argc != 6) return 2;
  std::string_view peer = argv[2];
  int workers = std::atoi(argv[3]);
  int tasks = std::atoi(argv[4]);
  std::chrono::milliseconds settle(std::atoi(argv[5]));
  bool found = false;
  auto probe = [&]<Pool P>() {
    if (found || P::kName != peer) return;
    found = true;
    std::fputs(
        FormatMemoryFigures(MeasureQueuedMemory<P>(workers, tasks, settle))
            .c_str(),
        stdout);
  };
  (probe.template operator()<Peers>(), ...);
  return found ? 0 : 2;
}

void AddVersions(bool smoke) {
  benchmark::AddCustomContext("pool_bench_sizes", smoke ? "smoke" : "full");
  benchmark::AddCustomContext("compiler", "g++ " __VERSION__);
  benchmark::AddCustomContext("caf", std::to_string(CAF_MAJOR_VERSION) + "." +
                                         std::to_string(CAF_MINOR_VERSION) +
                                         "." +
                                         std::to_string(CAF_PATCH_VERSION));
  benchmark::AddCustomContext("boost", BOOST_LIB_VERSION);
  benchmark::AddCustomContext("onetbb", TBB_VERSION_STRING);
}

}  // namespace
}  // namespace taskqueue_bench

int main(int argc, char** argv) {
  using namespace taskqueue_bench;  // NOLINT: main only.
  if (argc > 1 && std::string_view(argv[1]) == kMemoryProbeFlag) {
    return RunMemoryProbe<NaiveQueue, AsioPool, TbbPool, CafActorPool,
                          MoodycamelPool, TaskQueuePool>(argc, argv);
  }
  bool smoke = TakeFlag(argc, argv, "--smoke");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  AddVersions(smoke);
  Sizes sizes = smoke ? Sizes::Smoke() : Sizes::Full();
  if (!CheckAndRegisterAll<NaiveQueue, AsioPool, TbbPool, CafActorPool,
                           MoodycamelPool, TaskQueuePool>(sizes)) {
    return 1;
  }
  for (int workers : kWorkerCounts) {
    if (!CheckPool<TaskQueueOptionsOffPool>(workers)) return 1;
  }
  RegisterTaskOptionsScenario<TaskQueuePool>(sizes);
  RegisterTaskOptionsScenario<TaskQueueOptionsOffPool>(sizes);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
