// The queue server as a process, killed for real: what it acknowledged
// survives SIGKILL, a producer that exits loses nothing (10,000 tasks), and 20
// kills at random points of a run leave every task completed once in the
// journal, its body run at least once.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
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

// A producer process adds kTasks tasks to a server with no workers and
// exits before any runs; the server restarts with workers, and the test (a
// second program) fetches every result. Fewer under TSan, whose server runs
// the tasks about ten times slower.
#if defined(__SANITIZE_THREAD__)
constexpr int kProducedTasks = 2000;
#else
constexpr int kProducedTasks = 10000;
#endif

// The producer: a process of its own (forked while this one has no threads)
// that adds tasks 0..kProducedTasks-1 from 8 threads, writes "x id" per
// task to `ids` and exits; its exit status says whether every add was
// acknowledged.
int RunProducer(uint16_t port, const std::filesystem::path& ids) {
  constexpr int kThreads = 8;
  std::vector<std::vector<uint64_t>> added(kThreads);
  std::atomic<bool> failed{false};
  {
    taskqueue::QueueClient producer({.port = port});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        try {
          for (int x = t; x < kProducedTasks; x += kThreads) {
            added[t].push_back(producer.add_task(kRecord, x, 0));
          }
        } catch (const std::exception& e) {
          std::fprintf(stderr, "producer: %s\n", e.what());
          failed = true;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  std::ofstream out(ids);
  for (int t = 0; t < kThreads; ++t) {
    for (size_t i = 0; i < added[t].size(); ++i) {
      out << t + static_cast<int>(i) * kThreads << " " << added[t][i] << "\n";
    }
  }
  return failed || !out.flush() ? 1 : 0;
}

TEST(ServerKill, AProducerThatExitsLosesNothing) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  {
    // No workers (and no node comes): nothing runs while the producer adds.
    ServerProcess server(dir, 0, {"--workers=0", "--node_port=0"});
    ASSERT_NE(server.port(), 0) << "the server did not start";
    const pid_t producer = fork();
    ASSERT_GE(producer, 0);
    if (producer == 0) _exit(RunProducer(server.port(), dir / "ids"));
    int status = 0;
    ASSERT_EQ(waitpid(producer, &status, 0), producer);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    EXPECT_TRUE(Runs(dir).empty());  // It exited before any task ran.
    EXPECT_EQ(server.Stop(), 0);
  }
  std::map<int64_t, uint64_t> ids;  // Argument -> task id.
  std::ifstream in(dir / "ids");
  for (int64_t x = 0, id = 0; in >> x >> id;) ids[x] = id;
  ASSERT_EQ(ids.size(), static_cast<size_t>(kProducedTasks));
  {
    ServerProcess server(dir, 1);  // Two workers now.
    ASSERT_NE(server.port(), 0) << "the server did not restart";
    taskqueue::QueueClient reader({.port = server.port()});
    for (const auto& [x, id] : ids) {
      ASSERT_EQ(reader.result(kRecord, id), x) << "task " << id;
    }
    EXPECT_EQ(server.Stop(), 0);
  }
  std::map<int64_t, int> runs = Runs(dir);
  EXPECT_EQ(runs.size(), static_cast<size_t>(kProducedTasks));
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
