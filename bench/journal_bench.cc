// journal_bench: what durability costs, measured in one run of this binary.
//
//   BM_SqliteSingleRowCommit   raw SQLite, WAL, one INSERT per transaction:
//                              the rate of a journal that flushes per task
//   BM_SqliteBatchedCommit     raw SQLite, 100 INSERTs per transaction: the
//                              limit of group commit on this disk
//   BM_JournalCommitEach       Journal::Commit of one AcceptTask at a time
//   BM_JournalGroupCommit      GroupCommit with P producer threads, each with
//                              up to W adds awaiting acknowledgement (a
//                              server's connection actors pipelining their
//                              clients' adds): adds/s, acknowledgement
//                              latency (p50_us, p99_us), mean group size
//   BM_InMemoryQueueAdd        TaskQueue::add_task of a no-op, for scale
//
// The second argument of the SQLite and journal benchmarks is the durability:
// 1 = synchronous=FULL (fsync per commit), 0 = NORMAL (Durability::
// kProcessCrash). Files go under $TEST_TMPDIR or /tmp. --smoke runs 50 adds
// per iteration instead of 2,000.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "actors/journal/group_commit.h"
#include "actors/journal/journal.h"
#include "bench/durable_add_limits.h"
#include "bench/samples.h"
#include "bench/take_flag.h"
#include "benchmark/benchmark.h"

namespace taskqueue_bench {
namespace {

using Clock = std::chrono::steady_clock;
using taskqueue::internal::AcceptTask;
using taskqueue::internal::Durability;
using taskqueue::internal::GroupCommit;
using taskqueue::internal::Journal;
using taskqueue::internal::JournalOp;
using taskqueue::internal::NewTask;
using taskqueue::internal::OpOutcome;

int adds_per_iteration = 2000;

// A fresh file path for one benchmark run; the old file and its log go.
std::string FreshPath(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::filesystem::path dir =
      std::filesystem::path(tmp != nullptr ? tmp : "/tmp") /
      ("journal_bench." + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / name;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
  return path;
}

// A no-op task as a producer hands it over: a name and 16 bytes of
// arguments, like a small named task's.
NewTask SmallTask() {
  return NewTask{.name = "bench.noop", .args = std::string(16, 'a')};
}

std::unique_ptr<Journal> OpenJournal(benchmark::State& state) {
  absl::StatusOr<std::unique_ptr<Journal>> journal = Journal::Open(
      {.path = FreshPath("journal"),
       .durability = state.range(1) == 1 ? Durability::kFull
                                         : Durability::kProcessCrash});
  if (!journal.ok()) {
    state.SkipWithError(std::string(journal.status().message()).c_str());
    return nullptr;
  }
  return *std::move(journal);
}

// Raw SQLite into a table shaped like the journal's, range(0) rows per
// transaction.
void BM_SqliteCommit(benchmark::State& state) {
  MeasureSqliteInserts(state, FreshPath("raw"),
                       static_cast<int>(state.range(0)), state.range(1) == 1,
                       adds_per_iteration);
}

void BM_SqliteSingleRowCommit(benchmark::State& state) {
  BM_SqliteCommit(state);
}
void BM_SqliteBatchedCommit(benchmark::State& state) { BM_SqliteCommit(state); }

void BM_JournalCommitEach(benchmark::State& state) {
  std::unique_ptr<Journal> journal = OpenJournal(state);
  if (journal == nullptr) return;
  for (auto _ : state) {
    for (int i = 0; i < adds_per_iteration; ++i) {
      const JournalOp op = AcceptTask{SmallTask()};
      auto outcome = journal->Commit({&op, 1}, absl::Now());
      if (!outcome.ok()) {
        state.SkipWithError(std::string(outcome.status().message()).c_str());
        return;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * adds_per_iteration);
}

// range(0) producers, each keeping up to range(2) adds unacknowledged.
void BM_JournalGroupCommit(benchmark::State& state) {
  std::unique_ptr<Journal> journal = OpenJournal(state);
  if (journal == nullptr) return;
  const int producers = static_cast<int>(state.range(0));
  const int window = static_cast<int>(state.range(2));
  Samples latency_us;
  absl::Mutex samples_mu;
  std::atomic<bool> failed{false};
  GroupCommit commits(*journal);
  for (auto _ : state) {
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
      threads.emplace_back([&, p] {
        absl::Mutex mu;
        int in_flight = 0;
        const auto room = [&] { return in_flight < window; };
        const int mine = adds_per_iteration / producers +
                         (p < adds_per_iteration % producers ? 1 : 0);
        for (int i = 0; i < mine; ++i) {
          {
            absl::MutexLock lock(&mu);
            mu.Await(absl::Condition(&room));
            ++in_flight;
          }
          const Clock::time_point submitted = Clock::now();
          commits.Submit(AcceptTask{SmallTask()},
                         [&, submitted](absl::StatusOr<OpOutcome> outcome) {
                           if (!outcome.ok()) failed = true;
                           const double us =
                               std::chrono::duration<double, std::micro>(
                                   Clock::now() - submitted)
                                   .count();
                           {
                             absl::MutexLock lock(&samples_mu);
                             latency_us.Add(us);
                           }
                           absl::MutexLock lock(&mu);
                           --in_flight;
                         });
        }
        absl::MutexLock lock(&mu);
        mu.Await(absl::Condition(
            +[](int* n) { return *n == 0; }, &in_flight));
      });
    }
    for (std::thread& t : threads) t.join();
  }
  if (failed) state.SkipWithError("a commit failed");
  state.SetItemsProcessed(state.iterations() * adds_per_iteration);
  const GroupCommit::Counts counts = commits.counts();
  absl::MutexLock lock(&samples_mu);
  state.counters["p50_us"] = latency_us.Percentile(50);
  state.counters["p99_us"] = latency_us.Percentile(99);
  state.counters["group"] = counts.groups == 0
                                ? 0
                                : static_cast<double>(counts.operations) /
                                      static_cast<double>(counts.groups);
}

void BM_InMemoryQueueAdd(benchmark::State& state) {
  MeasureInMemoryAdds(state, adds_per_iteration);
}

BENCHMARK(BM_SqliteSingleRowCommit)
    ->Args({1, 1})
    ->Args({1, 0})
    ->ArgNames({"rows", "full"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteBatchedCommit)
    ->Args({100, 1})
    ->Args({100, 0})
    ->ArgNames({"rows", "full"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JournalCommitEach)
    ->Args({1, 1})
    ->ArgNames({"ops", "full"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JournalGroupCommit)
    ->Args({1, 1, 16})
    ->Args({1, 1, 64})
    ->Args({1, 1, 256})
    ->Args({4, 1, 64})
    ->Args({16, 1, 16})
    ->Args({4, 0, 64})
    ->ArgNames({"producers", "full", "window"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InMemoryQueueAdd)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace taskqueue_bench

int main(int argc, char** argv) {
  if (taskqueue_bench::TakeFlag(argc, argv, "--smoke")) {
    taskqueue_bench::adds_per_iteration = 50;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(
      std::filesystem::path(std::getenv("TEST_TMPDIR") != nullptr
                                ? std::getenv("TEST_TMPDIR")
                                : "/tmp") /
      ("journal_bench." + std::to_string(getpid())));
  return 0;
}
