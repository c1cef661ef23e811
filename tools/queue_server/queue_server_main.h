// A queue server's main(), for a binary of the user's own: link
// //tools/queue_server:main and a library that defines RegisterServerTasks,
// which adds the named tasks the server runs (the same ones its clients add
// and its worker nodes run).
//
//   // plot_tasks.cc
//   void taskqueue::RegisterServerTasks(taskqueue::TaskRegistry& registry) {
//     registry.Add(kWritePlot);
//   }
//
//   # BUILD
//   cc_binary(
//       name = "plot_server",
//       deps = [":plot_tasks", "@taskqueue//tools/queue_server:main"],
//   )
//
//   $ plot_server --port=7070 --journal=/var/lib/plots/journal --workers=8
//
// With no flags it serves clients on 127.0.0.1:7070 with four workers, a
// journal taskqueue.journal in the working directory, and its HTTP pages
// (Prometheus /metrics and the JSON API, server_pages.h) on
// 127.0.0.1:7080. Flags: --address, --port (0: any free port), --port_file
// (where to write the ports bound: "clients P" and, with worker nodes,
// "nodes P", with HTTP pages "http P", one per line, for scripts and
// tests), --http_address, --http_port (-1: no pages), --http_token (what
// the pages' writes need; unset: a random one, printed), --journal,
// --durability=full|process_crash (journal_options.h),
// --workers, --retention (how long ended tasks are kept, default 7 days),
// --node_address and --node_port (accept worker nodes; unset: none),
// --tls_certificate, --tls_key, --tls_ca (mutual TLS for clients and nodes),
// --allow_insecure_remote. SIGTERM or SIGINT stops it: the running attempts
// finish and are recorded, everything else stays queued in the journal for
// the next start. Exit status 0 after a stop; 1 when it cannot start (bad
// flags, a journal it refuses, a port it cannot bind; the reason on stderr).
#ifndef TASKQUEUE_TOOLS_QUEUE_SERVER_QUEUE_SERVER_MAIN_H_
#define TASKQUEUE_TOOLS_QUEUE_SERVER_QUEUE_SERVER_MAIN_H_

#include "taskqueue/task_registry.h"

namespace taskqueue {

// Defined by the binary's own code; called once, before the journal opens.
void RegisterServerTasks(TaskRegistry& registry);

}  // namespace taskqueue

#endif  // TASKQUEUE_TOOLS_QUEUE_SERVER_QUEUE_SERVER_MAIN_H_
