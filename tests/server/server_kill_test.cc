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
#include "tools/child_process/child_process.h"

namespace {

int64_t Record(int64_t x, int64_t sleep_ms);  // In the server only.
constexpr taskqueue::NamedTask<&Record> kRecord{"test.record"};
int64_t Record(int64_t x, int64_t) { return x; }

const char* ServerBinary() { return std::getenv("TEST_SERVER"); }

// A test server process on a fresh port, on `journal`.
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& dir, int generation) {
    std::filesystem::path ports = dir / ("ports." + std::to_string(generation));
    process_.emplace(taskqueue_tools::ChildOptions{
        .argv = {ServerBinary(), "--port=0", "--workers=2",
                 "--journal=" + (dir / "journal").string(),
                 "--port_file=" + ports.string()},
        .stderr_path =
            (dir / ("server." + std::to_string(generation) + ".log")).string(),
        .env = {{"TASKQUEUE_TEST_RECORD", (dir / "runs").string()}},
    });
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!std::filesystem::exists(ports) &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::ifstream in(ports);
    std::string word;
    in >> word >> port_;
  }
  uint16_t port() const { return port_; }
  void Kill() {
    process_->Signal(SIGKILL);
    EXPECT_EQ(process_->Wait(std::chrono::seconds(10)), 128 + SIGKILL);
  }
  std::optional<int> Stop() {
    process_->Signal(SIGTERM);
    return process_->Wait(std::chrono::seconds(30));
  }

 private:
  std::optional<taskqueue_tools::ChildProcess> process_;
  uint16_t port_ = 0;
};

// Runs of each argument, from the record file.
std::map<int64_t, int> Runs(const std::filesystem::path& dir) {
  std::map<int64_t, int> runs;
  std::ifstream in(dir / "runs");
  for (int64_t x; in >> x;) ++runs[x];
  return runs;
}

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
