// QueuePages: the dashboard of an in-process TaskQueue
// (QueueOptions::dashboard): the queue server's page (dashboard.html) and
// /metrics, over what an in-memory queue knows, served by an HttpServer of
// its own until destroyed.
//
//   absl::StatusOr<std::unique_ptr<QueuePages>> pages =
//       QueuePages::Serve(backend, {.port = 0, .token = "s3cret"});
//   if (!pages.ok()) return pages.status();  // The port is taken, say.
//   std::printf("http://127.0.0.1:%d/\n", (*pages)->port());
//
// Routes:
//   GET  /             the dashboard
//   GET  /metrics      Prometheus text format (queue_metrics.h)
//   GET  /api/status   LiveStatusJson (task_json.h), "journal": false: the
//                      counts by state are since the queue started
//   GET  /api/events   /api/status as server-sent events, every second
//   POST /api/pause, /api/resume   with the token (write_token.h)
// /api/tasks is 404 with a reason: an in-memory queue keeps no ended tasks.
//
// Thread-safe: the HTTP server's threads call Handle; every read is of the
// queue's counters (non-blocking), pause and resume wait for the supervisor
// as TaskQueue::pause does. `queue` must outlive this.
#ifndef TASKQUEUE_ACTORS_PAGES_QUEUE_PAGES_H_
#define TASKQUEUE_ACTORS_PAGES_QUEUE_PAGES_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "actors/actor_backend.h"
#include "actors/http/http_server.h"
#include "actors/pages/write_token.h"
#include "taskqueue/dashboard_options.h"

namespace taskqueue::internal {

class QueuePages {
 public:
  // Fails with kInvalidArgument for an address off loopback without
  // allow_remote and kUnavailable for one that cannot be bound. An empty
  // token is replaced by a random one (token()).
  static absl::StatusOr<std::unique_ptr<QueuePages>> Serve(
      ActorBackend& queue, const DashboardOptions& options);

  HttpResponse Handle(const HttpRequest& request);

  uint16_t port() const { return http_->port(); }
  const std::string& token() const { return token_.value(); }

 private:
  QueuePages(ActorBackend& queue, std::string token);
  HttpResponse Status();

  ActorBackend& queue_;
  const WriteToken token_;
  const absl::Time started_ = absl::Now();
  // Last: destroyed first, so no handler runs on a half-destroyed this.
  std::unique_ptr<HttpServer> http_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_PAGES_QUEUE_PAGES_H_
