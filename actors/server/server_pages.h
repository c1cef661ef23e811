// ServerPages: what a queue server answers over HTTP (http_server.h), as a
// plain handler: a live dashboard, Prometheus metrics, and the JSON API
// that scripts and the dashboard use. Reads of the journal go through the
// commit thread (QueueServer::Read) and wait for it on the HTTP thread, never
// on the queue's.
//
//   ServerPages pages(server, {.token = token});
//   auto http = HttpServer::Start({.port = 7080}, [&pages](const auto& r) {
//     return pages.Handle(r);
//   });
//
// Routes:
//   GET  /                        the dashboard (actors/pages/dashboard.html)
//   GET  /metrics                 Prometheus text format (0.0.4)
//   GET  /api/status              LiveStatusJson (task_json.h): StatusJson's
//                                 keys, who runs what, the queue by priority,
//                                 counters and latency histograms
//   GET  /api/events              server-sent events: /api/status every
//                                 event_interval, for live pages
//   GET  /api/tasks?state=&label=&after=&limit=
//                                 a page of TaskListJson, in id order after
//                                 `after`, at most `limit` (1..1000, 50)
//   GET  /api/tasks/ID            TaskJson with its attempts
//   POST /api/tasks/ID/retry      a dead-lettered task queued again
//   POST /api/pause, /api/resume  stop / restart giving out tasks
//   POST /api/purge?older_than_ms=N
//                                 ended tasks at least N ms old deleted
// Writes (POST) need the token, as `Authorization: Bearer TOKEN` or
// `X-Taskqueue-Token: TOKEN`: 401 without it, 403 with another. Bad
// parameters are 400, unknown tasks and paths 404, another method 405, a
// task in the wrong state for a retry 409, a journal that does not answer
// within read_timeout 503; every error's body says why ({"error": ...}).
//
// Thread-safe: Handle may run on many threads at once. `server` must
// outlive this, and this the HttpServer that calls it (an event stream's
// next_event calls back into it). The constructor throws std::invalid_argument
// for an empty token.
#ifndef TASKQUEUE_ACTORS_SERVER_SERVER_PAGES_H_
#define TASKQUEUE_ACTORS_SERVER_SERVER_PAGES_H_

#include <chrono>
#include <string>

#include "actors/http/http_server.h"
#include "actors/pages/write_token.h"
#include "actors/server/queue_server.h"

namespace taskqueue::internal {

struct PagesOptions {
  std::string token;
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds event_interval{1000};
};

class ServerPages {
 public:
  ServerPages(QueueServer& server, PagesOptions options);

  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse Metrics();
  HttpResponse Status();
  HttpResponse Events();
  HttpResponse Tasks(const HttpRequest& request);
  HttpResponse Task(int64_t id);
  HttpResponse Write(const HttpRequest& request, const std::string& action,
                     int64_t id);
  QueueServer& server_;
  const PagesOptions options_;
  const WriteToken token_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_SERVER_PAGES_H_
