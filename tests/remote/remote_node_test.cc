// Worker nodes doing the work: results, exceptions and exact floats come
// back from other processes; a late node gets work; what a listening queue
// refuses to take, and the nodes it refuses, say why on both sides.
#include <signal.h>

#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "taskqueue/errors.h"
#include "taskqueue/named_task.h"
#include "taskqueue/named_task_errors.h"
#include "taskqueue/task_registry.h"
#include "taskqueue/taskqueue.h"
#include "tests/remote/node_process.h"
#include "tests/remote/remote_fixture.h"
#include "tests/remote/test_tasks.h"

namespace taskqueue_test {
namespace {

using std::chrono::milliseconds;

TEST(RemoteNode, TenThousandTasksOnTwoNodesAllComeBackRight) {
  taskqueue::TaskQueue q(ListeningOptions());
  NodeProcess a(NodeBinary(), q.listening_port(), 2, "a", NodeLog("a"));
  NodeProcess b(NodeBinary(), q.listening_port(), 2, "b", NodeLog("b"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 2; }))
      << a.log() << b.log();

  constexpr int64_t kTasks = 10000;
  std::vector<taskqueue::TaskFuture<int64_t>> results;
  results.reserve(kTasks);
  for (int64_t i = 0; i < kTasks; ++i) {
    results.push_back(q.submit(kSquare, i, 0));
  }
  q.join();
  for (int64_t i = 0; i < kTasks; ++i) {
    ASSERT_EQ(results[i].get(), i * i + 1) << "task " << i;
  }
  taskqueue::Stats stats = q.stats();
  EXPECT_EQ(stats.completed, kTasks);
  EXPECT_EQ(stats.failed, 0u);
  ASSERT_EQ(stats.nodes.size(), 2u);
  EXPECT_EQ(stats.nodes["a"].slots, 2);
  EXPECT_EQ(stats.nodes["a"].completed + stats.nodes["b"].completed, kTasks);
  EXPECT_GT(stats.nodes["a"].completed, 0u);
  EXPECT_GT(stats.nodes["b"].completed, 0u);
  EXPECT_EQ(stats.nodes["a"].started + stats.nodes["b"].started, kTasks);
}

// A queue server's path: tasks by name with encoded arguments, run on a
// node, results back encoded; and refused before anything is sent when the
// listening registry does not have them.
TEST(RemoteNode, EncodedTasksRunOnNodesAndReturnEncodedResults) {
  taskqueue::TaskQueue q(ListeningOptions());
  NodeProcess a(NodeBinary(), q.listening_port(), 2, "a", NodeLog("a"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << a.log();
  std::shared_ptr<taskqueue::TaskRegistry> registry = TestRegistry();
  std::vector<taskqueue::TaskFuture<std::vector<char>>> results;
  for (int64_t i = 0; i < 100; ++i) {
    results.push_back(
        q.submit_encoded({}, registry, "test.square",
                         taskqueue::internal::Encode(i, int32_t{0})));
  }
  for (int64_t i = 0; i < 100; ++i) {
    std::vector<char> bytes = results[i].get();
    int64_t square = 0;
    taskqueue::internal::Decode(std::string_view(bytes.data(), bytes.size()),
                                square);
    EXPECT_EQ(square, i * i + 1);
  }
  q.join();  // A future is ready before its task is counted.
  EXPECT_EQ(q.stats().nodes["a"].completed, 100u);

  auto other = std::make_shared<taskqueue::TaskRegistry>();
  other->Add(taskqueue::NamedTask<&Echo>{"test.not_listening"});
  EXPECT_THROW(q.submit_encoded({}, other, "test.not_listening",
                                taskqueue::internal::Encode(1.0)),
               taskqueue::UnknownTaskError);
}

TEST(RemoteNode, LocalWorkersAndNodesServeOneQueue) {
  taskqueue::TaskQueue q(ListeningOptions(/*num_workers=*/1));
  NodeProcess a(NodeBinary(), q.listening_port(), 1, "a", NodeLog("a"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << a.log();
  std::atomic<int> closures{0};
  std::vector<taskqueue::TaskFuture<int64_t>> named;
  for (int64_t i = 0; i < 200; ++i) {
    named.push_back(q.submit(kSquare, i, 1000));
    q.add_task([&closures] { ++closures; });
  }
  q.join();
  for (int64_t i = 0; i < 200; ++i) EXPECT_EQ(named[i].get(), i * i + 1);
  EXPECT_EQ(closures.load(), 200);
  taskqueue::Stats stats = q.stats();
  EXPECT_EQ(stats.completed, 400u);
  // Both kinds of endpoint took named tasks: 1 ms each, 200 of them.
  EXPECT_GT(stats.nodes["a"].completed, 0u);
  EXPECT_LT(stats.nodes["a"].completed, 200u);
}

TEST(RemoteNode, ExceptionsComeBackWithTheirTypeAndMessage) {
  taskqueue::QueueOptions options = ListeningOptions();
  absl::Mutex mu;
  std::vector<std::string> errors;
  options.on_error = [&](const taskqueue::TaskFailure& failure) {
    absl::MutexLock lock(&mu);
    try {
      std::rethrow_exception(failure.exception);
    } catch (const taskqueue::RemoteTaskError& e) {
      errors.push_back(e.type() + "|" + e.message());
    } catch (...) {
      errors.push_back("not a RemoteTaskError");
    }
  };
  taskqueue::TaskQueue q(options);
  NodeProcess a(NodeBinary(), q.listening_port(), 1, "a", NodeLog("a"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << a.log();

  taskqueue::TaskFuture<int32_t> f = q.submit(kFail, std::string("boom"));
  try {
    f.get();
    ADD_FAILURE() << "no exception";
  } catch (const taskqueue::RemoteTaskError& e) {
    EXPECT_EQ(e.type(), "std::invalid_argument");
    EXPECT_EQ(e.message(), "boom");
  }
  q.add_task(kFail, std::string("to on_error"));
  q.join();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(errors,
            std::vector<std::string>{"std::invalid_argument|to on_error"});
  EXPECT_EQ(q.stats().failed, 2u);
  EXPECT_EQ(q.stats().nodes["a"].failed, 2u);
}

TEST(RemoteNode, FloatsRoundTripBitExactly) {
  taskqueue::TaskQueue q(ListeningOptions());
  NodeProcess a(NodeBinary(), q.listening_port(), 1, "a", NodeLog("a"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << a.log();
  const std::vector<uint64_t> bits = {
      0x7ff8000000000000,  // the quiet NaN
      0x7ff8000000abcdef,  // a NaN with a payload
      0xfff8000000000001,  // a negative NaN
      0x7ff0000000000000,  // +infinity
      0xfff0000000000000,  // -infinity
      0x8000000000000000,  // -0
      0x0000000000000001,  // the smallest subnormal
      0x7fefffffffffffff,  // the largest finite
  };
  std::vector<taskqueue::TaskFuture<double>> echoes;
  for (uint64_t b : bits)
    echoes.push_back(q.submit(kEcho, std::bit_cast<double>(b)));
  for (size_t i = 0; i < bits.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint64_t>(echoes[i].get()), bits[i])
        << std::hex << bits[i];
  }
  q.join();  // The stats are exact after a join, not after a future.
  EXPECT_EQ(q.stats().nodes["a"].completed, bits.size());
}

TEST(RemoteNode, ANodeThatJoinsLateGetsWork) {
  taskqueue::TaskQueue q(ListeningOptions());
  NodeProcess a(NodeBinary(), q.listening_port(), 1, "a", NodeLog("a"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << a.log();
  // 300 x 10 ms: 3 s for one slot alone.
  for (int64_t i = 0; i < 300; ++i) q.add_task(kSquare, i, 10000);
  ASSERT_TRUE(WaitFor([&] { return q.stats().completed >= 10; }));
  NodeProcess late(NodeBinary(), q.listening_port(), 1, "late",
                   NodeLog("late"));
  q.join();
  taskqueue::Stats stats = q.stats();
  EXPECT_EQ(stats.completed, 300u);
  EXPECT_GT(stats.nodes["late"].completed, 0u) << late.log();
  EXPECT_EQ(stats.nodes["a"].completed + stats.nodes["late"].completed, 300u);
}

int32_t NotRegistered(int32_t x) { return x; }
constexpr taskqueue::NamedTask<&NotRegistered> kNotRegistered{"test.nope"};
int32_t OtherSquare(int32_t x) { return x; }
constexpr taskqueue::NamedTask<&OtherSquare> kOtherSquare{"test.square"};

TEST(RemoteNode, WhatNoEndpointCouldRunIsRefusedAtAdd) {
  taskqueue::TaskQueue q(ListeningOptions());
  EXPECT_THROW(q.add_task([] {}), std::logic_error);
  EXPECT_THROW(q.submit([] { return 1; }), std::logic_error);
  EXPECT_THROW(q.add_task(kNotRegistered, 1), taskqueue::UnknownTaskError);
  EXPECT_THROW(q.add_task(kOtherSquare, 1), taskqueue::TaskSignatureError);
  EXPECT_EQ(q.stats().submitted, 0u);
  q.join();  // Nothing was accepted: nothing to wait for.
}

// A node with the registry `variant` of test_node_tasks.cc: refused, with
// the reason on both sides.
struct Refusal {
  std::optional<int> exit;
  std::string node_log;
  std::vector<std::string> queue_side;
};
Refusal RefuseNode(const std::string& variant) {
  taskqueue::QueueOptions options = ListeningOptions();
  auto seen = std::make_shared<absl::Mutex>();
  auto lines = std::make_shared<std::vector<std::string>>();
  options.listen->on_refused = [seen, lines](const std::string& node,
                                             const std::string& why) {
    absl::MutexLock lock(seen.get());
    lines->push_back(node + ": " + why);
  };
  taskqueue::TaskQueue q(options);
  NodeProcess node(NodeBinary(), q.listening_port(), 1, "wrong",
                   NodeLog("wrong_" + variant),
                   {{"TEST_NODE_REGISTRY", variant}});
  Refusal refusal;
  refusal.exit = node.Wait(milliseconds(20000));
  refusal.node_log = node.log();
  absl::MutexLock lock(seen.get());
  refusal.queue_side = *lines;
  EXPECT_EQ(ConnectedNodes(q), 0);
  return refusal;
}

TEST(RemoteNode, AMismatchedRegistryIsRefusedOnBothSides) {
  Refusal r = RefuseNode("mismatch");
  EXPECT_EQ(r.exit, 2) << r.node_log;
  ASSERT_EQ(r.queue_side.size(), 1u);
  // The task and both signatures, on each side.
  for (const std::string& text : {r.queue_side[0], r.node_log}) {
    EXPECT_NE(text.find("test.square(i64,i32)->i64"), std::string::npos)
        << text;
    EXPECT_NE(text.find("test.square(i32)->i32"), std::string::npos) << text;
  }
  EXPECT_EQ(r.queue_side[0].rfind("wrong: ", 0), 0u) << r.queue_side[0];
}

TEST(RemoteNode, ANodeMissingATaskIsRefusedOnBothSides) {
  Refusal r = RefuseNode("missing");
  EXPECT_EQ(r.exit, 2) << r.node_log;
  ASSERT_EQ(r.queue_side.size(), 1u);
  EXPECT_NE(r.queue_side[0].find("test.echo"), std::string::npos)
      << r.queue_side[0];
  EXPECT_NE(r.node_log.find("test.echo"), std::string::npos) << r.node_log;
}

TEST(RemoteNode, ASecondNodeOfTheSameNameWaitsItsTurn) {
  taskqueue::QueueOptions options = ListeningOptions();
  auto turned_away = std::make_shared<std::atomic<int>>(0);
  options.listen->on_refused = [turned_away](const std::string&,
                                             const std::string& why) {
    if (why.find("connected already") != std::string::npos) ++*turned_away;
  };
  taskqueue::TaskQueue q(options);
  auto first = std::make_unique<NodeProcess>(NodeBinary(), q.listening_port(),
                                             1, "same", NodeLog("same1"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << first->log();
  NodeProcess second(NodeBinary(), q.listening_port(), 1, "same",
                     NodeLog("same2"));
  ASSERT_TRUE(WaitFor([&] { return turned_away->load() >= 1; }))
      << second.log();
  EXPECT_EQ(second.Wait(milliseconds(0)), std::nullopt) << "it gave up";
  first->Signal(SIGTERM);
  EXPECT_EQ(first->Wait(milliseconds(20000)), 0) << first->log();
  first.reset();
  // The second takes the name over and works.
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << second.log();
  auto square = q.submit(kSquare, int64_t{7}, 0);
  ASSERT_EQ(square.wait_for(milliseconds(20000)), std::future_status::ready)
      << second.log();
  EXPECT_EQ(square.get(), 50);
}

}  // namespace
}  // namespace taskqueue_test
