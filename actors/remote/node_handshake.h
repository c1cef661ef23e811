// NodeHandshake: whether a queue and a worker node may work together, decided
// from what each tells the other when the node connects (node_protocol.h).
// Both sides run the check, each on the other's registry, so that a node
// never runs for a queue it disagrees with, whichever side is older.
//
//   std::vector<std::string> why = QueueRefusals(hello, queue_tasks);
//   if (!why.empty()) Refuse(absl::StrJoin(why, "\n"));
//
// Plain functions of their inputs; thread-safe.
#ifndef TASKQUEUE_ACTORS_REMOTE_NODE_HANDSHAKE_H_
#define TASKQUEUE_ACTORS_REMOTE_NODE_HANDSHAKE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actors/remote/node_protocol.h"

namespace taskqueue::internal {

struct NodeHello {
  uint32_t version = 0;
  std::string name;
  uint32_t slots = 0;
  SignatureMap tasks;
};

// The most slots one node may offer: each is a thread there, and the queue
// sends a node that many tasks at once.
inline constexpr uint32_t kMaxNodeSlots = 1024;

// The queue's side: one line per reason to refuse `hello` (another protocol
// version, no slots or too many, a name that is empty, longer than 200
// bytes or not printable ASCII, a task both know under different types, a
// task of `queue_tasks` the node lacks). Empty: accept.
std::vector<std::string> QueueRefusals(const NodeHello& hello,
                                       const SignatureMap& queue_tasks);

// The node's side, on the queue's registry in its welcome: the same task
// checks, from the node's point of view.
std::vector<std::string> NodeRefusals(const SignatureMap& node_tasks,
                                      const SignatureMap& queue_tasks);

// ListenOptions::on_refused, or a line on stderr when that is empty.
using RefusalHook =
    std::function<void(const std::string& node, const std::string& why)>;
void ReportRefusal(const RefusalHook& hook, const std::string& node,
                   const std::string& why);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_NODE_HANDSHAKE_H_
