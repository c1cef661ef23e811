// A steady sample workload for the stock queue server, to watch on its
// dashboard: every --interval_ms it adds a batch of --per_tick demo tasks
// and keeps at it for --seconds (0: until it is stopped).
//
//   demo_workload --server=127.0.0.1:7070 --seconds=0
//
// Most tasks are demo.sleep_ms of 20 to 400 ms at priorities 0 to 3; one in
// 20 is demo.flaky at priority 3, calling a service that stays down for 2 s
// after the task is added: its only attempt fails and it is dead-lettered,
// and a retry from the dashboard completes it; one in 50 is demo.fail with two
// attempts, retried once and then dead-lettered for good. Labels say which
// (workload.sleep, workload.flaky, workload.fail). The same seed gives the
// same tasks.
//
// Prints "added N tasks" every ten seconds and when it ends. Exit status 1:
// the server refused or could not be reached (the reason on stderr); 2: bad
// flags. Takes the TLS flags of the other tools.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <random>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "taskqueue/queue_client.h"
#include "tools/host_port/host_port.h"
#include "tools/queue_server/demo_tasks.h"
#include "tools/tls_flags/tls_flags.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7070", "HOST:PORT of the server");
ABSL_FLAG(int, seconds, 0, "how long to keep adding; 0: until stopped");
ABSL_FLAG(int, interval_ms, 250, "time between batches");
ABSL_FLAG(int, per_tick, 3, "tasks in each batch");
ABSL_FLAG(uint32_t, seed, 1, "seed of the tasks' durations and priorities");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  taskqueue::ClientOptions options;
  const std::string server = absl::GetFlag(FLAGS_server);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  const int interval_ms = absl::GetFlag(FLAGS_interval_ms);
  const int per_tick = absl::GetFlag(FLAGS_per_tick);
  if (!taskqueue_tools::ParseHostPort(server, &options.host, &options.port)) {
    std::fprintf(stderr, "demo_workload: --server is HOST:PORT, not \"%s\"\n",
                 server.c_str());
    return 2;
  }
  if (seconds < 0 || interval_ms < 1 || per_tick < 1 || per_tick > 10000) {
    std::fprintf(stderr,
                 "demo_workload: --seconds must be at least 0, --interval_ms "
                 "at least 1 and --per_tick in [1, 10000]\n");
    return 2;
  }
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::seconds(seconds);
  std::mt19937 random(absl::GetFlag(FLAGS_seed));
  // Short tasks are common and long ones rare, as in most queues.
  std::geometric_distribution<int64_t> extra_ms(1.0 / 80);
  std::uniform_int_distribution<int> priority(0, 3);
  int64_t added = 0;
  Clock::time_point next_report = start + std::chrono::seconds(10);
  try {
    options.tls = taskqueue_tools::TlsFromFlags();
    taskqueue::QueueClient client(options);
    Clock::time_point tick = start;
    while (seconds == 0 || Clock::now() < end) {
      taskqueue::TaskBatch batch;
      for (int i = 0; i < per_tick; ++i) {
        const int64_t n = added + i + 1;
        if (n % 20 == 0) {
          batch.add({.label = "workload.flaky", .priority = 3},
                    taskqueue_demo::kFlaky,
                    taskqueue_demo::UnixMillisNow() + 2000);
        } else if (n % 50 == 1 && n > 1) {
          batch.add({.label = "workload.fail", .max_attempts = 2},
                    taskqueue_demo::kFail,
                    std::string("demo.fail: this task always fails"));
        } else {
          batch.add({.label = "workload.sleep", .priority = priority(random)},
                    taskqueue_demo::kSleepMs,
                    int64_t{20} + std::min<int64_t>(extra_ms(random), 380));
        }
      }
      client.add_batch(batch);
      added += per_tick;
      if (Clock::now() >= next_report) {
        std::printf("added %lld tasks\n", static_cast<long long>(added));
        std::fflush(stdout);
        next_report += std::chrono::seconds(10);
      }
      tick += std::chrono::milliseconds(interval_ms);
      std::this_thread::sleep_until(tick);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "demo_workload: %s\n", e.what());
    return 1;
  }
  std::printf("added %lld tasks\n", static_cast<long long>(added));
  return 0;
}
