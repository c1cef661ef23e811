// The message vocabulary between TaskQueue, the supervisor actor and the
// worker endpoints: every atom and message type, in one place.
//
// Endpoint protocol (a worker actor now, a remote node's slots later):
//   endpoint   -> supervisor  (ready_atom, int32_t endpoint, uint64_t credit)
//       The endpoint takes up to `credit` batches at a time. Sent when it
//       starts (a replacement of a dead worker too).
//   supervisor -> endpoint    (run_atom, TaskBatchPtr batch)
//       Run the batch's tasks, claiming them one at a time (task_batch.h).
//   endpoint   -> supervisor  (retry_atom, ControlRef task, uint64_t epoch)
//       The task's attempt threw and it has attempts left (TaskLifecycle
//       decided): queue it again after its backoff. Sent before the
//       done_atom of its batch.
//   endpoint   -> supervisor  (done_atom, int32_t endpoint,
//                              uint64_t sequence, uint64_t claimed)
//       The endpoint finished batch `sequence`, its oldest, having claimed
//       its first `claimed` tasks; the rest was taken back, or is left.
// Taking back what an endpoint has not started needs no message in-process:
// the batch is a lease the supervisor reclaims at once (task_batch.h).
//
// Callers:
//   producer   -> supervisor  (drain_atom)
//       The inbox (task_inbox.h) has tasks the supervisor was not told of.
//   caller     -> supervisor  (join_atom, JoinId, uint64_t epoch, Reply)
//       Fulfil the reply once every task of epoch <= `epoch` has ended.
//   caller     -> supervisor  (forget_atom, JoinId)
//       That join gave up (join_for): drop its reply.
//   anyone     -> supervisor  (prune_atom)
//       Some task ended unrun outside the supervisor (a handle cancelled
//       it): take such tasks out and stop waiting for them.
//   caller     -> supervisor  (pause_atom, Reply) / (resume_atom, Reply)
//       Stop / start dispatching; the reply once done.
//   caller     -> supervisor  (clear_atom, CountReply)
//       Cancel every task that has not started; reply with how many.
//   caller     -> supervisor  (close_atom)
//       Shutdown began (the inbox is closed).
//   gateway    -> supervisor  (node_atom, caf::actor node, std::string name,
//                              uint32_t slots)
//       A worker node passed the checks at connect (remote/gateway_actor.h):
//       give it an endpoint and a proxy, or refuse it (refuse_atom).
//   supervisor -> itself      (timer_atom)            [delayed message]
//       A delay, a backoff or a deadline may have passed.
//
// The proxy of a worker node (remote/node_proxy_actor.h) is an endpoint
// like a worker, in this process; it talks to its node in the node protocol
// (remote/node_protocol.h).
//
// Worker death reaches the supervisor as CAF's down_msg (it monitors them);
// shutdown stops the actors with CAF's exit messages.
//
// None of these leaves the process: an endpoint in another process is
// reached through its proxy here, so run_atom and retry_atom may carry
// closures and control blocks.
#ifndef TASKQUEUE_ACTORS_MESSAGES_H_
#define TASKQUEUE_ACTORS_MESSAGES_H_

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>

#include "actors/scheduler/join_ledger.h"
#include "actors/scheduler/scheduler.h"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/atom.hpp"
#include "taskqueue/task_control.h"

namespace taskqueue::internal {

using ready_atom = caf::atom_constant<caf::atom("tq_ready")>;
using run_atom = caf::atom_constant<caf::atom("tq_run")>;
using retry_atom = caf::atom_constant<caf::atom("tq_retry")>;
using done_atom = caf::atom_constant<caf::atom("tq_done")>;
using drain_atom = caf::atom_constant<caf::atom("tq_drain")>;
using join_atom = caf::atom_constant<caf::atom("tq_join")>;
using forget_atom = caf::atom_constant<caf::atom("tq_forget")>;
using prune_atom = caf::atom_constant<caf::atom("tq_prune")>;
using timer_atom = caf::atom_constant<caf::atom("tq_timer")>;
using pause_atom = caf::atom_constant<caf::atom("tq_pause")>;
using resume_atom = caf::atom_constant<caf::atom("tq_resume")>;
using clear_atom = caf::atom_constant<caf::atom("tq_clear")>;
using close_atom = caf::atom_constant<caf::atom("tq_close")>;
using node_atom = caf::atom_constant<caf::atom("tq_node")>;

// A caller blocked on an answer waits on the future of one of these (with a
// timeout, for join_for), rather than on a CAF request: no scoped actor to
// spawn per call.
using Reply = std::shared_ptr<std::promise<void>>;
using CountReply = std::shared_ptr<std::promise<size_t>>;

}  // namespace taskqueue::internal

// Closures cannot be serialized; these never leave the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskqueue::internal::TaskBatchPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskqueue::internal::ControlRef)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskqueue::internal::Reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskqueue::internal::CountReply)

#endif  // TASKQUEUE_ACTORS_MESSAGES_H_
