#include "actors/pages/queue_pages.h"

#include <string>
#include <utility>
#include <vector>

#include "actors/metrics/prometheus_text.h"
#include "actors/pages/dashboard_html.h"
#include "actors/pages/json_reply.h"
#include "actors/pages/queue_metrics.h"
#include "actors/pages/status_events.h"
#include "actors/server/task_json.h"
#include "taskqueue/stats.h"

namespace taskqueue::internal {

absl::StatusOr<std::unique_ptr<QueuePages>> QueuePages::Serve(
    ActorBackend& queue, const DashboardOptions& options) {
  std::unique_ptr<QueuePages> pages(new QueuePages(
      queue, options.token.empty() ? WriteToken::Random() : options.token));
  absl::StatusOr<std::unique_ptr<HttpServer>> http =
      HttpServer::Start({.address = options.address,
                         .port = options.port,
                         .allow_remote = options.allow_remote},
                        [p = pages.get()](const HttpRequest& request) {
                          return p->Handle(request);
                        });
  if (!http.ok()) return http.status();
  pages->http_ = *std::move(http);
  return pages;
}

QueuePages::QueuePages(ActorBackend& queue, std::string token)
    : queue_(queue), token_(std::move(token)) {}

HttpResponse QueuePages::Handle(const HttpRequest& request) {
  const std::string& path = request.path;
  const bool get = request.method == "GET";
  auto only = [&](bool allowed, auto answer) {
    return IfMethodAllowed(allowed, request, path, std::move(answer));
  };
  if (path == "/" || path == "/index.html") {
    return only(get, [] {
      return HttpResponse{.content_type = "text/html; charset=utf-8",
                          .body = kDashboardHtml};
    });
  }
  if (path == "/metrics") {
    return only(get, [this] {
      PrometheusText out;
      AddQueueMetrics(queue_.GetStats(), queue_.num_workers(),
                      absl::Now() - started_, out);
      return HttpResponse{.content_type = PrometheusText::kContentType,
                          .body = out.text()};
    });
  }
  if (path == "/api/status") return only(get, [this] { return Status(); });
  if (path == "/api/events") {
    return only(get, [this] {
      return StatusEvents([this] { return Status(); }, std::chrono::seconds(1));
    });
  }
  if (path == "/api/pause" || path == "/api/resume") {
    return only(request.method == "POST", [&] {
      HttpResponse refusal;
      if (!token_.Allows(request, &refusal)) return refusal;
      path == "/api/pause" ? queue_.Pause() : queue_.Resume();
      return JsonReply(200, std::string("{\"paused\":") +
                                (queue_.paused() ? "true" : "false") + "}");
    });
  }
  if (path == "/api/tasks" || path.rfind("/api/tasks/", 0) == 0) {
    return ErrorReply(404,
                      "an in-process queue keeps no table of its tasks; a "
                      "queue server's pages have one, over its journal");
  }
  return ErrorReply(404, "no page " + path);
}

HttpResponse QueuePages::Status() {
  const Stats stats = queue_.GetStats();
  LiveStatus live{
      .server = {.tasks_by_state = {static_cast<int64_t>(stats.queued),
                                    static_cast<int64_t>(stats.running),
                                    static_cast<int64_t>(stats.completed),
                                    static_cast<int64_t>(stats.failed),
                                    static_cast<int64_t>(stats.cancelled),
                                    static_cast<int64_t>(stats.dropped),
                                    static_cast<int64_t>(stats.coalesced),
                                    static_cast<int64_t>(stats.expired)},
                 .workers = queue_.num_workers(),
                 .paused = queue_.paused(),
                 .completed = stats.completed,
                 .uptime_ms = absl::ToInt64Milliseconds(absl::Now() - started_),
                 .nodes = NodeInfosOf(stats)},
      .journal = false,
      .stats = stats,
  };
  return JsonReply(200, LiveStatusJson(live));
}

}  // namespace taskqueue::internal
