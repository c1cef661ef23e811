// HttpServer over real loopback sockets: requests reach the handler decoded,
// and clients that send too much, garbage, or too little cost their own
// connection only.
#include "actors/http/http_server.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/http_exchange.h"
#include "tests/occurrences.h"
#include "tests/remote/raw_connection.h"

namespace taskqueue::internal {
namespace {

using taskqueue_testing::Occurrences;

using std::chrono::milliseconds;
using taskqueue_test::Exchange;
using taskqueue_test::Get;
using taskqueue_test::RawConnection;

// Echoes what it was asked; /fail throws.
HttpResponse Echo(const HttpRequest& request) {
  if (request.path == "/fail") throw std::runtime_error("no luck");
  if (request.path == "/missing") return {.status = 404, .body = "none\n"};
  std::string body = request.method + " " + request.path;
  for (const auto& [name, value] : request.query) {
    body += " " + name + "=" + value;
  }
  auto host = request.headers.find("host");
  if (host != request.headers.end()) body += " host=" + host->second;
  if (!request.body.empty()) body += " body=" + request.body;
  return {.body = body};
}

std::unique_ptr<HttpServer> StartEcho(HttpOptions options = {}) {
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(options, Echo);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

TEST(ParseTarget, DecodesPathAndQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/api/tasks%2Fx?state=failed&label=run+1%21&flag&",
                          &path, &query));
  EXPECT_EQ(path, "/api/tasks/x");
  EXPECT_EQ(query,
            (std::map<std::string, std::string>{
                {"state", "failed"}, {"label", "run 1!"}, {"flag", ""}}));
  EXPECT_FALSE(ParseTarget("/a%2", &path, &query));
  EXPECT_FALSE(ParseTarget("/a?x=%zz", &path, &query));
}

TEST(HttpServer, AnswersWithTheHandlersResponse) {
  std::unique_ptr<HttpServer> server = StartEcho();
  ASSERT_NE(server, nullptr);
  std::string answer = Exchange(server->port(), Get("/api/x?limit=5&a=b%20c"));
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("GET /api/x a=b c limit=5 host=127.0.0.1"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("Cache-Control: no-store"), std::string::npos);

  answer = Exchange(server->port(), Get("/missing"));
  EXPECT_EQ(answer.rfind("HTTP/1.1 404", 0), 0u) << answer;
  answer = Exchange(server->port(), Get("/fail"));
  EXPECT_EQ(answer.rfind("HTTP/1.1 500", 0), 0u) << answer;
  EXPECT_NE(answer.find("no luck"), std::string::npos) << answer;
  answer = Exchange(server->port(),
                    "POST /do HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                    "Connection: close\r\n\r\nhello");
  EXPECT_NE(answer.find("POST /do host=h body=hello"), std::string::npos)
      << answer;
}

TEST(HttpServer, KeepsAConnectionAliveForTheNextRequest) {
  std::unique_ptr<HttpServer> server = StartEcho();
  ASSERT_NE(server, nullptr);
  std::string answer =
      Exchange(server->port(), Get("/one", /*keep_alive=*/true) + Get("/two"));
  EXPECT_EQ(Occurrences(answer, "HTTP/1.1 200 OK"), 2) << answer;
  EXPECT_LT(answer.find("GET /one"), answer.find("GET /two")) << answer;
}

TEST(HttpServer, ARequestOverTheBoundIs413) {
  std::unique_ptr<HttpServer> server =
      StartEcho({.max_request_bytes = 16 << 10});
  ASSERT_NE(server, nullptr);
  std::string body(100 << 10, 'x');
  std::string answer = Exchange(
      server->port(), "POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
  std::string header =
      "GET / HTTP/1.1\r\nX-Long: " + std::string(20 << 10, 'y');
  answer = Exchange(server->port(), header + "\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
  // And the server goes on.
  EXPECT_EQ(Exchange(server->port(), Get("/")).rfind("HTTP/1.1 200", 0), 0u);
}

TEST(HttpServer, GarbageIs400AndCostsItsConnectionOnly) {
  std::unique_ptr<HttpServer> server = StartEcho();
  ASSERT_NE(server, nullptr);
  for (const std::string& garbage :
       {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),
        std::string("GET / HTTP/9.9\r\n\r\n"),
        std::string("G\x01T / HTTP/1.1\r\n\r\n"),
        std::string("GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n")}) {
    std::string answer = Exchange(server->port(), garbage);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  }
  EXPECT_EQ(taskqueue_test::SendGarbage(server->port(), 10, 4096, 5), 10);
  EXPECT_EQ(Exchange(server->port(), Get("/")).rfind("HTTP/1.1 200", 0), 0u);
}

TEST(HttpServer, ASlowClientIsClosedAfterTheTimeoutWhileOthersAreServed) {
  std::unique_ptr<HttpServer> server =
      StartEcho({.threads = 1, .request_timeout = milliseconds(1000)});
  ASSERT_NE(server, nullptr);
  RawConnection slow(server->port());
  ASSERT_TRUE(slow.Send("GET / HTTP/1.1\r\nHost: h\r\n"));  // No end.
  // One thread, and still the others are served meanwhile.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Exchange(server->port(), Get("/")).rfind("HTTP/1.1 200", 0), 0u);
  }
  EXPECT_TRUE(slow.ClosedWithin(milliseconds(10000)));
}

TEST(HttpServer, ConnectionsBeyondTheBoundAreClosed) {
  std::unique_ptr<HttpServer> server =
      StartEcho({.request_timeout = milliseconds(20000), .max_connections = 2});
  ASSERT_NE(server, nullptr);
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 2; ++i) {
    idle.push_back(std::make_unique<RawConnection>(server->port()));
    ASSERT_TRUE(idle.back()->Send("G"));  // Accepted and read from.
  }
  RawConnection third(server->port());
  EXPECT_TRUE(third.ClosedWithin(milliseconds(5000)));
  idle.clear();  // Their sessions end, and a new client is served.
  std::string answer;
  for (int i = 0; i < 50 && answer.rfind("HTTP/1.1 200", 0) != 0; ++i) {
    answer = Exchange(server->port(), Get("/"));
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
}

TEST(HttpServer, StreamsServerSentEventsUntilTheSourceEnds) {
  std::atomic<int> sent{0};
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start({}, [&sent](const HttpRequest&) {
        return HttpResponse{
            .next_event = [&sent]() -> std::optional<std::string> {
              int n = ++sent;
              if (n > 3) return std::nullopt;
              return "{\"n\":" + std::to_string(n) + ",\n\"x\":1}";
            },
            .event_interval = milliseconds(20)};
      });
  ASSERT_TRUE(server.ok()) << server.status();
  std::string answer = Exchange((*server)->port(), Get("/events"));
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(answer.find("\r\n\r\ndata: {\"n\":1, \"x\":1}\n\n"
                        "data: {\"n\":2, \"x\":1}\n\n"
                        "data: {\"n\":3, \"x\":1}\n\n"),
            std::string::npos)
      << answer;
  EXPECT_EQ(Occurrences(answer, "data: "), 3);
}

TEST(HttpServer, BadOptionsAreRefused) {
  EXPECT_EQ(HttpServer::Start({.address = "10.1.2.3"}, Echo).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpServer::Start(
                {.address = "not an address", .allow_remote = true}, Echo)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpServer::Start({.threads = 0}, Echo).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::unique_ptr<HttpServer> first = StartEcho();
  ASSERT_NE(first, nullptr);
  // SO_REUSEADDR does not let two listen on one port.
  EXPECT_EQ(HttpServer::Start({.port = first->port()}, Echo).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace taskqueue::internal
