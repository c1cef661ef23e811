// The queue server as a process, killed for real: what it acknowledged
// survives SIGKILL, a producer that exits loses nothing, and 20 kills at
// random points of a run leave every task completed once in the journal,
// its body run at least once.
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/named_task.h"
#include "taskqueue/queue_client.h"
#include "tests/scratch_files.h"
#include "tests/server/server_process.h"

namespace taskqueue_test {
namespace {

int64_t TotalRuns(const std::filesystem::path& dir) {
  int64_t total = 0;
  for (const auto& [x, n] : Runs(dir)) total += n;
  return total;
}

TEST(ServerKill, AProducerThatExitsLosesNothing) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  constexpr int kTasks = 200;
  std::vector<uint64_t> ids;
  {
    ServerProcess server(dir, 0);
    ASSERT_NE(server.port(), 0) << "the server did not start";
    {
      taskqueue::QueueClient producer({.port = server.port()});
      for (int i = 0; i < kTasks; ++i) {
        ids.push_back(producer.add_task(kRecord, i, 1));
      }
    }  // The producer is gone; its tasks are not.
    taskqueue::QueueClient reader({.port = server.port()});
    for (int i = 0; i < kTasks; ++i) {
      ASSERT_EQ(reader.result(kRecord, ids[i]), i);
    }
    EXPECT_EQ(server.Stop(), 0);
  }
  std::map<int64_t, int> runs = Runs(dir);
  EXPECT_EQ(runs.size(), static_cast<size_t>(kTasks));
  for (const auto& [x, n] : runs) EXPECT_EQ(n, 1) << "task " << x;
}

TEST(ServerKill, TwentyKillsLoseNoAcknowledgedTask) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  // 10 s of work for 2 workers: adding them takes less, so the kills fall
  // on a server with work left.
  constexpr int kTasks = 1000;
  constexpr int kKills = 20;
  constexpr int kTaskMs = 20;
  std::vector<uint64_t> ids;
  int generation = 0;
  auto server = std::make_unique<ServerProcess>(dir, generation++);
  ASSERT_NE(server->port(), 0);
  {
    taskqueue::QueueClient producer({.port = server->port()});
    for (int i = 0; i < kTasks; ++i) {
      ids.push_back(producer.add_task(kRecord, i, kTaskMs));
    }
  }
  std::mt19937 random(20261207);
  int kills = 0;
  for (; kills < kKills; ++kills) {
    // The k-th kill once about k/(kKills+1) of the runs happened, give or
    // take a few milliseconds.
    int64_t mark = (kills + 1) * kTasks / (kKills + 1);
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (TotalRuns(dir) < mark && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(
        std::uniform_int_distribution<>(0, 9)(random)));
    server->Kill();
    server = std::make_unique<ServerProcess>(dir, generation++);
    ASSERT_NE(server->port(), 0) << "restart " << kills << " failed";
  }
  EXPECT_EQ(kills, kKills);
  taskqueue::QueueClient reader({.port = server->port()});
  for (int i = 0; i < kTasks; ++i) {
    ASSERT_EQ(reader.result(kRecord, ids[i]), i) << "task " << i;
  }
  std::vector<int64_t> counts = reader.status().tasks_by_state;
  EXPECT_EQ(counts[static_cast<int>(taskqueue::TaskState::kCompleted)], kTasks);
  int64_t journaled = 0;
  for (int64_t n : counts) journaled += n;
  EXPECT_EQ(journaled, kTasks) << "a task was journaled twice";
  EXPECT_EQ(server->Stop(), 0);

  // The kills hit a running server: restarts found unfinished tasks.
  int restarts_with_work = 0;
  for (int g = 1; g < generation; ++g) {
    std::string log = taskqueue_testing::ReadWholeFile(
        dir / ("server." + std::to_string(g) + ".log"));
    if (log.find(", 0 tasks recovered") == std::string::npos &&
        log.find("tasks recovered") != std::string::npos) {
      ++restarts_with_work;
    }
  }
  std::printf("%d of %d restarts recovered unfinished tasks\n",
              restarts_with_work, kKills);
  EXPECT_GE(restarts_with_work, kKills / 2);

  std::map<int64_t, int> runs = Runs(dir);
  ASSERT_EQ(runs.size(), static_cast<size_t>(kTasks)) << "a task never ran";
  int64_t extra = TotalRuns(dir) - kTasks;
  // Run again after a kill: the attempts running then (2 workers) and those
  // that had finished while their completion waited for its commit: with
  // 20 ms tasks, 2 per worker would take a commit of 40 ms or more.
  std::printf("%lld runs beyond one per task after %d kills\n",
              static_cast<long long>(extra), kKills);
  EXPECT_LE(extra, kKills * 6);
}

}  // namespace
}  // namespace taskqueue_test
