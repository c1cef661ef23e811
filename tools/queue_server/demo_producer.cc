// A producer for the stock queue server that adds demo tasks and exits: the
// server runs them after it is gone, and anyone can wait for them later
// (taskqueue_ctl list --label=...).
//
//   demo_producer --server=127.0.0.1:7070 --tasks=100 --sleep_ms=200
//       --label=run-1
//
// Adds --tasks demo.sleep_ms tasks with the label, prints "added N tasks,
// ids A..B" and exits 0 once every one is durable in the server's journal.
// Exit status 1: the server refused or could not be reached (the reason on
// stderr); 2: bad flags. Takes the TLS flags of the other tools.
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "taskqueue/queue_client.h"
#include "tools/host_port/host_port.h"
#include "tools/queue_server/demo_tasks.h"
#include "tools/tls_flags/tls_flags.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7070", "HOST:PORT of the server");
ABSL_FLAG(int, tasks, 10, "how many tasks to add");
ABSL_FLAG(int, sleep_ms, 200, "how long each task sleeps");
ABSL_FLAG(std::string, label, "demo", "the tasks' label");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  taskqueue::ClientOptions options;
  const std::string server = absl::GetFlag(FLAGS_server);
  const int tasks = absl::GetFlag(FLAGS_tasks);
  const int sleep_ms = absl::GetFlag(FLAGS_sleep_ms);
  if (!taskqueue_tools::ParseHostPort(server, &options.host, &options.port)) {
    std::fprintf(stderr, "demo_producer: --server is HOST:PORT, not \"%s\"\n",
                 server.c_str());
    return 2;
  }
  if (tasks < 1 || sleep_ms < 0) {
    std::fprintf(stderr,
                 "demo_producer: --tasks must be at least 1 and --sleep_ms "
                 "at least 0\n");
    return 2;
  }
  try {
    options.tls = taskqueue_tools::TlsFromFlags();
    taskqueue::QueueClient client(options);
    taskqueue::TaskBatch batch;
    for (int i = 0; i < tasks; ++i) {
      batch.add({.label = absl::GetFlag(FLAGS_label)}, taskqueue_demo::kSleepMs,
                int64_t{sleep_ms});
    }
    std::vector<uint64_t> ids = client.add_batch(batch);
    std::printf("added %d tasks, ids %llu..%llu\n", tasks,
                static_cast<unsigned long long>(ids.front()),
                static_cast<unsigned long long>(ids.back()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "demo_producer: %s\n", e.what());
    return 1;
  }
  return 0;
}
