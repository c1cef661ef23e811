// ParseHostPort: the HOST:PORT of a command line (--connect, --server), as
// taskqueue's binaries take it.
//
//   std::string host;
//   uint16_t port;
//   if (!taskqueue_tools::ParseHostPort("[::1]:7070", &host, &port)) ...
//   // host == "::1", port == 7070
//
// The host may be an IPv6 literal in brackets (they are dropped); the port is
// 1 to 65535. False, leaving the outputs unspecified, for anything else.
#ifndef TASKQUEUE_TOOLS_HOST_PORT_HOST_PORT_H_
#define TASKQUEUE_TOOLS_HOST_PORT_HOST_PORT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace taskqueue_tools {

bool ParseHostPort(std::string_view text, std::string* host, uint16_t* port);

}  // namespace taskqueue_tools

#endif  // TASKQUEUE_TOOLS_HOST_PORT_HOST_PORT_H_
