// A page's status as server-sent events: every `interval` the HTTP server
// calls `status` and sends its JSON body (an error's too) as one event, for
// the dashboard to redraw without reloading.
//
//   return StatusEvents([this] { return Status(); }, options_.event_interval);
#ifndef TASKQUEUE_ACTORS_PAGES_STATUS_EVENTS_H_
#define TASKQUEUE_ACTORS_PAGES_STATUS_EVENTS_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "actors/http/http_server.h"

namespace taskqueue::internal {

inline HttpResponse StatusEvents(std::function<HttpResponse()> status,
                                 std::chrono::milliseconds interval) {
  return {.content_type = "text/event-stream",
          .next_event =
              [status = std::move(status)]() -> std::optional<std::string> {
            std::string body = status().body;
            // An event's data is one line.
            if (!body.empty() && body.back() == '\n') body.pop_back();
            return body;
          },
          .event_interval = interval};
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_PAGES_STATUS_EVENTS_H_
