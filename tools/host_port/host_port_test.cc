#include "tools/host_port/host_port.h"

#include <string>

#include "gtest/gtest.h"

namespace taskqueue_tools {
namespace {

TEST(ParseHostPortTest, NamesAddressesAndBracketedIpv6) {
  std::string host;
  uint16_t port = 0;
  ASSERT_TRUE(ParseHostPort("127.0.0.1:7070", &host, &port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 7070);
  ASSERT_TRUE(ParseHostPort("queue.example:1", &host, &port));
  EXPECT_EQ(host, "queue.example");
  EXPECT_EQ(port, 1);
  ASSERT_TRUE(ParseHostPort("[::1]:65535", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 65535);
}

TEST(ParseHostPortTest, RefusesWhatIsNotHostColonPort) {
  std::string host;
  uint16_t port = 0;
  for (const char* bad : {"", "7070", ":7070", "host:", "host:0", "host:65536",
                          "host:70x", "host:-1"}) {
    EXPECT_FALSE(ParseHostPort(bad, &host, &port)) << bad;
  }
}

}  // namespace
}  // namespace taskqueue_tools
