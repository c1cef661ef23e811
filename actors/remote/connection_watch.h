// How both ends of a node connection notice that the other is gone: CAF's
// BASP heartbeat, and the silence after which the middleman closes the
// connection (and kills the proxies of the actors behind it, which the
// monitors see as down). CAF 0.17.6 turns both off by default, so a peer
// that hangs without closing its socket (SIGSTOP, a frozen host, a cut
// cable) would never be noticed.
#ifndef TASKQUEUE_ACTORS_REMOTE_CONNECTION_WATCH_H_
#define TASKQUEUE_ACTORS_REMOTE_CONNECTION_WATCH_H_

#include <chrono>

#include "caf/actor_system_config.hpp"
#include "caf/timespan.hpp"

namespace taskqueue::internal {

// Call before the actor system is made from `config`.
inline void ConfigureConnectionWatch(caf::actor_system_config& config,
                                     std::chrono::milliseconds heartbeat,
                                     std::chrono::milliseconds timeout) {
  config.set("middleman.heartbeat-interval", caf::timespan(heartbeat));
  config.set("middleman.connection-timeout", caf::timespan(timeout));
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_CONNECTION_WATCH_H_
