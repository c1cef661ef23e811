// A queue server whose work runs on worker nodes in processes of their own:
// a node killed mid-run loses no task, the journal records the lost
// attempt, and only what the node held runs again.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/queue_client.h"
#include "tests/scratch_files.h"
#include "tests/server/server_process.h"
#include "tools/child_process/child_process.h"

namespace taskqueue_test {
namespace {

std::unique_ptr<taskqueue_tools::ChildProcess> StartNode(
    const std::filesystem::path& dir, uint16_t port, const std::string& name) {
  return std::make_unique<taskqueue_tools::ChildProcess>(
      taskqueue_tools::ChildOptions{
          .argv = {std::getenv("TEST_NODE"),
                   "--connect=127.0.0.1:" + std::to_string(port), "--slots=2",
                   "--name=" + name},
          .stderr_path = (dir / ("node." + name + ".log")).string(),
          .env = {{"TASKQUEUE_TEST_RECORD", (dir / "runs").string()}},
      });
}

int64_t TotalRuns(const std::filesystem::path& dir) {
  int64_t total = 0;
  for (const auto& [x, n] : Runs(dir)) total += n;
  return total;
}

TEST(ServerNodes, AKilledNodeLosesNoTaskAndTheJournalSaysSo) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  constexpr int kTasks = 300;
  ServerProcess server(dir, 0, {"--workers=0", "--node_port=0"});
  ASSERT_NE(server.port(), 0);
  ASSERT_NE(server.node_port(), 0);
  auto a = StartNode(dir, server.node_port(), "a");
  auto b = StartNode(dir, server.node_port(), "b");
  taskqueue::QueueClient client({.port = server.port()});
  std::vector<uint64_t> ids;
  for (int i = 0; i < kTasks; ++i) {
    ids.push_back(client.add_task(kRecord, i, 20));
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (TotalRuns(dir) < kTasks / 3 &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  a->Signal(SIGKILL);
  ASSERT_EQ(a->Wait(std::chrono::seconds(10)), 128 + SIGKILL);
  a = StartNode(dir, server.node_port(), "a2");

  for (int i = 0; i < kTasks; ++i) {
    ASSERT_EQ(client.result(kRecord, ids[i]), i) << "task " << i;
  }
  std::vector<int64_t> counts = client.status().tasks_by_state;
  EXPECT_EQ(counts[static_cast<int>(taskqueue::TaskState::kCompleted)], kTasks);
  // What node a held when killed (2 slots and 1 prefetched) ran again;
  // the journal recorded each such attempt as failed with the node lost.
  int lost_attempts = 0;
  for (uint64_t after = 0;;) {
    std::vector<taskqueue::TaskInfo> page =
        client.list({.after_id = after, .limit = 100});
    if (page.empty()) break;
    for (const taskqueue::TaskInfo& listed : page) {
      if (listed.attempts == 1) continue;
      taskqueue::TaskInfo task = client.show(listed.id);
      for (const taskqueue::AttemptInfo& attempt : task.history) {
        // The journal names the node each attempt ran on.
        if (attempt.outcome != "failed") {
          EXPECT_TRUE(attempt.worker == "node/b" || attempt.worker == "node/a2")
              << attempt.worker;
        } else {
          EXPECT_EQ(attempt.worker, "node/a");
          EXPECT_NE(attempt.error_type.find("NodeLostError"), std::string::npos)
              << attempt.error_type;
          ++lost_attempts;
        }
      }
    }
    after = page.back().id;
  }
  std::map<int64_t, int> runs = Runs(dir);
  ASSERT_EQ(runs.size(), static_cast<size_t>(kTasks));
  int64_t extra = TotalRuns(dir) - kTasks;
  std::printf("%d attempts lost with the node, %lld runs beyond one each\n",
              lost_attempts, static_cast<long long>(extra));
  EXPECT_GE(lost_attempts, 1);
  EXPECT_LE(lost_attempts, 3);
  EXPECT_LE(extra, lost_attempts);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace taskqueue_test
