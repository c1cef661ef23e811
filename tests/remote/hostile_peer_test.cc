// Peers that break CAF's protocol on a plain (loopback) queue's port: a
// header that claims 4 GiB, random bytes, a message over the bound. Each
// loses its connection and nothing else: the healthy node's tasks keep
// completing, and the queue allocates nothing for the claims. Messages too
// large to send are errors where they are made.
#include <chrono>
#include <cstdint>
#include <fstream>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "actors/remote/node_frames.h"
#include "actors/remote/node_protocol.h"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/io/middleman.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/system_messages.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "taskqueue/errors.h"
#include "taskqueue/taskqueue.h"
#include "tests/remote/node_process.h"
#include "tests/remote/raw_connection.h"
#include "tests/remote/remote_fixture.h"
#include "tests/remote/task_stream.h"
#include "tests/remote/test_tasks.h"

namespace taskqueue_test {
namespace {

using std::chrono::milliseconds;
using ::taskqueue::internal::FrameBuilder;
using ::taskqueue::internal::hello_atom;
using ::taskqueue::internal::kNodeProtocolVersion;
using ::taskqueue::internal::NodeReport;
using ::taskqueue::internal::refuse_atom;
using ::taskqueue::internal::reports_atom;
using ::taskqueue::internal::SignatureMap;
using ::taskqueue::internal::tasks_atom;
using ::taskqueue::internal::welcome_atom;
using ::testing::HasSubstr;

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
  TaskStream stream(q);
  // Three at once aborted CAF 0.17.6 (three 4 GiB buffers).
  std::vector<std::unique_ptr<RawConnection>> forged;
  for (int i = 0; i < 3; ++i) {
    forged.push_back(std::make_unique<RawConnection>(q.listening_port()));
    forged.back()->Send(ForgedHandshakeHeader(0xFFFFFFFF));
  }
  for (auto& connection : forged) {
    EXPECT_TRUE(connection->ClosedWithin(milliseconds(5000)));
  }
  const uint64_t during = stream.completed();
  EXPECT_EQ(SendGarbage(q.listening_port(), 20, 4096, 11), 20);
  ASSERT_TRUE(WaitFor([&] { return stream.completed() >= during + 200; }));
  stream.Stop();
  EXPECT_EQ(stream.wrong(), 0u);
  EXPECT_LT(ResidentKib() - resident, 256 * 1024) << "KiB more resident";
  EXPECT_EQ(Occurrences(healthy.log(), "connected to"), 1) << healthy.log();
  EXPECT_EQ(ConnectedNodes(q), 1);
}

// A peer that passes the handshake as a node of the right registry and then
// sends reports that break the node protocol: a frame that does not decode,
// a start for a task it was never sent, a frame of tasks where reports
// belong. Each loses its session (its proxy exits) and nothing else: the
// tasks it was sent run on the healthy node, and every result is right.
TEST(HostilePeer, ANodeBreakingTheNodeProtocolIsDroppedAlone) {
  taskqueue::QueueOptions options = ListeningOptions();
  // Longer than the test: a forger (which sends no heartbeats) is dropped
  // for what it sent, never for its silence.
  options.listen->connection_timeout = std::chrono::seconds(60);
  // Each forger holds a window of tasks when it is dropped.
  options.listen->max_node_losses = 10;
  taskqueue::TaskQueue q(options);
  NodeProcess healthy(NodeBinary(), q.listening_port(), 2, "healthy",
                      NodeLog("healthy-forged"), {},
                      "--connection_timeout_ms=60000");
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << healthy.log();
  TaskStream stream(q);

  FrameBuilder unsent(1 << 16);
  unsent.AddReport({.kind = NodeReport::Kind::kStarted, .id = 1u << 30});
  FrameBuilder offers(1 << 16);
  offers.AddOffer(1, "test.square", {});
  const std::vector<caf::message> breaches = {
      // A result longer than the frame.
      caf::make_message(reports_atom::value,
                        std::vector<char>{char{2}, char{1}, char{100}}),
      caf::make_message(reports_atom::value, unsent.Take().at(0)),
      caf::make_message(reports_atom::value, offers.Take().at(0)),
      // What a node says of a queue whose tasks do not decode.
      caf::make_message(refuse_atom::value, std::string("forged refusal")),
  };
  caf::actor_system_config config;
  config.load<caf::io::middleman>();
  caf::actor_system system(config);
  for (size_t i = 0; i < breaches.size(); ++i) {
    SCOPED_TRACE("breach " + std::to_string(i));
    caf::expected<caf::actor> gateway =
        system.middleman().remote_actor("127.0.0.1", q.listening_port());
    ASSERT_TRUE(gateway) << system.render(gateway.error());
    caf::scoped_actor self{system};
    self->send(*gateway, hello_atom::value, kNodeProtocolVersion,
               "forger-" + std::to_string(i), uint32_t{1},
               TestRegistry()->signatures());
    caf::actor proxy;
    self->receive(
        [&](welcome_atom, const SignatureMap&) {
          proxy = caf::actor_cast<caf::actor>(self->current_sender());
        },
        caf::after(std::chrono::seconds(20)) >> [] {});
    ASSERT_TRUE(proxy) << "not welcomed";
    ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 2; }));
    self->monitor(proxy);
    self->send(proxy, breaches[i]);
    bool dropped = false;
    bool timed_out = false;
    // Until the proxy is down; the tasks it sends meanwhile are dropped.
    self->receive_while([&] { return !dropped && !timed_out; })(
        [&](const caf::down_msg& down) { dropped = down.source == proxy; },
        [](tasks_atom, const std::vector<char>&) {},
        caf::after(std::chrono::seconds(20)) >> [&] { timed_out = true; });
    ASSERT_TRUE(dropped) << "the proxy is still up";
    ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; }))
        << "the forger's session stayed";
  }
  const uint64_t during = stream.completed();
  ASSERT_TRUE(WaitFor([&] { return stream.completed() >= during + 200; }));
  stream.Stop();
  EXPECT_EQ(stream.wrong(), 0u);
  EXPECT_EQ(Occurrences(healthy.log(), "connected to"), 1) << healthy.log();
}

// What a fake queue heard from the node that connected to it.
struct FakeQueueLog {
  absl::Mutex mu;
  int hellos ABSL_GUARDED_BY(mu) = 0;
  std::vector<std::string> refusals ABSL_GUARDED_BY(mu);
};

// A queue that welcomes every node (as its own proxy) and sends it a frame
// of tasks that does not decode.
caf::behavior FakeQueue(caf::event_based_actor* self,
                        std::shared_ptr<FakeQueueLog> log) {
  return {
      [self, log](hello_atom, uint32_t, const std::string&, uint32_t,
                  const SignatureMap&) {
        {
          absl::MutexLock lock(&log->mu);
          ++log->hellos;
        }
        auto node = caf::actor_cast<caf::actor>(self->current_sender());
        self->send(node, welcome_atom::value, TestRegistry()->signatures());
        // A task whose name claims 50 bytes of the 3 there are.
        self->send(node, tasks_atom::value,
                   std::vector<char>{char{0x10}, char{1}, char{50}});
      },
      [log](refuse_atom, const std::string& why) {
        absl::MutexLock lock(&log->mu);
        log->refusals.push_back(why);
      },
  };
}

TEST(HostilePeer, ANodeEndsTheSessionOfAQueueWhoseTasksDoNotDecode) {
  caf::actor_system_config config;
  config.load<caf::io::middleman>();
  caf::actor_system system(config);
  auto log = std::make_shared<FakeQueueLog>();
  caf::actor fake = system.spawn(FakeQueue, log);
  caf::expected<uint16_t> port =
      system.middleman().publish(fake, 0, "127.0.0.1");
  ASSERT_TRUE(port) << system.render(port.error());
  NodeProcess node(NodeBinary(), *port, 1, "misled", NodeLog("misled"));
  // It tells the queue why and comes back for a new session.
  ASSERT_TRUE(WaitFor([&] {
    absl::MutexLock lock(&log->mu);
    return log->hellos >= 2 && !log->refusals.empty();
  })) << node.log();
  {
    absl::MutexLock lock(&log->mu);
    EXPECT_THAT(log->refusals[0],
                HasSubstr("the queue sent node frame: a length of 50"));
  }
  EXPECT_THAT(node.log(), HasSubstr("the queue sent node frame"));
  caf::anon_send_exit(fake, caf::exit_reason::user_shutdown);
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
