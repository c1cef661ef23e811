// RawConnection: a TCP connection to a listening queue's port that speaks
// no protocol at all, for the tests of hostile peers: it sends what it is
// told (garbage, a forged BASP header, nothing) and tells whether the queue
// closed it.
#ifndef TASKQUEUE_TESTS_REMOTE_RAW_CONNECTION_H_
#define TASKQUEUE_TESTS_REMOTE_RAW_CONNECTION_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace taskqueue_test {

class RawConnection {
 public:
  // Connects to 127.0.0.1:`port`; throws std::runtime_error if it cannot.
  explicit RawConnection(uint16_t port);
  ~RawConnection();

  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False once the peer has closed the connection.
  bool Send(std::string_view bytes);
  // Reads and discards what the peer sends until it closes the connection
  // (true) or `limit` passes (false).
  bool ClosedWithin(std::chrono::milliseconds limit);

 private:
  int fd_ = -1;
};

// Opens `count` connections to `port` one after another, each sending
// `bytes` random bytes (from `seed`); how many of them the peer closed
// within 5 s.
int SendGarbage(uint16_t port, int count, size_t bytes, uint32_t seed);

// A BASP header (CAF 0.17.6, 32 bytes) of a client handshake that claims a
// payload of `payload_len` bytes: what a peer sends first.
std::string ForgedHandshakeHeader(uint32_t payload_len);

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_REMOTE_RAW_CONNECTION_H_
