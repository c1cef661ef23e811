// How both ends of a node connection notice that the other is gone: CAF's
// BASP heartbeat, and the silence after which the middleman closes the
// connection (and kills the proxies of the actors behind it, which the
// monitors see as down). CAF 0.17.6 turns both off by default, so a peer
// that hangs without closing its socket (SIGSTOP, a frozen host, a cut
// cable) would never be noticed.
#ifndef TASKQUEUE_ACTORS_REMOTE_CONNECTION_WATCH_H_
#define TASKQUEUE_ACTORS_REMOTE_CONNECTION_WATCH_H_

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include "caf/actor_system_config.hpp"
#include "caf/timespan.hpp"

namespace taskqueue::internal {

// Call before the actor system is made from `config`. Throws
// std::invalid_argument unless 0 < heartbeat < timeout; `options` names the
// options struct the pair came from, for the message.
inline void ConfigureConnectionWatch(caf::actor_system_config& config,
                                     std::string_view options,
                                     std::chrono::milliseconds heartbeat,
                                     std::chrono::milliseconds timeout) {
  if (heartbeat.count() <= 0 || timeout <= heartbeat) {
    throw std::invalid_argument(
        "taskqueue: " + std::string(options) +
        " needs 0 < heartbeat_interval < connection_timeout");
  }
  config.set("middleman.heartbeat-interval", caf::timespan(heartbeat));
  config.set("middleman.connection-timeout", caf::timespan(timeout));
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_CONNECTION_WATCH_H_
