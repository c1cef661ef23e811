// Nodes that die, hang, drain or are left by a restarting queue: nothing is
// lost and nothing ends twice, by the queue's own count (EndCounter) and by
// every result.
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/errors.h"
#include "taskqueue/taskqueue.h"
#include "tests/remote/node_process.h"
#include "tests/remote/remote_fixture.h"
#include "tests/remote/test_tasks.h"

namespace taskqueue_test {
namespace {

using std::chrono::milliseconds;

struct Squares {
  std::vector<taskqueue::TaskFuture<int64_t>> results;
  std::vector<uint64_t> ids;
};

// `n` squares that sleep `micros` each, with ids.
Squares AddSquares(taskqueue::TaskQueue& q, int64_t n, int32_t micros) {
  Squares run;
  for (int64_t i = 0; i < n; ++i) {
    run.results.push_back(
        q.submit(taskqueue::TaskOptions(), kSquare, i, micros));
    run.ids.push_back(run.results.back().handle().id());
  }
  return run;
}

void ExpectResults(Squares& run) {
  for (size_t i = 0; i < run.results.size(); ++i) {
    auto v = static_cast<int64_t>(i);
    ASSERT_EQ(run.results[i].get(), v * v + 1) << "task " << i;
  }
}

// A queue that counts every task's end, and nodes "a" and "b" of two slots.
struct TwoNodes {
  static taskqueue::QueueOptions Observed(std::shared_ptr<EndCounter> ends) {
    taskqueue::QueueOptions options = ListeningOptions();
    options.observer = std::move(ends);
    return options;
  }
  bool connected() {
    return WaitFor([&] { return ConnectedNodes(q) == 2; });
  }

  std::shared_ptr<EndCounter> ends = std::make_shared<EndCounter>();
  taskqueue::TaskQueue q{Observed(ends)};
  NodeProcess a{NodeBinary(), q.listening_port(), 2, "a", NodeLog("a")};
  NodeProcess b{NodeBinary(), q.listening_port(), 2, "b", NodeLog("b")};
};

void ExpectAllRight(Squares& run, const EndCounter& ends) {
  ExpectResults(run);
  EXPECT_EQ(ends.CheckEachCompletedOnce(run.ids), "");
}

TEST(NodeFailure, AKilledNodesTasksRunElsewhere) {
  TwoNodes nodes;
  ASSERT_TRUE(nodes.connected());
  taskqueue::TaskQueue& q = nodes.q;
  NodeProcess& a = nodes.a;
  EndCounter& ends = *nodes.ends;
  // 2000 x 2 ms on 4 slots: about a second.
  Squares run = AddSquares(q, 2000, 2000);
  ASSERT_TRUE(WaitFor([&] { return q.stats().nodes["a"].completed >= 100; }));
  a.Signal(SIGKILL);
  EXPECT_EQ(a.Wait(milliseconds(5000)), 128 + SIGKILL);
  q.join();
  ExpectAllRight(run, ends);
  taskqueue::Stats stats = q.stats();
  EXPECT_EQ(stats.completed, 2000u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_FALSE(stats.nodes["a"].connected);
  EXPECT_EQ(stats.nodes["a"].completed + stats.nodes["b"].completed, 2000u);
  EXPECT_GT(stats.nodes["b"].completed, stats.nodes["a"].completed);
}

TEST(NodeFailure, AStoppedNodeIsLostAndDoesNotReportTwiceWhenResumed) {
  TwoNodes nodes;
  ASSERT_TRUE(nodes.connected());
  taskqueue::TaskQueue& q = nodes.q;
  NodeProcess& a = nodes.a;
  EndCounter& ends = *nodes.ends;
  Squares run = AddSquares(q, 600, 5000);
  ASSERT_TRUE(WaitFor([&] { return q.stats().nodes["a"].completed >= 20; }));
  a.Signal(SIGSTOP);
  // The connection timeout (1 s) notices; b does the rest.
  ASSERT_TRUE(WaitFor([&] { return !q.stats().nodes["a"].connected; }));
  q.join();
  uint64_t a_completed = q.stats().nodes["a"].completed;
  a.Signal(SIGCONT);
  // a finds its session gone, drops what it finished meanwhile and comes
  // back; its late results change nothing.
  ASSERT_TRUE(WaitFor([&] { return q.stats().nodes["a"].connected; }))
      << a.log();
  auto after = q.submit(kSquare, int64_t{3}, 0);
  EXPECT_EQ(after.get(), 10);
  q.join();
  run.ids.push_back(after.handle().id());
  ExpectAllRight(run, ends);
  taskqueue::Stats stats = q.stats();
  EXPECT_EQ(stats.completed, 601u);
  EXPECT_LE(stats.nodes["a"].completed, a_completed + 1);
}

TEST(NodeFailure, NodesComeBackToARestartedQueue) {
  auto ends = std::make_shared<EndCounter>();
  taskqueue::QueueOptions options = ListeningOptions();
  uint16_t port = 0;
  std::optional<NodeProcess> a;
  {
    taskqueue::TaskQueue q(options);
    port = q.listening_port();
    a.emplace(NodeBinary(), port, 2, "a", NodeLog("a"));
    ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; }));
    Squares run = AddSquares(q, 100, 0);
    q.join();
    ExpectResults(run);
  }
  options.listen->port = port;
  options.observer = ends;
  taskqueue::TaskQueue q(options);
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << a->log();
  Squares run = AddSquares(q, 100, 0);
  q.join();
  ExpectAllRight(run, *ends);
  EXPECT_EQ(q.stats().nodes["a"].completed, 100u);
}

TEST(NodeFailure, SigtermDrainsANode) {
  auto ends = std::make_shared<EndCounter>();
  taskqueue::QueueOptions options = ListeningOptions();
  options.observer = ends;
  taskqueue::TaskQueue q(options);
  NodeProcess a(NodeBinary(), q.listening_port(), 1, "a", NodeLog("a"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; }));
  NodeProcess b(NodeBinary(), q.listening_port(), 1, "b", NodeLog("b"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 2; }));
  // 40 x 100 ms: a runs one and holds one more (prefetch) when told.
  Squares run = AddSquares(q, 40, 100000);
  ASSERT_TRUE(WaitFor([&] { return q.stats().nodes["a"].started >= 2; }));
  a.Signal(SIGTERM);
  EXPECT_EQ(a.Wait(milliseconds(10000)), 0) << a.log();
  q.join();
  ExpectAllRight(run, *ends);
  taskqueue::Stats stats = q.stats();
  // What a started, it finished: nothing ran twice.
  EXPECT_EQ(stats.nodes["a"].started, stats.nodes["a"].completed);
  EXPECT_EQ(ends->starts(), 40u);
  EXPECT_NE(a.log().find("ran " + std::to_string(stats.nodes["a"].completed) +
                         " tasks"),
            std::string::npos)
      << a.log();
}

TEST(NodeFailure, AtMostOnceFailsWhereAtLeastOnceRunsAgain) {
  auto ends = std::make_shared<EndCounter>();
  taskqueue::QueueOptions options = ListeningOptions();
  options.observer = ends;
  taskqueue::TaskQueue q(options);
  auto a = std::make_unique<NodeProcess>(NodeBinary(), q.listening_port(), 2,
                                         "a", NodeLog("a"));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; }));
  auto once = q.submit({.at_most_once = true}, kSquare, int64_t{2}, 2000000);
  auto again = q.submit({}, kSquare, int64_t{3}, 2000000);
  ASSERT_TRUE(WaitFor([&] { return q.stats().nodes["a"].started == 2; }));
  a->Signal(SIGKILL);
  a.reset();
  NodeProcess b(NodeBinary(), q.listening_port(), 1, "b", NodeLog("b"));
  try {
    once.get();
    ADD_FAILURE() << "an at-most-once task ran again";
  } catch (const taskqueue::NodeLostError& e) {
    EXPECT_NE(std::string(e.what()).find("at-most-once"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(again.get(), 10);
  q.join();
  taskqueue::Stats stats = q.stats();
  EXPECT_EQ(stats.completed, 1u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.nodes["b"].started, 1u);
}

TEST(NodeFailure, ATaskThatKillsItsNodesFailsAfterMaxNodeLosses) {
  taskqueue::QueueOptions options = ListeningOptions();
  options.listen->max_node_losses = 2;
  taskqueue::TaskQueue q(options);
  auto deadly = q.submit(kAbort, 9);
  int killed = 0;
  // Each node the task reaches dies of it; bounded in case it never ends.
  for (int i = 0;
       i < 4 && deadly.wait_for(milliseconds(0)) != std::future_status::ready;
       ++i) {
    std::string name = "victim" + std::to_string(i);
    NodeProcess node(NodeBinary(), q.listening_port(), 1, name, NodeLog(name));
    if (node.Wait(milliseconds(20000)) == 9) ++killed;
    // The queue may not yet have noticed.
    deadly.wait_for(milliseconds(2000));
  }
  EXPECT_EQ(killed, 2);
  try {
    deadly.get();
    ADD_FAILURE() << "no error";
  } catch (const taskqueue::NodeLostError& e) {
    EXPECT_NE(std::string(e.what()).find("lost with 2 worker nodes"),
              std::string::npos)
        << e.what();
  }
  // The fleet is fine: the next node runs the next task.
  NodeProcess survivor(NodeBinary(), q.listening_port(), 1, "survivor",
                       NodeLog("survivor"));
  EXPECT_EQ(q.submit(kSquare, int64_t{4}, 0).get(), 17);
}

}  // namespace
}  // namespace taskqueue_test
