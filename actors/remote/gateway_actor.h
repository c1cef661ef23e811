// The gateway: the one actor a listening queue publishes on its port, where
// worker nodes say hello (node_protocol.h). It checks each node
// (QueueRefusals) and answers and reports a refusal itself; an acceptable node
// goes on to the supervisor, which gives it an endpoint and a proxy.
//
// Publishing this instead of the supervisor keeps the supervisor's own
// messages (pause, clear, join...) out of reach of the network. Nor does the
// supervisor send to a node itself: the gateway says busy for it. CAF's
// middleman can hold an actor that messaged a peer for as long as the actor
// system lives, and ~actor_system waits for the detached supervisor's thread
// until the supervisor is destroyed: it would wait for ever. Only scheduled
// actors (the gateway, the node proxies) talk to the network.
#ifndef TASKQUEUE_ACTORS_REMOTE_GATEWAY_ACTOR_H_
#define TASKQUEUE_ACTORS_REMOTE_GATEWAY_ACTOR_H_

#include "actors/remote/node_handshake.h"
#include "actors/remote/node_protocol.h"
#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"

namespace taskqueue::internal {

caf::behavior gateway_actor(caf::event_based_actor* self,
                            SignatureMap queue_tasks, RefusalHook on_refused,
                            caf::actor supervisor);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_GATEWAY_ACTOR_H_
