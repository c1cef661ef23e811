// ServerOptions: what a QueueServer (queue_server.h) is made of. A plain
// struct; the defaults serve a journal in the working directory with four
// local workers and no worker nodes.
#ifndef TASKQUEUE_ACTORS_SERVER_SERVER_OPTIONS_H_
#define TASKQUEUE_ACTORS_SERVER_SERVER_OPTIONS_H_

#include <memory>
#include <optional>

#include "actors/journal/group_commit.h"
#include "actors/journal/journal_options.h"
#include "taskqueue/listen_options.h"
#include "taskqueue/task_registry.h"

namespace taskqueue::internal {

struct ServerOptions {
  // The tasks the server runs, by name. Required.
  std::shared_ptr<const TaskRegistry> registry;
  JournalOptions journal;
  GroupCommitOptions commits;
  // Local workers; may be 0 when worker nodes do the work. In [0, 1024].
  int num_workers = 4;
  // Set: worker nodes may connect (listen_options.h). Its registry, if
  // unset, is the one above.
  std::optional<ListenOptions> nodes;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_SERVER_OPTIONS_H_
