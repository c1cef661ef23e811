// IsLoopbackHost: whether connections to a host name or address stay on
// this machine, for the checks that refuse plain connections off loopback
// (transport_security.h, the HTTP pages' http_server.h).
#ifndef TASKQUEUE_ACTORS_LOOPBACK_HOST_H_
#define TASKQUEUE_ACTORS_LOOPBACK_HOST_H_

#include <string>

namespace taskqueue::internal {

inline bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_LOOPBACK_HOST_H_
