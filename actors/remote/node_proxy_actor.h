// The node proxy: the scheduler's endpoint for one connected worker node,
// an actor in the queue's process that speaks the endpoint protocol
// (messages.h) to the supervisor and the node protocol (node_protocol.h) to
// the node.
//
// It holds the batches the scheduler sends it in a NodeLease, sends the node
// the tasks that fit while the node has fewer than its slots plus `prefetch`
// unanswered (node_lease.h), in frames (node_frames.h), and turns the node's
// reports into the task's lifecycle: Start when a slot begins it, Complete with
// the result decoded into the task's future, AttemptFailed with a
// RemoteTaskError. It decides nothing itself.
//
// It exits when the node leaves (leave_atom) or is lost (CAF's down_msg for
// the node, on a broken or timed-out connection); the supervisor, which
// monitors it, then reports the endpoint lost. A report arriving after that
// has no receiver. A lost node may have started any task it was sent (its
// last reports are lost with it), so the proxy starts those first, and
// the scheduler counts them lost with the node; a node that leaves has
// reported its starts, and what it did not start goes back unrun. A node that
// breaks the protocol (a frame that does not decode, a report for a task it
// was not sent, a result before its start), or that refuses the session
// (refuse_atom: this queue's tasks did not decode there), is dropped the same
// way as a lost one, and why is printed to stderr.
//
// Spawn it scheduled, not detached (actor_backend.cc says why). The
// lifecycle runs user callbacks (observer, on_error) on it, as on a worker,
// so a slow callback holds up every node's routing, not only this one's:
// callbacks are contracted to be quick (task_observer.h).
#ifndef TASKQUEUE_ACTORS_REMOTE_NODE_PROXY_ACTOR_H_
#define TASKQUEUE_ACTORS_REMOTE_NODE_PROXY_ACTOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "actors/lifecycle/task_lifecycle.h"
#include "actors/remote/node_protocol.h"
#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/stateful_actor.hpp"

namespace taskqueue::internal {

struct NodeProxyContext {
  std::shared_ptr<TaskLifecycle> lifecycle;
  // Whether to read the clock for each task (timings recorded).
  bool record_timings = false;
  // The most one frame of tasks holds (TransportSecurity::frame_bytes).
  size_t frame_bytes = 1 << 20;
  // The queue's registry, sent to the node for its own check.
  SignatureMap tasks;
};

// Batches the proxy takes at a time, as a worker (worker_actor.h): the next
// one is at hand when the node drains the current one.
inline constexpr uint64_t kNodeCredit = 2;

class NodeProxy;

// The proxy's handles (to the node, the supervisor, the lifecycle) live here,
// and CAF destroys the state as the actor exits: the middleman may keep an
// exited proxy's object for as long as the actor system lives (a reference
// of a lost node's), and through it the supervisor, whose detached thread
// ~actor_system would then wait for, for ever.
struct NodeProxyState {
  static inline const char* name = "taskqueue.node_proxy";
  NodeProxyState();
  ~NodeProxyState();  // Where NodeProxy is complete.
  std::unique_ptr<NodeProxy> proxy;
};

caf::behavior node_proxy_actor(caf::stateful_actor<NodeProxyState>* self,
                               int32_t endpoint, caf::actor node, size_t slots,
                               size_t prefetch,
                               std::shared_ptr<const NodeProxyContext> context,
                               caf::actor supervisor);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_NODE_PROXY_ACTOR_H_
