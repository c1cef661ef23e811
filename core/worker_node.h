// WorkerNode: a process's side of worker nodes (listen_options.h). It
// connects to a listening TaskQueue, offers `slots` worker threads, and runs
// the named tasks it is sent from its TaskRegistry, until it is drained.
//
//   int main(int argc, char** argv) {
//     auto registry = std::make_shared<taskqueue::TaskRegistry>();
//     registry->Add(kWritePlot);  // the same registry the queue has
//     taskqueue::WorkerNode node(
//         taskqueue::NodeOptions{.port = 7070, .slots = 4}, registry);
//     taskqueue::NodeExit exit = node.Run();  // blocks
//     return exit.refused ? 2 : 0;
//   }
//
// Or link //tools/worker_node:main, which is that main() with flags and
// SIGTERM handling, and define RegisterNodeTasks() (worker_node_main.h).
//
// Contract:
//   * Run() blocks. It connects, and when the connection fails or is lost
//     (the queue restarted, the network broke, nothing heard for
//     connection_timeout), it retries with exponential backoff, for ever.
//     It returns only after Drain(), or when the queue refuses the node (a
//     registry mismatch: the reason is in the result, the node must be
//     fixed, so it does not retry). A queue that has a node of this name
//     connected (say, this node's previous process, which it has not yet
//     noticed is dead) or max_nodes nodes is asked again after the backoff.
//   * Drain() (any thread; not from a signal handler: have a thread wait
//     for the signal, as tools/worker_node does) makes Run() finish the
//     tasks that run, report them, give back the tasks it was sent and has
//     not started (the queue runs them elsewhere), and return.
//   * A task that throws is reported to the queue as a RemoteTaskError
//     (the thrown type's name and what()); the node goes on.
//   * Tasks the node was running when it lost the queue finish, and their
//     results are dropped: the queue has already given them to another node.
#ifndef TASKQUEUE_CORE_WORKER_NODE_H_
#define TASKQUEUE_CORE_WORKER_NODE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "taskqueue/tls_options.h"

namespace taskqueue {

class TaskRegistry;

struct NodeOptions {
  // The queue's ListenOptions address and port.
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  // Tasks run at once, each on a thread of its own. In [1, 1024].
  int slots = 1;
  // How the queue's stats() name this node; unique among the nodes
  // connected at once. Default: host name and process id.
  std::string name;
  // As ListenOptions: how this side notices a queue that hangs.
  std::chrono::milliseconds heartbeat_interval{250};
  std::chrono::milliseconds connection_timeout{3000};
  // Mutual TLS with the queue (tls_options.h): set it exactly when the
  // queue's ListenOptions::tls is. A handshake that fails (the queue's
  // certificate is not of `ca_file`'s CA, or it refused ours) is retried
  // like an unreachable queue, and says so on stderr.
  std::optional<TlsOptions> tls;
  // Connecting to a host other than loopback without TLS sends the node's
  // results in the clear to whoever answers there: refused unless set.
  bool allow_insecure_remote = false;
  // The largest message the queue may send (a task with its arguments); as
  // ListenOptions::max_message_bytes, which should be the same. A result
  // larger than this is reported as the task's error instead.
  uint32_t max_message_bytes = 64 << 20;
  // Waits between attempts to connect: doubling from the first to the
  // most, with jitter, back to the first once connected.
  std::chrono::milliseconds reconnect_first{50};
  std::chrono::milliseconds reconnect_most{2000};
};

// Why Run() returned.
struct NodeExit {
  // The queue refused the node; `why` says for what (one line per reason).
  bool refused = false;
  std::string why;
  // Tasks this node finished (completed or threw) for the queue.
  uint64_t tasks_run = 0;
};

class WorkerNode {
 public:
  // Throws std::invalid_argument for invalid options or a null registry.
  WorkerNode(NodeOptions options, std::shared_ptr<const TaskRegistry> registry);
  // Drains. Run() must have returned by then: call Drain() from another
  // thread and wait for it.
  ~WorkerNode();

  WorkerNode(const WorkerNode&) = delete;
  WorkerNode& operator=(const WorkerNode&) = delete;

  // See the contract above. Call once.
  NodeExit Run();
  // Thread-safe; idempotent.
  void Drain();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_WORKER_NODE_H_
