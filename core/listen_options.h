// ListenOptions: how a TaskQueue accepts worker nodes, processes on this or
// other machines that run its named tasks (named_task.h, worker_node.h),
// over CAF's network layer.
//
//   auto registry = std::make_shared<taskqueue::TaskRegistry>();
//   registry->Add(kWritePlot);
//   taskqueue::TaskQueue q(taskqueue::QueueOptions{
//       .num_workers = 2,  // local workers; 0 makes a pure dispatcher
//       .listen = taskqueue::ListenOptions{.port = 7070,
//                                          .registry = registry},
//   });
//   // On another terminal: my_node --connect=127.0.0.1:7070 --slots=4
//   q.add_task(kWritePlot, x, y);  // runs here or on a node
//
// Local workers and nodes serve the same queue: a node gets named tasks
// only, as many as it has free slots plus `prefetch`; closures stay here.
//
// A node is accepted only if it has every task of `registry` under the same
// signature (TaskRegistry::Mismatches, Missing); it may have more. A named
// task added to a listening queue must be in `registry` (add_task throws
// UnknownTaskError or TaskSignatureError otherwise): a node could not run it.
//
// A refused node is told why and reported here too (`on_refused`), as is
// one turned away for now (its name is connected, or max_nodes are).
//
// Failure: a node that dies, disconnects or sends nothing (not even CAF's
// heartbeat) for `connection_timeout` is lost. Every task it was sent and had
// not answered may have run there (its last reports are lost with it), so
// each runs again elsewhere and counts one node loss (TaskOptions::
// at_most_once and `max_node_losses` say when it fails instead). A node that
// drains (WorkerNode::Drain, SIGTERM) hands back what it had not started:
// that runs elsewhere, counting nothing.
//
// Security: with `tls`, nodes and queue authenticate each other and encrypt
// (tls_options.h). Without it, anyone who reaches the port can connect as a
// node (and is sent tasks and their arguments) in the clear: fine on
// loopback, so an address off loopback needs `tls` or
// `allow_insecure_remote`. Either way, a peer that sends garbage, a forged
// or oversized frame (more than `max_message_bytes`) or fails its TLS
// handshake loses its connection and nothing else: other nodes go on.
//
// Invalid options (no registry, a port or count out of range, a heartbeat not
// shorter than the timeout, an address off loopback without TLS or
// `allow_insecure_remote`, TLS files that do not load) make the TaskQueue
// constructor throw std::invalid_argument; an address or port that cannot be
// bound throws std::runtime_error. Nothing is started then.
#ifndef TASKQUEUE_CORE_LISTEN_OPTIONS_H_
#define TASKQUEUE_CORE_LISTEN_OPTIONS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "taskqueue/tls_options.h"

namespace taskqueue {

class TaskRegistry;

struct ListenOptions {
  // Where nodes connect. Default: loopback only.
  std::string address = "127.0.0.1";
  // 0 picks a free port: TaskQueue::listening_port() tells which.
  uint16_t port = 0;
  // The named tasks nodes must have. Required.
  std::shared_ptr<const TaskRegistry> registry;
  // Tasks a node is sent beyond its free slots, so that a slot finishing a
  // task finds the next one there instead of waiting a round trip. Higher
  // hides more latency; lower strands less behind a slow task. >= 0.
  int prefetch = 1;
  // CAF's heartbeat and the silence after which a node counts as lost
  // (CAF 0.17.6 has neither by default: a hung node would never be
  // noticed). heartbeat_interval < connection_timeout; both > 0.
  std::chrono::milliseconds heartbeat_interval{250};
  std::chrono::milliseconds connection_timeout{3000};
  // A task fails (NodeLostError) once this many nodes were lost while they
  // ran it: a task that kills its node does not take down the fleet one
  // node at a time. >= 1.
  int max_node_losses = 3;
  // Nodes connected at once; more are turned away until one leaves (they
  // try again). In [1, 4096].
  int max_nodes = 64;
  // Mutual TLS with the nodes (tls_options.h). Unset: plain TCP.
  std::optional<TlsOptions> tls;
  // Listening on an address other than loopback without TLS lets anyone
  // who reaches the port run the registry's tasks: refused unless this is
  // set.
  bool allow_insecure_remote = false;
  // The largest message a node may send (a result, mostly); a node that
  // sends more is disconnected, as one that sends garbage. A task whose
  // arguments are larger cannot be added (add_task throws). In [64 KiB,
  // 1 GiB]; set the nodes' NodeOptions::max_message_bytes alike.
  uint32_t max_message_bytes = 64 << 20;
  // Called (on the queue's network thread; keep it short, never block) for
  // each node turned away, with the name it gave and why, one line per
  // reason: the node is told the same and exits, so its operator and this
  // queue's both learn what to fix. Empty: one line on stderr.
  std::function<void(const std::string& node, const std::string& why)>
      on_refused;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_LISTEN_OPTIONS_H_
