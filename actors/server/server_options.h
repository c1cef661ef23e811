// ServerOptions: what a QueueServer (queue_server.h) is made of. A plain
// struct; the defaults serve a journal in the working directory with four
// local workers and no worker nodes.
#ifndef TASKQUEUE_ACTORS_SERVER_SERVER_OPTIONS_H_
#define TASKQUEUE_ACTORS_SERVER_SERVER_OPTIONS_H_

#include <memory>
#include <optional>

#include "absl/time/time.h"
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
  // How long an ended task (its result, error and idempotency key) is kept
  // before the server compacts it away; QueueClient::purge removes them
  // sooner. Compaction runs every `retention` / 10, at most hourly and at
  // least every second. Infinite: kept for ever.
  absl::Duration retention = absl::Hours(24 * 7);
  // Set: worker nodes may connect (listen_options.h). Its registry, if
  // unset, is the one above.
  std::optional<ListenOptions> nodes;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_SERVER_OPTIONS_H_
