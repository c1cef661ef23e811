// A worker node's main(), for a binary of the user's own: link
// //tools/worker_node:main and a library that defines RegisterNodeTasks,
// which adds the same named tasks the queue has.
//
//   // plot_tasks.cc
//   void taskqueue::RegisterNodeTasks(taskqueue::TaskRegistry& registry) {
//     registry.Add(kWritePlot);
//   }
//
//   # BUILD
//   cc_binary(
//       name = "plot_node",
//       deps = [":plot_tasks", "@taskqueue//tools/worker_node:main"],
//   )
//
//   $ plot_node --connect=127.0.0.1:7070 --slots=4
//
// Flags: --connect=HOST:PORT (required), --slots, --name,
// --heartbeat_ms, --connection_timeout_ms. SIGTERM or SIGINT drains the node
// (worker_node.h): it finishes what runs, gives back the rest and exits 0.
// Exit status 2: the queue refused the node (the reason is on stderr); 1: bad
// flags.
#ifndef TASKQUEUE_TOOLS_WORKER_NODE_WORKER_NODE_MAIN_H_
#define TASKQUEUE_TOOLS_WORKER_NODE_WORKER_NODE_MAIN_H_

#include "taskqueue/task_registry.h"

namespace taskqueue {

// Defined by the binary's own code; called once, before connecting.
void RegisterNodeTasks(TaskRegistry& registry);

}  // namespace taskqueue

#endif  // TASKQUEUE_TOOLS_WORKER_NODE_WORKER_NODE_MAIN_H_
