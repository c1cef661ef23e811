// journal_writer PATH TASKS THREADS: a stand-in for a server under kill -9.
// Adds tasks "k0".."k<TASKS-1>" (idempotency keys) to the journal at PATH
// through GroupCommit, from THREADS threads with up to 64 adds in flight
// each, and prints "<key> <id> <created>" on stdout for each one the journal
// acknowledged, after its commit. Exits 0 when all are acknowledged, 1 on
// an error (printed on stderr).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "actors/journal/group_commit.h"

namespace {

using taskqueue::internal::AcceptTask;
using taskqueue::internal::GroupCommit;
using taskqueue::internal::Journal;
using taskqueue::internal::NewTask;
using taskqueue::internal::OpOutcome;

constexpr int kWindow = 64;

void Print(const std::string& line) {
  // One write per line: a kill leaves at most the last line cut short.
  if (write(STDOUT_FILENO, line.data(), line.size()) < 0) std::_Exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s PATH TASKS THREADS\n", argv[0]);
    return 2;
  }
  const int tasks = std::atoi(argv[2]);
  const int threads = std::atoi(argv[3]);
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open({.path = argv[1]});
  if (!journal.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(journal.status().message()).c_str());
    return 1;
  }
  GroupCommit commits(**journal);
  std::vector<std::thread> producers;
  for (int t = 0; t < threads; ++t) {
    producers.emplace_back([&, t] {
      absl::Mutex mu;
      int in_flight = 0;
      for (int i = t; i < tasks; i += threads) {
        {
          absl::MutexLock lock(&mu);
          mu.Await(absl::Condition(
              +[](int* n) { return *n < kWindow; }, &in_flight));
          ++in_flight;
        }
        const std::string key = absl::StrCat("k", i);
        commits.Submit(AcceptTask{NewTask{.name = "count",
                                          .args = std::to_string(i),
                                          .idempotency_key = key}},
                       [&, key](absl::StatusOr<OpOutcome> outcome) {
                         if (!outcome.ok()) {
                           std::fprintf(
                               stderr, "%s\n",
                               std::string(outcome.status().message()).c_str());
                           std::_Exit(1);
                         }
                         Print(absl::StrCat(key, " ", outcome->id, " ",
                                            outcome->created ? 1 : 0, "\n"));
                         absl::MutexLock lock(&mu);
                         --in_flight;
                       });
      }
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(
          +[](int* n) { return *n == 0; }, &in_flight));
    });
  }
  for (std::thread& p : producers) p.join();
  return 0;
}
