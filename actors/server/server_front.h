// ServerFront: a queue server's door for clients. It publishes one actor on
// a TCP port through CAF's middleman (TLS through caf::openssl when asked),
// which answers the client protocol (client_protocol.h) from a QueueServer:
// it submits tasks, waits for their ends, and reads the journal's counts.
//
//   QueueServer& server = ...;
//   ServerFront front(server, {.port = 7070});  // throws if it cannot
//   std::cout << "clients: 127.0.0.1:" << front.port() << "\n";
//
// Contract. The constructor throws std::invalid_argument for unsafe or
// broken transport options (transport_security.h: off loopback without
// TLS, TLS files that do not load) and std::runtime_error when the address
// cannot be bound. `server` must outlive this. The destructor closes the
// port, stops the server (QueueServer::Stop) and waits for the answers it
// still had on their way (which hold the front's actor, and must be gone
// before its actor system is); clients still waiting get CAF's errors (the
// connection is lost).
// Requests are answered in no particular order, each once; none blocks the
// front: answers come from the journal's commit thread as messages to it.
#ifndef TASKQUEUE_ACTORS_SERVER_SERVER_FRONT_H_
#define TASKQUEUE_ACTORS_SERVER_SERVER_FRONT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "actors/server/queue_server.h"
#include "caf/actor.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "taskqueue/tls_options.h"

namespace taskqueue::internal {

struct FrontOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: a free one, port() says which.
  std::optional<TlsOptions> tls;
  // Required (with TLS unset) to serve clients off loopback in plain TCP.
  bool allow_insecure_remote = false;
  // The largest message accepted: bounds a task's arguments and result.
  uint32_t max_message_bytes = 64 << 20;
  // CAF's heartbeat and the silence after which a client counts as gone
  // (ClientOptions has the same pair). heartbeat_interval <
  // connection_timeout; both > 0.
  std::chrono::milliseconds heartbeat_interval{250};
  std::chrono::milliseconds connection_timeout{3000};
};

class ServerFront {
 public:
  ServerFront(QueueServer& server, const FrontOptions& options);
  ~ServerFront();

  ServerFront(const ServerFront&) = delete;
  ServerFront& operator=(const ServerFront&) = delete;

  uint16_t port() const { return port_; }

 private:
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  caf::actor front_;
  uint16_t port_ = 0;
  QueueServer& server_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_SERVER_FRONT_H_
