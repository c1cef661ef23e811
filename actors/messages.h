// The message vocabulary between TaskQueue, the supervisor actor and the
// worker actors: every atom and message type, in one place.
//
//   producer   -> supervisor  (drain_atom)
//       The inbox (task_inbox.h) has tasks the supervisor was not told of.
//   caller     -> supervisor  (join_atom, uint64_t epoch, Reply)
//       Fulfil the reply once every task of epoch <= `epoch` has ended.
//   supervisor -> worker      (run_atom, TaskBatchPtr batch)
//       Run the batch's tasks, claiming them one at a time (task_batch.h).
//   worker     -> supervisor  (done_atom, int32_t worker, uint64_t ran)
//       The worker finished the oldest batch it was sent, having claimed its
//       first `ran` tasks; the supervisor reclaimed the rest, if any.
//   worker     -> supervisor  (retry_atom, ControlRef, uint64_t epoch)
//       The task's attempt threw and it has attempts left: queue it again
//       after its backoff. Sent before the done_atom of its batch.
//   anyone     -> supervisor  (prune_atom)
//       Some task ended unrun outside the supervisor (a handle cancelled it):
//       take such tasks out and stop waiting for them.
//   supervisor -> itself      (timer_atom)            [delayed message]
//       A delay, a backoff or a deadline may have passed.
//   caller     -> supervisor  (pause_atom, Reply) / (resume_atom)
//       Stop / start dispatching; the reply once nothing more will start.
//   caller     -> supervisor  (clear_atom, CountReply)
//       Cancel every task that has not started; reply with how many.
//   caller     -> supervisor  (close_atom)
//       Shutdown began (the inbox is closed): end every task still waiting
//       for a timer, resume if paused.
//
// Worker death reaches the supervisor as CAF's down_msg (it monitors them);
// shutdown stops the actors with CAF's exit messages.
//
// Only batches and control blocks carry task code: closures can only travel
// within this process. The rest is plain data, so that remote workers and a
// journal can reuse the vocabulary, with batches of named, serialized tasks
// in place of closures.
#ifndef TASKQUEUE_ACTORS_MESSAGES_H_
#define TASKQUEUE_ACTORS_MESSAGES_H_

#include <cstddef>
#include <future>
#include <memory>

#include "actors/task_batch.h"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/atom.hpp"
#include "taskqueue/task_control.h"

namespace taskqueue::internal {

using drain_atom = caf::atom_constant<caf::atom("tq_drain")>;
using join_atom = caf::atom_constant<caf::atom("tq_join")>;
using run_atom = caf::atom_constant<caf::atom("tq_run")>;
using done_atom = caf::atom_constant<caf::atom("tq_done")>;
using retry_atom = caf::atom_constant<caf::atom("tq_retry")>;
using prune_atom = caf::atom_constant<caf::atom("tq_prune")>;
using timer_atom = caf::atom_constant<caf::atom("tq_timer")>;
using pause_atom = caf::atom_constant<caf::atom("tq_pause")>;
using resume_atom = caf::atom_constant<caf::atom("tq_resume")>;
using clear_atom = caf::atom_constant<caf::atom("tq_clear")>;
using close_atom = caf::atom_constant<caf::atom("tq_close")>;

using TaskBatchPtr = std::shared_ptr<TaskBatch>;
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
