// A raw HTTP exchange for tests: bytes out, everything the server answers
// back, over a real loopback connection (no client library between the
// test and what the server writes).
#ifndef TASKQUEUE_TESTS_HTTP_HTTP_EXCHANGE_H_
#define TASKQUEUE_TESTS_HTTP_HTTP_EXCHANGE_H_

#include <cstdint>
#include <string>

namespace taskqueue_test {

// Sends `request` to 127.0.0.1:`port` and reads until the server closes
// the connection or 5 s pass: all it answered. Throws std::runtime_error if
// it cannot connect.
std::string Exchange(uint16_t port, const std::string& request);

// "GET target HTTP/1.1" with Connection: close unless `keep_alive`.
std::string Get(const std::string& target, bool keep_alive = false);
// A POST with `headers` ("Name: value\r\n" each) and no body.
std::string Post(const std::string& target, const std::string& headers = "");

// The body of a whole HTTP response (after the blank line).
std::string BodyOf(const std::string& response);

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_HTTP_HTTP_EXCHANGE_H_
