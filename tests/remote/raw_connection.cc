#include "tests/remote/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>
#include <stdexcept>
#include <string>

namespace taskqueue_test {

RawConnection::RawConnection(uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<const sockaddr*>(&address),
              sizeof(address)) != 0) {
    close(fd_);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
}

RawConnection::~RawConnection() { close(fd_); }

bool RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

bool RawConnection::ClosedWithin(std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
    if (poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t got = recv(fd_, buffer, sizeof(buffer), 0);
    if (got <= 0) return true;  // Closed (or reset).
  }
}

int SendGarbage(uint16_t port, int count, size_t bytes, uint32_t seed) {
  std::mt19937 random(seed);
  int closed = 0;
  for (int i = 0; i < count; ++i) {
    RawConnection garbage(port);
    std::string noise(bytes, '\0');
    for (char& b : noise) b = static_cast<char>(random());
    garbage.Send(noise);
    closed += garbage.ClosedWithin(std::chrono::milliseconds(5000));
  }
  return closed;
}

std::string ForgedHandshakeHeader(uint32_t payload_len) {
  std::string header(32, '\0');
  header[0] = 0x01;  // message_type::client_handshake
  // payload_len, in network byte order, after operation, two pad bytes and
  // flags; operation_data and both actor ids stay 0, as in a real one.
  for (int i = 0; i < 4; ++i) {
    header[4 + i] = static_cast<char>(payload_len >> (24 - 8 * i));
  }
  return header;
}

}  // namespace taskqueue_test
