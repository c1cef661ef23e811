#include "tools/worker_node/worker_node_main.h"

#include <pthread.h>
#include <signal.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "taskqueue/task_registry.h"
#include "taskqueue/worker_node.h"
#include "tools/host_port/host_port.h"
#include "tools/stop_signals/stop_signals.h"
#include "tools/tls_flags/tls_flags.h"

ABSL_FLAG(std::string, connect, "",
          "HOST:PORT of the queue (ListenOptions); required");
ABSL_FLAG(int, slots, 1, "tasks run at once");
ABSL_FLAG(std::string, name, "",
          "name in the queue's stats (default: host name and pid)");
ABSL_FLAG(int, heartbeat_ms, 250, "heartbeat interval");
ABSL_FLAG(int, connection_timeout_ms, 3000,
          "silence after which the queue counts as lost");
ABSL_FLAG(bool, allow_insecure_remote, false,
          "connect to a host off loopback without TLS");
ABSL_FLAG(uint32_t, max_message_bytes, 64 << 20,
          "largest message the queue may send (as its ListenOptions)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  taskqueue::NodeOptions options;
  if (!taskqueue_tools::ParseHostPort(absl::GetFlag(FLAGS_connect),
                                      &options.host, &options.port)) {
    std::fprintf(stderr, "worker node: --connect=HOST:PORT is required\n");
    return 1;
  }
  options.slots = absl::GetFlag(FLAGS_slots);
  options.name = absl::GetFlag(FLAGS_name);
  options.heartbeat_interval =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_heartbeat_ms));
  options.connection_timeout =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_connection_timeout_ms));
  options.tls = taskqueue_tools::TlsFromFlags();
  options.allow_insecure_remote = absl::GetFlag(FLAGS_allow_insecure_remote);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);

  sigset_t signals = taskqueue_tools::BlockStopSignals();

  auto registry = std::make_shared<taskqueue::TaskRegistry>();
  std::unique_ptr<taskqueue::WorkerNode> node;
  try {
    taskqueue::RegisterNodeTasks(*registry);
    node = std::make_unique<taskqueue::WorkerNode>(options, registry);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "worker node: %s\n", e.what());
    return 1;
  }
  taskqueue::WorkerNode* drained = node.get();
  std::thread waiter([signals, drained] {
    int signal = 0;
    sigwait(&signals, &signal);
    if (signal != 0) drained->Drain();
  });
  taskqueue::NodeExit exit = node->Run();
  // Wake the waiter if no signal came.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::fprintf(stderr, "worker node: ran %llu tasks\n",
               static_cast<unsigned long long>(exit.tasks_run));
  return exit.refused ? 2 : 0;
}
