#include "actors/http/http_server.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <limits>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "actors/loopback_host.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"

namespace taskqueue::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in` ('+' is a space in a query); false if malformed.
bool Unescape(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      int high = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
      int low = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (high < 0 || low < 0) return false;
      out->push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (in[i] == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

// Beast 1.74's string_view is Boost's.
std::string Text(beast::string_view text) {
  return std::string(text.data(), text.size());
}

}  // namespace

bool ParseTarget(std::string_view target, std::string* path,
                 std::map<std::string, std::string>* query) {
  size_t mark = target.find('?');
  if (!Unescape(target.substr(0, mark), false, path)) return false;
  query->clear();
  if (mark == std::string_view::npos) return true;
  std::string_view rest = target.substr(mark + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view()
                                         : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name;
    std::string value;
    if (!Unescape(pair.substr(0, eq), true, &name)) return false;
    if (eq != std::string_view::npos &&
        !Unescape(pair.substr(eq + 1), true, &value)) {
      return false;
    }
    (*query)[name] = std::move(value);
  }
  return true;
}

class HttpServer::Impl {
 public:
  Impl(HttpOptions options, HttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        io_(options_.threads),
        acceptor_(asio::make_strand(io_)) {}

  absl::Status Listen() {
    beast::error_code ec;
    asio::ip::address address = asio::ip::make_address(
        options_.address == "localhost" ? "127.0.0.1" : options_.address, ec);
    if (ec) {
      return absl::InvalidArgumentError(absl::StrCat(
          "taskqueue http: \"", options_.address, "\" is not an IP address"));
    }
    tcp::endpoint endpoint(address, options_.port);
    if (acceptor_.open(endpoint.protocol(), ec) ||
        acceptor_.set_option(asio::socket_base::reuse_address(true), ec) ||
        acceptor_.bind(endpoint, ec) ||
        acceptor_.listen(asio::socket_base::max_listen_connections, ec)) {
      return absl::UnavailableError(
          absl::StrCat("taskqueue http: cannot listen on ", options_.address,
                       ":", options_.port, ": ", ec.message()));
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < options_.threads; ++i) {
      threads_.emplace_back([this] { io_.run(); });
    }
    return absl::OkStatus();
  }

  // Handlers that run finish; the sessions the others hold close with
  // io_ (a member destroyed before those they use).
  ~Impl() {
    io_.stop();
    for (std::thread& thread : threads_) thread.join();
  }

  uint16_t port() const { return port_; }

 private:
  class Session;

  void Accept() {
    acceptor_.async_accept(asio::make_strand(io_),
                           [this](beast::error_code ec, tcp::socket socket) {
                             if (ec == asio::error::operation_aborted)
                               return;  // Closing.
                             if (!ec) Serve(std::move(socket));
                             Accept();
                           });
  }

  void Serve(tcp::socket socket);

  const HttpOptions options_;
  const HttpHandler handler_;
  std::atomic<int> connections_{0};
  uint16_t port_ = 0;
  // Last: destroyed first, with the sessions its handlers hold, which use
  // the members above.
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
};

// One connection: reads a request within the bounds, answers it, and reads
// the next while the client keeps the connection alive.
class HttpServer::Impl::Session
    : public std::enable_shared_from_this<HttpServer::Impl::Session> {
 public:
  Session(Impl& server, tcp::socket socket)
      : server_(server),
        stream_(std::move(socket)),
        buffer_(server.options_.max_request_bytes) {}
  ~Session() { server_.connections_.fetch_sub(1); }

  void Read() {
    parser_.emplace();
    const size_t limit = server_.options_.max_request_bytes;
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(limit, std::numeric_limits<uint32_t>::max())));
    parser_->body_limit(limit);
    stream_.expires_after(server_.options_.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRead(ec);
                     });
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted) {
      return Close();
    }
    if (ec == http::error::body_limit || ec == http::error::header_limit ||
        ec == http::error::buffer_overflow) {
      return Answer(
          HttpResponse{.status = 413,
                       .body = absl::StrCat("request over ",
                                            server_.options_.max_request_bytes,
                                            " bytes\n")},
          /*keep_alive=*/false, 11);
    }
    if (ec.category() ==
            http::make_error_code(http::error::bad_method).category() ||
        ec == http::error::partial_message) {
      return Answer(HttpResponse{.status = 400,
                                 .body = absl::StrCat(
                                     "bad request: ", ec.message(), "\n")},
                    /*keep_alive=*/false, 11);
    }
    if (ec) return Close();  // The connection broke.
    http::request<http::string_body> request = parser_->release();
    HttpRequest parsed{.method = Text(request.method_string()),
                       .body = std::move(request.body())};
    for (const auto& field : request) {
      std::string name = Text(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      parsed.headers[name] = Text(field.value());
    }
    HttpResponse response;
    const bool malformed =
        !ParseTarget(Text(request.target()), &parsed.path, &parsed.query);
    if (malformed) {
      response = {.status = 400, .body = "bad request: malformed escape\n"};
    } else {
      try {
        response = server_.handler_(parsed);
      } catch (const std::exception& e) {
        response = {.status = 500,
                    .body = absl::StrCat("internal error: ", e.what(), "\n")};
      }
    }
    if (response.next_event) return Stream(std::move(response));
    // From the headers read above, not request.keep_alive(): under
    // ThreadSanitizer (-O1) Beast 1.74's lookup in a released message's
    // field set read garbage (seen: a wrong answer, once a crash).
    auto connection = parsed.headers.find("connection");
    std::string wants =
        connection == parsed.headers.end() ? "" : connection->second;
    std::transform(wants.begin(), wants.end(), wants.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const bool asked = request.version() >= 11
                           ? wants.find("close") == std::string::npos
                           : wants.find("keep-alive") != std::string::npos;
    const bool keep_alive = asked && !malformed;
    Answer(std::move(response), keep_alive, request.version());
  }

  // Server-sent events: the header, then one event per interval.
  void Stream(HttpResponse response) {
    next_event_ = std::move(response.next_event);
    interval_ = response.event_interval;
    Send(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-store\r\nConnection: close\r\n\r\n");
  }

  void Send(std::string bytes) {
    pending_ = std::move(bytes);
    stream_.expires_after(server_.options_.request_timeout);
    asio::async_write(
        stream_, asio::buffer(pending_),
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Close();
          self->Tick();
        });
  }

  void Tick() {
    timer_.expires_after(interval_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Close();
      std::optional<std::string> event;
      try {
        event = self->next_event_();
      } catch (const std::exception&) {
        event.reset();
      }
      if (!event) return self->Close();
      // One line of data: a newline would end the event early.
      std::replace(event->begin(), event->end(), '\n', ' ');
      self->Send("data: " + *event + "\n\n");
    });
  }

  void Answer(HttpResponse response, bool keep_alive, unsigned version) {
    response_.emplace(static_cast<http::status>(response.status), version);
    response_->set(http::field::content_type, response.content_type);
    response_->set(http::field::cache_control, "no-store");
    response_->keep_alive(keep_alive);
    response_->body() = std::move(response.body);
    response_->prepare_payload();
    stream_.expires_after(server_.options_.request_timeout);
    http::async_write(
        stream_, *response_,
        [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
          if (ec || !keep_alive) return self->Close();
          self->Read();
        });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  // While streaming events.
  std::function<std::optional<std::string>()> next_event_;
  std::chrono::milliseconds interval_{0};
  asio::steady_timer timer_{stream_.get_executor()};
  std::string pending_;
};

void HttpServer::Impl::Serve(tcp::socket socket) {
  if (connections_.fetch_add(1) >= options_.max_connections) {
    connections_.fetch_sub(1);
    beast::error_code ignored;
    socket.close(ignored);
    return;
  }
  std::make_shared<Session>(*this, std::move(socket))->Read();
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    HttpOptions options, HttpHandler handler) {
  if (!options.allow_remote && !IsLoopbackHost(options.address)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "taskqueue http: ", options.address,
        " is not a loopback address; set allow_remote to serve it"));
  }
  if (options.threads < 1 || options.max_connections < 1 ||
      options.max_request_bytes < 1024 ||
      options.request_timeout <= std::chrono::milliseconds(0)) {
    return absl::InvalidArgumentError(
        "taskqueue http: threads and max_connections must be >= 1, "
        "max_request_bytes >= 1024, request_timeout > 0");
  }
  if (handler == nullptr) {
    return absl::InvalidArgumentError("taskqueue http: no handler");
  }
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  absl::Status listening = impl->Listen();
  if (!listening.ok()) return listening;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

uint16_t HttpServer::port() const { return impl_->port(); }

}  // namespace taskqueue::internal
