// HttpServer: a small HTTP/1.1 server (Boost.Beast) for what the queue
// server shows people and monitoring: the dashboard, its JSON API and
// Prometheus' /metrics. Mechanism only: what a request means is the
// handler's (a plain function, testable without a socket); this class reads
// requests within bounds, calls the handler and writes its answer.
//
//   absl::StatusOr<std::unique_ptr<HttpServer>> http = HttpServer::Start(
//       {.port = 8080}, [](const HttpRequest& request) {
//         if (request.path == "/metrics") return HttpResponse{.body = text};
//         return HttpResponse{.status = 404, .body = "no such page\n"};
//       });
//   if (!http.ok()) return http.status();  // The port is taken, say.
//   std::printf("http://127.0.0.1:%d/\n", (*http)->port());
//
// Contract. The handler runs on the server's own threads (options.threads),
// never on the caller's or the queue's: it may block briefly (a read of the
// journal), which holds only its connection's thread. It must be
// thread-safe; an exception it throws is a 500 with its message. Hostile
// clients cost their own connection only: a request over
// max_request_bytes is answered 413 and closed, one that does not parse 400
// and closed, one that is not complete within request_timeout (a slow or
// silent client) is closed, as is a client that does not read its answer
// within it; connections beyond max_connections are closed at once. Start
// fails with kInvalidArgument for bad options (an address off loopback
// without allow_remote) and kUnavailable when the address cannot be bound.
// The destructor closes the port and every connection and waits for the
// handlers that run.
#ifndef TASKQUEUE_ACTORS_HTTP_HTTP_SERVER_H_
#define TASKQUEUE_ACTORS_HTTP_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace taskqueue::internal {

struct HttpOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: a free one, HttpServer::port() says which.
  // Required to listen off loopback: the pages show every task's
  // arguments and errors.
  bool allow_remote = false;
  int threads = 2;
  // A request's header and body together.
  size_t max_request_bytes = 64 << 10;
  std::chrono::milliseconds request_timeout{10000};
  int max_connections = 64;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/api/tasks", percent-decoded.
  // The query string's parameters, percent-decoded; the last of a repeated
  // name wins.
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // Names in lower case.
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Set: the answer is a stream of server-sent events (text/event-stream)
  // instead of `body`: every `event_interval` the server calls `next_event`
  // on its thread and sends what it returns as one event's data (one line),
  // until it returns nullopt, the client goes away or does not read within
  // request_timeout, or the server stops.
  std::function<std::optional<std::string>()> next_event;
  std::chrono::milliseconds event_interval{1000};
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(HttpOptions options,
                                                           HttpHandler handler);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Splits a request target ("/api/tasks?state=failed&limit=50") into its
// decoded path and query parameters; false when its percent-escapes are
// malformed.
bool ParseTarget(std::string_view target, std::string* path,
                 std::map<std::string, std::string>* query);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_HTTP_HTTP_SERVER_H_
