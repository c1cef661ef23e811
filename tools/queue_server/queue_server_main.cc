#include "tools/queue_server/queue_server_main.h"

#include <pthread.h>
#include <signal.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"
#include "actors/http/http_server.h"
#include "actors/pages/write_token.h"
#include "actors/server/queue_server.h"
#include "actors/server/server_front.h"
#include "actors/server/server_pages.h"
#include "taskqueue/task_registry.h"
#include "tools/stop_signals/stop_signals.h"
#include "tools/tls_flags/tls_flags.h"

ABSL_FLAG(std::string, address, "127.0.0.1", "address to serve clients on");
ABSL_FLAG(int, port, 7070, "port to serve clients on; 0: any free one");
ABSL_FLAG(std::string, port_file, "",
          "write the ports bound here (\"clients P\", \"nodes P\", "
          "\"http P\")");
ABSL_FLAG(std::string, journal, "taskqueue.journal", "the journal's file");
ABSL_FLAG(std::string, durability, "full",
          "full: an acknowledged task survives power loss; process_crash: "
          "it survives the server's crash only, and adds are faster");
ABSL_FLAG(int, workers, 4, "local workers (0: worker nodes only)");
ABSL_FLAG(absl::Duration, retention, absl::Hours(24 * 7),
          "how long ended tasks (results, errors, idempotency keys) are kept; "
          "inf: for ever");
ABSL_FLAG(std::string, node_address, "127.0.0.1",
          "address to accept worker nodes on");
ABSL_FLAG(int, node_port, -1,
          "port to accept worker nodes on; 0: any free one; -1: no nodes");
ABSL_FLAG(bool, allow_insecure_remote, false, "serve off loopback without TLS");
ABSL_FLAG(std::string, http_address, "127.0.0.1",
          "address of the HTTP pages (/metrics, /api); off loopback needs "
          "--allow_insecure_remote (they are plain HTTP)");
ABSL_FLAG(int, http_port, 7080,
          "port of the HTTP pages; 0: any free one; -1: none");
ABSL_FLAG(std::string, http_token, "",
          "the token the HTTP pages' writes (retry, pause, purge) need; "
          "empty: a random one, printed at start");

namespace {

using taskqueue::internal::FrontOptions;

using taskqueue::internal::ServerOptions;

// The options the flags say, or nullopt after saying what is wrong.
std::optional<std::pair<ServerOptions, FrontOptions>> FromFlags() {
  ServerOptions server;
  FrontOptions front;
  std::string durability = absl::GetFlag(FLAGS_durability);
  if (durability == "full") {
    server.journal.durability = taskqueue::internal::Durability::kFull;
  } else if (durability == "process_crash") {
    server.journal.durability = taskqueue::internal::Durability::kProcessCrash;
  } else {
    std::fprintf(stderr,
                 "queue server: --durability is full or process_crash, not "
                 "\"%s\"\n",
                 durability.c_str());
    return std::nullopt;
  }
  server.journal.path = absl::GetFlag(FLAGS_journal);
  // `bazel run` starts the binary in its runfiles: a relative journal goes
  // where the user ran it from, not into Bazel's output tree.
  const char* user_dir = std::getenv("BUILD_WORKING_DIRECTORY");
  if (user_dir != nullptr && !server.journal.path.empty() &&
      server.journal.path.front() != '/') {
    server.journal.path = std::string(user_dir) + "/" + server.journal.path;
  }
  server.num_workers = absl::GetFlag(FLAGS_workers);
  server.retention = absl::GetFlag(FLAGS_retention);
  if (server.retention <= absl::ZeroDuration()) {
    std::fprintf(stderr, "queue server: --retention must be positive\n");
    return std::nullopt;
  }
  int port = absl::GetFlag(FLAGS_port);
  int node_port = absl::GetFlag(FLAGS_node_port);
  int http_port = absl::GetFlag(FLAGS_http_port);
  if (port < 0 || port > 65535 || node_port < -1 || node_port > 65535 ||
      http_port < -1 || http_port > 65535) {
    std::fprintf(stderr, "queue server: a port is in [0, 65535]\n");
    return std::nullopt;
  }
  std::optional<taskqueue::TlsOptions> tls = taskqueue_tools::TlsFromFlags();
  bool insecure = absl::GetFlag(FLAGS_allow_insecure_remote);
  front = FrontOptions{.address = absl::GetFlag(FLAGS_address),
                       .port = static_cast<uint16_t>(port),
                       .tls = tls,
                       .allow_insecure_remote = insecure};
  if (node_port >= 0) {
    server.nodes = taskqueue::ListenOptions{
        .address = absl::GetFlag(FLAGS_node_address),
        .port = static_cast<uint16_t>(node_port),
        .tls = tls,
        .allow_insecure_remote = insecure,
    };
  }
  return std::make_pair(std::move(server), std::move(front));
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto options = FromFlags();
  if (!options.has_value()) return 1;
  auto& [server_options, front_options] = *options;

  sigset_t signals = taskqueue_tools::BlockStopSignals();

  auto registry = std::make_shared<taskqueue::TaskRegistry>();
  std::unique_ptr<taskqueue::internal::QueueServer> server;
  std::unique_ptr<taskqueue::internal::ServerFront> front;
  try {
    taskqueue::RegisterServerTasks(*registry);
    server_options.registry = registry;
    absl::StatusOr<std::unique_ptr<taskqueue::internal::QueueServer>> started =
        taskqueue::internal::QueueServer::Start(std::move(server_options));
    if (!started.ok()) {
      std::fprintf(stderr, "queue server: %s\n",
                   std::string(started.status().message()).c_str());
      return 1;
    }
    server = *std::move(started);
    front = std::make_unique<taskqueue::internal::ServerFront>(*server,
                                                               front_options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "queue server: %s\n", e.what());
    return 1;
  }
  std::string ports = "clients " + std::to_string(front->port()) + "\n";
  if (server->queue().listening_port() != 0) {
    ports += "nodes " + std::to_string(server->queue().listening_port()) + "\n";
  }
  std::unique_ptr<taskqueue::internal::ServerPages> pages;
  std::unique_ptr<taskqueue::internal::HttpServer> http;
  if (int http_port = absl::GetFlag(FLAGS_http_port); http_port >= 0) {
    std::string token = absl::GetFlag(FLAGS_http_token);
    if (token.empty()) token = taskqueue::internal::WriteToken::Random();
    pages = std::make_unique<taskqueue::internal::ServerPages>(
        *server, taskqueue::internal::PagesOptions{.token = token});
    absl::StatusOr<std::unique_ptr<taskqueue::internal::HttpServer>> started =
        taskqueue::internal::HttpServer::Start(
            {.address = absl::GetFlag(FLAGS_http_address),
             .port = static_cast<uint16_t>(http_port),
             .allow_remote = absl::GetFlag(FLAGS_allow_insecure_remote)},
            [page = pages.get()](const taskqueue::internal::HttpRequest& r) {
              return page->Handle(r);
            });
    if (!started.ok()) {
      std::fprintf(stderr, "queue server: %s\n",
                   std::string(started.status().message()).c_str());
      return 1;
    }
    http = *std::move(started);
    ports += "http " + std::to_string(http->port()) + "\n";
    std::fprintf(stderr,
                 "queue server: pages on http://%s:%u/ (metrics: /metrics), "
                 "write token %s\n",
                 absl::GetFlag(FLAGS_http_address).c_str(), http->port(),
                 token.c_str());
  }
  std::fprintf(stderr,
               "queue server: clients on %s:%u, journal %s, %lld tasks "
               "recovered\n",
               front_options.address.c_str(), front->port(),
               absl::GetFlag(FLAGS_journal).c_str(),
               static_cast<long long>(server->recovered()));
  std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    // Whole or not at all: written aside, then renamed into place.
    std::string partial = port_file + ".partial";
    std::ofstream(partial) << ports;
    std::rename(partial.c_str(), port_file.c_str());
  }
  int signal = 0;
  sigwait(&signals, &signal);
  std::fprintf(stderr, "queue server: stopping (signal %d)\n", signal);
  http.reset();  // First: its pages read the server.
  pages.reset();
  front.reset();  // Stops the server too.
  server.reset();
  std::fprintf(stderr, "queue server: stopped\n");
  return 0;
}
