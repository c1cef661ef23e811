// The message vocabulary between TaskQueue, the supervisor actor and the
// worker actors: every atom and message type, in one place.
//
//   producer   -> supervisor  (drain_atom)
//       The inbox (task_inbox.h) has tasks the supervisor was not told of.
//   caller     -> supervisor  (join_atom, uint64_t epoch) => (caf::ok_atom)
//       A request: answered once every task of epoch <= `epoch` finished.
//   supervisor -> worker      (run_atom, TaskBatchPtr batch)
//       Run the batch's tasks, claiming them one at a time (task_batch.h).
//   worker     -> supervisor  (done_atom, int32_t worker, uint64_t ran)
//       The worker finished the oldest batch it was sent, having run its
//       first `ran` tasks; the supervisor reclaimed the rest, if any.
//
// Shutdown uses CAF's own exit messages.
//
// Only the batch carries task code: it holds closures and so can only travel
// within this process. Everything else is plain data, so that remote workers
// and a journal can reuse the vocabulary, with batches of named, serialized
// tasks in place of closures.
#ifndef TASKQUEUE_ACTORS_MESSAGES_H_
#define TASKQUEUE_ACTORS_MESSAGES_H_

#include <memory>

#include "actors/task_batch.h"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/atom.hpp"

namespace taskqueue::internal {

using drain_atom = caf::atom_constant<caf::atom("tq_drain")>;
using join_atom = caf::atom_constant<caf::atom("tq_join")>;
using run_atom = caf::atom_constant<caf::atom("tq_run")>;
using done_atom = caf::atom_constant<caf::atom("tq_done")>;

using TaskBatchPtr = std::shared_ptr<TaskBatch>;

}  // namespace taskqueue::internal

// Closures cannot be serialized; batches never leave the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskqueue::internal::TaskBatchPtr)

#endif  // TASKQUEUE_ACTORS_MESSAGES_H_
