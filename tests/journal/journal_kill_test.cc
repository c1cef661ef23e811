// The journal under kill -9: a writer process (journal_writer) is killed at
// random points while it adds 20,000 keyed tasks, and restarted each time on
// the same journal. Every task it acknowledged is in the journal after each
// kill, under the id it was acknowledged with; the retried adds after each
// restart create no duplicates; at the end there are exactly 20,000 tasks.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "actors/journal/journal.h"
#include "gtest/gtest.h"
#include "tests/scratch_files.h"
#include "tools/child_process/child_process.h"

namespace taskqueue::internal {
namespace {

const char* writer_binary = nullptr;

constexpr int kTasks = 20'000;
constexpr int kKills = 8;

// The complete lines of the writer's output: key -> id.
std::map<std::string, int64_t> ReadAcks(const std::filesystem::path& path,
                                        int* lines) {
  std::map<std::string, int64_t> acks;
  std::istringstream in(taskqueue_testing::ReadWholeFile(path));
  std::string line;
  *lines = 0;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // The last line was cut short by the kill.
    std::istringstream fields(line);
    std::string key;
    int64_t id = 0;
    int created = 0;
    if (fields >> key >> id >> created) {
      acks[key] = id;
      ++*lines;
    }
  }
  return acks;
}

// Every task in the journal: key -> id.
std::map<std::string, int64_t> JournalKeys(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open({.path = path});
  EXPECT_TRUE(journal.ok()) << journal.status();
  if (!journal.ok()) return {};
  absl::StatusOr<std::vector<JournalTask>> tasks =
      (*journal)->List({.limit = 10 * kTasks});
  EXPECT_TRUE(tasks.ok()) << tasks.status();
  std::map<std::string, int64_t> keys;
  for (const JournalTask& t : *tasks) {
    EXPECT_TRUE(keys.emplace(t.task.idempotency_key, t.id).second)
        << "key " << t.task.idempotency_key << " twice";
    EXPECT_EQ(t.task.args, t.task.idempotency_key.substr(1));
  }
  return keys;
}

TEST(JournalKillTest, AcknowledgedTasksSurviveKillNineAndRetriesAddNothing) {
  const std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  const std::string path = dir / "journal";
  std::mt19937 random(20261207);
  std::map<std::string, int64_t> acknowledged;  // Over all runs.
  bool saw_lock_refusal = false;
  int killed = 0;  // Runs that SIGKILL, not completion, ended.

  for (int run = 0; run <= kKills; ++run) {
    const std::filesystem::path out = dir / absl::StrCat("run", run, ".out");
    taskqueue_tools::ChildProcess writer(
        {.argv = {writer_binary, path, std::to_string(kTasks), "4"},
         .stdout_path = out,
         .stderr_path = dir / absl::StrCat("run", run, ".err")});
    std::optional<int> status;
    int lines = 0;
    if (run < kKills) {
      // Kill after a random number of acknowledgements of this run (most
      // runs re-acknowledge earlier keys first, as duplicates).
      const int kill_after =
          std::uniform_int_distribution<>(50, kTasks)(random);
      for (int polls = 0; polls < 2000 && !status.has_value(); ++polls) {
        ReadAcks(out, &lines);
        if (lines >= kill_after) break;
        if (!saw_lock_refusal && lines > 0) {
          // While the writer has it open, nobody else may.
          absl::StatusOr<std::unique_ptr<Journal>> second =
              Journal::Open({.path = path});
          EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable)
              << second.status();
          saw_lock_refusal = true;
        }
        status = writer.Wait(std::chrono::milliseconds(10));
      }
      writer.Signal(SIGKILL);
    }
    status = writer.Wait(std::chrono::seconds(60));
    ASSERT_TRUE(status.has_value()) << "writer hangs in run " << run;
    if (*status == 128 + SIGKILL) ++killed;
    if (run == kKills) {
      ASSERT_EQ(*status, 0) << taskqueue_testing::ReadWholeFile(
          dir / absl::StrCat("run", run, ".err"));
    }
    for (const auto& [key, id] : ReadAcks(out, &lines)) {
      auto [it, inserted] = acknowledged.emplace(key, id);
      EXPECT_EQ(it->second, id) << key << " acknowledged as two tasks";
    }
    const std::map<std::string, int64_t> in_journal = JournalKeys(path);
    for (const auto& [key, id] : acknowledged) {
      auto it = in_journal.find(key);
      ASSERT_NE(it, in_journal.end())
          << key << " was acknowledged and is lost (run " << run << ")";
      EXPECT_EQ(it->second, id) << key;
    }
    if (run == kKills) {
      EXPECT_EQ(in_journal.size(), static_cast<size_t>(kTasks));
      EXPECT_EQ(acknowledged.size(), static_cast<size_t>(kTasks));
    }
  }
  EXPECT_TRUE(saw_lock_refusal);
  EXPECT_GE(killed, kKills / 2) << "the writer mostly finished before its kill";
}

}  // namespace
}  // namespace taskqueue::internal

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s JOURNAL_WRITER [gtest flags]\n", argv[0]);
    return 2;
  }
  taskqueue::internal::writer_binary = argv[1];
  return RUN_ALL_TESTS();
}
