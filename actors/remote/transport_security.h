// TransportSecurity: the one place that decides how a queue or a worker node
// may talk to the network (plain TCP or mutual TLS, loopback or not, how
// large a message) and configures CAF for it. Both ends call it, with their
// own options' name for the errors.
//
//   TransportSecurity transport("ListenOptions", listen.address, listen.tls,
//                               listen.allow_insecure_remote,
//                               listen.max_message_bytes);  // may throw
//   transport.Configure(config);  // before the actor system is made
//   if (transport.tls()) caf::openssl::publish(...); else middleman.publish
//
// The constructor throws std::invalid_argument when the options are unsafe
// or do not work: off loopback without TLS and not allowed; TLS without a
// certificate, key or CA (CAF would fall back to anonymous TLS); TLS files
// that OpenSSL cannot load, or a key that does not match; a message bound
// out of range. Nothing else throws. Not thread-safe; copyable.
#ifndef TASKQUEUE_ACTORS_REMOTE_TRANSPORT_SECURITY_H_
#define TASKQUEUE_ACTORS_REMOTE_TRANSPORT_SECURITY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "actors/loopback_host.h"
#include "caf/actor_system_config.hpp"
#include "taskqueue/tls_options.h"

namespace taskqueue::internal {

// What a message carries around a task's arguments or result (BASP header,
// actor ids, the task's name and id): the margin kept below the bound.
inline constexpr size_t kMessageOverhead = 4096;

class TransportSecurity {
 public:
  TransportSecurity(const std::string& options, const std::string& host,
                    const std::optional<TlsOptions>& tls,
                    bool allow_insecure_remote, uint32_t max_message_bytes);

  // Loads CAF's middleman (and, with TLS, its openssl module) into `config`
  // and bounds the messages it accepts.
  void Configure(caf::actor_system_config& config) const;

  bool tls() const { return tls_.has_value(); }
  // Whether `bytes` of arguments or result fit in one message.
  bool Fits(size_t bytes) const {
    return bytes <= max_message_bytes_ - kMessageOverhead;
  }
  uint32_t max_message_bytes() const { return max_message_bytes_; }
  // The most a frame of several tasks or reports (node_frames.h) holds:
  // enough that a message's cost is small per task, and never so much that
  // one frame holds up its connection for long.
  size_t frame_bytes() const {
    constexpr size_t kMostFrameBytes = 1 << 20;
    const size_t fits = max_message_bytes_ - kMessageOverhead;
    return fits < kMostFrameBytes ? fits : kMostFrameBytes;
  }

 private:
  std::optional<TlsOptions> tls_;
  uint32_t max_message_bytes_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_TRANSPORT_SECURITY_H_
