// Peers that break CAF's protocol on a plain (loopback) queue's port: a
// header that claims 4 GiB, random bytes, a message over the bound. Each
// loses its connection and nothing else: the healthy node's tasks keep
// completing, and the queue allocates nothing for the claims. Messages too
// large to send are errors where they are made.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/errors.h"
#include "taskqueue/taskqueue.h"
#include "tests/remote/node_process.h"
#include "tests/remote/raw_connection.h"
#include "tests/remote/remote_fixture.h"
#include "tests/remote/test_tasks.h"

namespace taskqueue_test {
namespace {

using std::chrono::milliseconds;

// This process's resident memory, in KiB.
long ResidentKib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(HostilePeer, ForgedHeadersAndGarbageCostTheirConnectionOnly) {
  // The healthy node must keep its one connection, so neither side may drop
  // it for silence: under TSan on two busy cores the fixture's 1 s timeout
  // has passed with both processes alive. Timeouts are tested elsewhere.
  taskqueue::QueueOptions options = ListeningOptions();
  options.listen->connection_timeout = std::chrono::seconds(10);
  taskqueue::TaskQueue q(options);
  NodeProcess healthy(NodeBinary(), q.listening_port(), 2, "healthy",
                      NodeLog("healthy-plain"), {},
                      "--connection_timeout_ms=10000");
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << healthy.log();
  long resident = ResidentKib();
  std::atomic<bool> stop{false};
  std::atomic<int> completed{0};
  std::atomic<int> wrong{0};
  std::thread stream([&] {
    for (int64_t i = 0; !stop; ++i) {
      auto square = q.submit(kSquare, i, 0);
      if (square.wait_for(milliseconds(20000)) == std::future_status::ready &&
          square.get() == i * i + 1) {
        ++completed;
      } else {
        ++wrong;
      }
    }
  });
  // Three at once aborted CAF 0.17.6 (three 4 GiB buffers).
  std::vector<std::unique_ptr<RawConnection>> forged;
  for (int i = 0; i < 3; ++i) {
    forged.push_back(std::make_unique<RawConnection>(q.listening_port()));
    forged.back()->Send(ForgedHandshakeHeader(0xFFFFFFFF));
  }
  for (auto& connection : forged) {
    EXPECT_TRUE(connection->ClosedWithin(milliseconds(5000)));
  }
  int during = completed;
  EXPECT_EQ(SendGarbage(q.listening_port(), 20, 4096, 11), 20);
  ASSERT_TRUE(WaitFor([&] { return completed >= during + 200; }));
  stop = true;
  stream.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_LT(ResidentKib() - resident, 256 * 1024) << "KiB more resident";
  EXPECT_EQ(Occurrences(healthy.log(), "connected to"), 1) << healthy.log();
  EXPECT_EQ(ConnectedNodes(q), 1);
}

TEST(HostilePeer, ArgumentsTooLargeForAMessageCannotBeAdded) {
  taskqueue::QueueOptions options = ListeningOptions();
  options.listen->max_message_bytes = 64 << 10;
  taskqueue::TaskQueue q(options);
  try {
    q.add_task(kRepeat, std::string(70000, 'x'), 1);
    ADD_FAILURE() << "added";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("max_message_bytes"),
              std::string::npos)
        << e.what();
  }
  // Just below the bound goes, and comes back.
  NodeProcess node(NodeBinary(), q.listening_port(), 1, "below",
                   NodeLog("below"));
  auto below = q.submit(kRepeat, std::string(50000, 'x'), 1);
  ASSERT_EQ(below.wait_for(milliseconds(20000)), std::future_status::ready)
      << node.log();
  EXPECT_EQ(below.get().size(), 50000u);
}

TEST(HostilePeer, AResultTooLargeForAMessageIsTheTasksError) {
  taskqueue::TaskQueue q(ListeningOptions());
  NodeProcess node(NodeBinary(), q.listening_port(), 1, "bounded",
                   NodeLog("bounded"), {}, "--max_message_bytes=65536");
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << node.log();
  auto large = q.submit(kRepeat, std::string(1000, 'x'), 100);
  ASSERT_EQ(large.wait_for(milliseconds(20000)), std::future_status::ready);
  try {
    large.get();
    ADD_FAILURE() << "a result came back";
  } catch (const taskqueue::RemoteTaskError& e) {
    EXPECT_NE(std::string(e.what()).find("max_message_bytes"),
              std::string::npos)
        << e.what();
  }
  // The node is still there and works.
  auto small = q.submit(kRepeat, std::string("ab"), 3);
  ASSERT_EQ(small.wait_for(milliseconds(20000)), std::future_status::ready);
  EXPECT_EQ(small.get(), "ababab");
  EXPECT_EQ(Occurrences(node.log(), "connected to"), 1) << node.log();
}

// A node that does send more than the queue's bound (its own is larger) is
// disconnected as a broken peer; the task is lost with it, and after
// max_node_losses it fails instead of going round for ever.
TEST(HostilePeer, ANodeSendingMoreThanTheBoundIsDisconnected) {
  taskqueue::QueueOptions options = ListeningOptions();
  options.listen->max_message_bytes = 64 << 10;
  options.listen->max_node_losses = 2;
  taskqueue::TaskQueue q(options);
  NodeProcess node(NodeBinary(), q.listening_port(), 1, "oversized",
                   NodeLog("oversized"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << node.log();
  auto large = q.submit(kRepeat, std::string(1000, 'x'), 100);
  ASSERT_EQ(large.wait_for(milliseconds(30000)), std::future_status::ready)
      << node.log();
  EXPECT_THROW(large.get(), taskqueue::NodeLostError);
  // The node learns of each loss a moment after the queue.
  EXPECT_TRUE(WaitFor([&] { return Occurrences(node.log(), "lost") >= 2; }))
      << node.log();
  // It came back each time, and small results still get through.
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << node.log();
  auto small = q.submit(kRepeat, std::string("ab"), 3);
  ASSERT_EQ(small.wait_for(milliseconds(20000)), std::future_status::ready);
  EXPECT_EQ(small.get(), "ababab");
}

}  // namespace
}  // namespace taskqueue_test
