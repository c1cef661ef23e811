// What clients see of a queue server: its journal's tasks as TaskInfo and
// the server as ServerStatus (queue_client.h), for every door it has (the
// client protocol's front, the HTTP API), so they show the same.
//
//   server.Read([&server](Journal& journal) {
//     absl::StatusOr<std::array<int64_t, 8>> counts = journal.CountByState();
//     if (counts.ok()) Show(ServerStatusOf(server, *counts));
//   });
//
// Plain functions; ServerStatusOf and LiveStatusOf read the queue's counters
// (thread-safe).
#ifndef TASKQUEUE_ACTORS_SERVER_TASK_VIEWS_H_
#define TASKQUEUE_ACTORS_SERVER_TASK_VIEWS_H_

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "actors/journal/journal.h"
#include "actors/server/queue_server.h"
#include "actors/server/task_json.h"
#include "taskqueue/queue_client.h"
#include "taskqueue/stats.h"

namespace taskqueue::internal {

TaskInfo TaskInfoOf(JournalTask task);
// `counts`: the journal's tasks by TaskState (Journal::CountByState);
// `stats`: the queue's, or read now.
ServerStatus ServerStatusOf(QueueServer& server,
                            const std::array<int64_t, 8>& counts);
ServerStatus ServerStatusOf(QueueServer& server,
                            const std::array<int64_t, 8>& counts,
                            const Stats& stats);
// The dashboard's status, read from `journal` (on the commit thread, so
// QueueServer::Read) beside `stats`, the queue's (read before, off that
// thread); at most `max_running` running tasks.
absl::StatusOr<LiveStatus> LiveStatusOf(QueueServer& server, Journal& journal,
                                        Stats stats, int max_running);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_TASK_VIEWS_H_
