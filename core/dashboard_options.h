// DashboardOptions: an in-process TaskQueue's live web dashboard
// (QueueOptions::dashboard), the page a queue server shows, over HTTP on
// loopback: counts, throughput and latency charts, workers and nodes,
// pause and resume, and Prometheus metrics at /metrics.
//
//   taskqueue::TaskQueue q({.num_workers = 4,
//                           .dashboard = taskqueue::DashboardOptions{}});
//   // stderr: taskqueue: dashboard on http://127.0.0.1:41234/ (write token
//   ...) std::printf("port %d\n", q.dashboard_port());
//
// An in-process queue keeps no record of ended tasks, so its page has no
// task table (a queue server's, over its journal, has). The pages run on
// threads of their own and never block the queue. An address off loopback
// without allow_remote, or an address that cannot be bound, makes the
// TaskQueue constructor throw std::invalid_argument (after stopping the
// workers it had started).
#ifndef TASKQUEUE_CORE_DASHBOARD_OPTIONS_H_
#define TASKQUEUE_CORE_DASHBOARD_OPTIONS_H_

#include <cstdint>
#include <string>

namespace taskqueue {

struct DashboardOptions {
  std::string address = "127.0.0.1";
  // 0: any free port; TaskQueue::dashboard_port() says which.
  uint16_t port = 0;
  // What writes (pause, resume) need, as `Authorization: Bearer TOKEN`.
  // Empty: a random one, printed to stderr with the address.
  std::string token;
  // Required to listen off loopback: the page shows the queue to anyone who
  // reaches it.
  bool allow_remote = false;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_DASHBOARD_OPTIONS_H_
