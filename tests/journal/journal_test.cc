// The journal on its own: what it records, what it refuses, and the files it
// refuses to open.
#include "actors/journal/journal.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/scratch_files.h"

namespace taskqueue::internal {
namespace {

using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);

NewTask Named(std::string name, std::string args = "args",
              std::string key = "") {
  return NewTask{.name = std::move(name),
                 .args = std::move(args),
                 .label = "batch",
                 .idempotency_key = std::move(key),
                 .max_attempts = 2};
}

// The journal's kept counts (by state and priority) checked against a count
// of its tasks, both ways, in a journal that has some (a closed journal
// only: an open one holds its lock).
void ExpectCountsMatchTasks(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const auto number = [db](const char* sql) {
    char* error = nullptr;
    int n = -1;
    EXPECT_EQ(sqlite3_exec(
                  db, sql,
                  [](void* out, int, char** values, char**) {
                    *static_cast<int*>(out) = std::atoi(values[0]);
                    return 0;
                  },
                  &n, &error),
              SQLITE_OK)
        << error;
    sqlite3_free(error);
    return n;
  };
  EXPECT_GT(number("SELECT count(*) FROM tasks"), 0);
  EXPECT_EQ(number("SELECT count(*) FROM (SELECT state, priority, count(*) n "
                   "FROM tasks GROUP BY state, priority) t LEFT JOIN "
                   "state_counts c USING (state, priority) "
                   "WHERE c.tasks IS NOT t.n"),
            0);
  EXPECT_EQ(number("SELECT count(*) FROM state_counts c WHERE c.tasks != "
                   "(SELECT count(*) FROM tasks t WHERE t.state = c.state "
                   "AND t.priority = c.priority)"),
            0);
  sqlite3_close(db);
}

class JournalTest : public ::testing::Test {
 protected:
  std::unique_ptr<Journal> OpenJournal() {
    absl::StatusOr<std::unique_ptr<Journal>> journal =
        Journal::Open({.path = path_});
    EXPECT_TRUE(journal.ok()) << journal.status();
    return journal.ok() ? *std::move(journal) : nullptr;
  }

  // Commits `op` alone; the transaction must succeed.
  static absl::StatusOr<OpOutcome> CommitOne(Journal& journal, JournalOp op,
                                             absl::Time now = kT0) {
    auto outcomes = journal.Commit({std::move(op)}, now);
    EXPECT_TRUE(outcomes.ok()) << outcomes.status();
    if (!outcomes.ok()) return outcomes.status();
    return (*outcomes)[0];
  }

  static int64_t Accept(Journal& journal, NewTask task) {
    absl::StatusOr<OpOutcome> accepted =
        CommitOne(journal, AcceptTask{std::move(task)});
    EXPECT_TRUE(accepted.ok()) << accepted.status();
    return accepted.ok() ? accepted->id : -1;
  }

  const std::string path_ = (taskqueue_testing::FreshTestDir() / "journal");
};

TEST_F(JournalTest, AcceptedTasksSurviveReopeningInOrder) {
  {
    std::unique_ptr<Journal> journal = OpenJournal();
    ASSERT_NE(journal, nullptr);
    auto outcomes = journal->Commit(
        {AcceptTask{Named("a", "1")}, AcceptTask{Named("b", "2")}}, kT0);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status();
    EXPECT_TRUE((*outcomes)[0]->created);
    EXPECT_LT((*outcomes)[0]->id, (*outcomes)[1]->id);
  }
  std::unique_ptr<Journal> journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  absl::StatusOr<std::vector<JournalTask>> unfinished = journal->Recover(kT0);
  ASSERT_TRUE(unfinished.ok()) << unfinished.status();
  ASSERT_EQ(unfinished->size(), 2u);
  EXPECT_EQ((*unfinished)[0].task, Named("a", "1"));
  EXPECT_EQ((*unfinished)[1].task, Named("b", "2"));
  EXPECT_EQ((*unfinished)[0].accepted, kT0);
}

TEST_F(JournalTest, RecordsEveryAttemptAndTheResult) {
  std::unique_ptr<Journal> journal = OpenJournal();
  const int64_t id = Accept(*journal, Named("plot"));
  absl::StatusOr<OpOutcome> first =
      CommitOne(*journal, DispatchTask{id, "node/alpha"});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->attempt, 1);
  ASSERT_TRUE(CommitOne(*journal,
                        FailAttempt{.id = id,
                                    .attempt = 1,
                                    .error_type = "std::runtime_error",
                                    .error_message = "disk on fire",
                                    .retry = true},
                        kT0 + absl::Seconds(1))
                  .ok());
  absl::StatusOr<OpOutcome> second =
      CommitOne(*journal, DispatchTask{id, "local/0"}, kT0 + absl::Seconds(2));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->attempt, 2);
  ASSERT_TRUE(CommitOne(*journal, CompleteTask{id, 2, std::string("\0r", 2)},
                        kT0 + absl::Seconds(3))
                  .ok());

  absl::StatusOr<std::optional<JournalTask>> task = journal->Find(id);
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_TRUE(task->has_value());
  const JournalTask& t = **task;
  EXPECT_EQ(t.state, TaskState::kCompleted);
  EXPECT_EQ(t.attempts, 2);
  EXPECT_EQ(t.result, std::string("\0r", 2));  // Blobs keep every byte.
  EXPECT_EQ(t.ended, kT0 + absl::Seconds(3));
  ASSERT_EQ(t.history.size(), 2u);
  EXPECT_EQ(t.history[0].worker, "node/alpha");
  EXPECT_EQ(t.history[0].outcome, "failed");
  EXPECT_EQ(t.history[0].error_message, "disk on fire");
  EXPECT_EQ(t.history[0].ended, kT0 + absl::Seconds(1));
  EXPECT_EQ(t.history[1].worker, "local/0");
  EXPECT_EQ(t.history[1].outcome, "completed");
  EXPECT_EQ(t.history[1].started, kT0 + absl::Seconds(2));
}

TEST_F(JournalTest, RefusesReportsOfAnAttemptThatIsNotCurrentAlone) {
  std::unique_ptr<Journal> journal = OpenJournal();
  const int64_t id = Accept(*journal, Named("t"));
  ASSERT_TRUE(CommitOne(*journal, DispatchTask{id, "node/a"}).ok());
  ASSERT_TRUE(
      CommitOne(*journal, FailAttempt{.id = id, .attempt = 1, .retry = true})
          .ok());
  ASSERT_TRUE(CommitOne(*journal, DispatchTask{id, "node/b"}).ok());

  // Node a reports attempt 1 late, in the same group as a new task.
  auto outcomes = journal->Commit(
      {CompleteTask{id, 1, "stale"}, AcceptTask{Named("next")},
       CompleteTask{id + 100, 1, "nobody"}, DispatchTask{id, "node/c"}},
      kT0);
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  EXPECT_EQ((*outcomes)[0].status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT((*outcomes)[0].status().message(),
              HasSubstr("attempt 1 is not running"));
  EXPECT_TRUE((*outcomes)[1].ok());
  EXPECT_EQ((*outcomes)[2].status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT((*outcomes)[3].status().message(), HasSubstr("not queued"));

  absl::StatusOr<std::optional<JournalTask>> task = journal->Find(id);
  ASSERT_TRUE(task.ok() && task->has_value());
  EXPECT_EQ((*task)->state, TaskState::kRunning);
  EXPECT_EQ((*task)->attempts, 2);
  EXPECT_EQ((*task)->result, "");
  absl::StatusOr<std::optional<JournalTask>> next = journal->Find(id + 1);
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->task.name, "next");
}

TEST_F(JournalTest, AnIdempotencyKeyNamesOneTaskUntilCompacted) {
  std::unique_ptr<Journal> journal = OpenJournal();
  const int64_t id = Accept(*journal, Named("charge", "42", "order-7"));
  absl::StatusOr<OpOutcome> again =
      CommitOne(*journal, AcceptTask{Named("charge", "42", "order-7")});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id, id);
  EXPECT_FALSE(again->created);

  absl::StatusOr<OpOutcome> other =
      CommitOne(*journal, AcceptTask{Named("charge", "43", "order-7")});
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(other.status().message(),
              HasSubstr("idempotency key \"order-7\" is task"));

  // Tasks without keys are never taken for one another.
  EXPECT_NE(Accept(*journal, Named("charge", "42")),
            Accept(*journal, Named("charge", "42")));

  ASSERT_TRUE(CommitOne(*journal, DispatchTask{id, "local/0"}).ok());
  ASSERT_TRUE(CommitOne(*journal, CompleteTask{id, 1, ""}, kT0).ok());
  absl::StatusOr<int64_t> compacted = journal->Compact(kT0 + absl::Seconds(1));
  ASSERT_TRUE(compacted.ok()) << compacted.status();
  EXPECT_EQ(*compacted, 1);  // Only the ended one.
  absl::StatusOr<OpOutcome> later =
      CommitOne(*journal, AcceptTask{Named("charge", "42", "order-7")});
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->created);
  EXPECT_GT(later->id, id + 2);  // Ids are never reused.
  journal.reset();
  ExpectCountsMatchTasks(path_);
}

TEST_F(JournalTest, FailedTasksAreDeadLetteredAndRetryable) {
  std::unique_ptr<Journal> journal = OpenJournal();
  const int64_t id = Accept(*journal, Named("flaky"));
  const int64_t other = Accept(*journal, Named("fine"));
  ASSERT_TRUE(CommitOne(*journal, DispatchTask{id, "local/0"}).ok());
  ASSERT_TRUE(CommitOne(*journal, FailAttempt{.id = id,
                                              .attempt = 1,
                                              .error_type = "E",
                                              .error_message = "no",
                                              .retry = false})
                  .ok());
  absl::StatusOr<std::vector<JournalTask>> dead =
      journal->List({.state = TaskState::kFailed});
  ASSERT_TRUE(dead.ok()) << dead.status();
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].id, id);
  EXPECT_EQ((*dead)[0].error_message, "no");

  absl::StatusOr<OpOutcome> not_failed = CommitOne(*journal, RetryTask{other});
  EXPECT_THAT(not_failed.status().message(),
              HasSubstr("only failed tasks can be retried"));
  ASSERT_TRUE(CommitOne(*journal, RetryTask{id}).ok());
  absl::StatusOr<std::optional<JournalTask>> task = journal->Find(id);
  ASSERT_TRUE(task.ok() && task->has_value());
  EXPECT_EQ((*task)->state, TaskState::kQueued);
  EXPECT_EQ((*task)->attempt_budget, 1 + 2);  // One used, max_attempts more.
  EXPECT_EQ((*task)->ended, absl::InfinitePast());
  journal.reset();
  ExpectCountsMatchTasks(path_);
}

TEST_F(JournalTest, RecoverRequeuesWhatWasRunningAndSaysTheAttemptWasLost) {
  int64_t running = 0;
  int64_t done = 0;
  {
    std::unique_ptr<Journal> journal = OpenJournal();
    running = Accept(*journal, Named("long"));
    done = Accept(*journal, Named("short"));
    ASSERT_TRUE(CommitOne(*journal, DispatchTask{running, "node/a"}).ok());
    ASSERT_TRUE(CommitOne(*journal, DispatchTask{done, "node/a"}).ok());
    ASSERT_TRUE(CommitOne(*journal, CompleteTask{done, 1, "ok"}).ok());
  }
  std::unique_ptr<Journal> journal = OpenJournal();
  absl::StatusOr<std::vector<JournalTask>> unfinished =
      journal->Recover(kT0 + absl::Minutes(1));
  ASSERT_TRUE(unfinished.ok()) << unfinished.status();
  ASSERT_EQ(unfinished->size(), 1u);
  EXPECT_EQ((*unfinished)[0].id, running);
  EXPECT_EQ((*unfinished)[0].state, TaskState::kQueued);
  EXPECT_EQ((*unfinished)[0].attempts, 1);

  absl::StatusOr<std::optional<JournalTask>> task = journal->Find(running);
  ASSERT_TRUE(task.ok() && task->has_value());
  ASSERT_EQ((*task)->history.size(), 1u);
  EXPECT_EQ((*task)->history[0].outcome, "lost");
  EXPECT_EQ((*task)->history[0].ended, kT0 + absl::Minutes(1));
  // The next attempt is number 2.
  absl::StatusOr<OpOutcome> next =
      CommitOne(*journal, DispatchTask{running, "node/b"});
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->attempt, 2);

  absl::StatusOr<std::array<int64_t, 8>> counts = journal->CountByState();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ((*counts)[static_cast<int>(TaskState::kRunning)], 1);
  EXPECT_EQ((*counts)[static_cast<int>(TaskState::kCompleted)], 1);
}

TEST_F(JournalTest, ListPagesByIdStateAndLabel) {
  std::unique_ptr<Journal> journal = OpenJournal();
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    NewTask task = Named("t", std::to_string(i));
    task.label = i % 2 == 0 ? "even" : "odd";
    ids.push_back(Accept(*journal, task));
  }
  absl::StatusOr<std::vector<JournalTask>> page =
      journal->List({.label = "even", .after_id = ids[0], .limit = 1});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, ids[2]);
  absl::StatusOr<std::vector<JournalTask>> all =
      journal->List({.state = TaskState::kQueued});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 5u);
}

TEST_F(JournalTest, SaysWhoRunsWhatAndHowManyWaitAtEachPriority) {
  std::unique_ptr<Journal> journal = OpenJournal();
  std::vector<int64_t> ids;
  for (int priority : {0, 5, 5, -1, 0}) {
    NewTask task = Named("t");
    task.priority = priority;
    ids.push_back(Accept(*journal, task));
  }
  // ids[1] runs its second attempt on node/beta; ids[3] its first locally.
  ASSERT_TRUE(CommitOne(*journal, DispatchTask{ids[1], "node/alpha"}).ok());
  ASSERT_TRUE(CommitOne(*journal, FailAttempt{.id = ids[1],
                                              .attempt = 1,
                                              .error_type = "E",
                                              .error_message = "m",
                                              .retry = true})
                  .ok());
  ASSERT_TRUE(CommitOne(*journal, DispatchTask{ids[1], "node/beta"},
                        kT0 + absl::Seconds(1))
                  .ok());
  ASSERT_TRUE(CommitOne(*journal, DispatchTask{ids[3], "local/1"}).ok());

  absl::StatusOr<std::vector<RunningAttempt>> running = journal->Running(10);
  ASSERT_TRUE(running.ok()) << running.status();
  ASSERT_EQ(running->size(), 2u);
  EXPECT_EQ((*running)[0].id, ids[1]);
  EXPECT_EQ((*running)[0].number, 2);
  EXPECT_EQ((*running)[0].worker, "node/beta");
  EXPECT_EQ((*running)[0].started, kT0 + absl::Seconds(1));
  EXPECT_EQ((*running)[1].worker, "local/1");
  absl::StatusOr<std::vector<RunningAttempt>> first = journal->Running(1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 1u);

  absl::StatusOr<std::vector<std::pair<int, int64_t>>> queued =
      journal->QueuedByPriority();
  ASSERT_TRUE(queued.ok()) << queued.status();
  // Running tasks are not queued: ids[1] (5) and ids[3] (-1) are out.
  EXPECT_EQ(*queued, (std::vector<std::pair<int, int64_t>>{{5, 1}, {0, 2}}));
  journal.reset();
  ExpectCountsMatchTasks(path_);
}

// --- Files it refuses ---

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// Runs `sql` on `path` with SQLite directly, as another program would.
void RunSql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK)
      << error;
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST_F(JournalTest, RefusesAFileThatIsNotADatabase) {
  WriteFile(path_, std::string(8192, 'x'));
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open({.path = path_});
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(journal.status().message(), HasSubstr(path_));
  EXPECT_THAT(journal.status().message(), HasSubstr("not a database"));
  EXPECT_EQ(taskqueue_testing::ReadWholeFile(path_), std::string(8192, 'x'))
      << "the file must be left as it was";
}

TEST_F(JournalTest, RefusesAnotherProgramsDatabase) {
  RunSql(path_,
         "CREATE TABLE invoices (id INTEGER); INSERT INTO invoices "
         "VALUES (1);");
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open({.path = path_});
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(journal.status().message(), HasSubstr("another program"));
}

TEST_F(JournalTest, RefusesAJournalOfANewerSchema) {
  OpenJournal().reset();
  RunSql(path_, "PRAGMA user_version = 3;");
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open({.path = path_});
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(journal.status().message(),
              HasSubstr("schema version 3, newer than this server reads (2)"));
}

// Version 1 counted tasks by state with a scan; Open adds the counts.
TEST_F(JournalTest, UpgradesAVersion1JournalAndCountsItsTasks) {
  {
    std::unique_ptr<Journal> journal = OpenJournal();
    const int64_t a = Accept(*journal, Named("a"));
    Accept(*journal, Named("b"));
    ASSERT_TRUE(CommitOne(*journal, DispatchTask{a, "local/0"}).ok());
  }
  RunSql(path_,
         "DROP TRIGGER tasks_counted_in; DROP TRIGGER tasks_counted_moved; "
         "DROP TRIGGER tasks_counted_out; DROP TABLE state_counts; "
         "PRAGMA user_version = 1;");
  std::unique_ptr<Journal> journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  absl::StatusOr<std::array<int64_t, 8>> counts = journal->CountByState();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ((*counts)[static_cast<int>(TaskState::kQueued)], 1);
  EXPECT_EQ((*counts)[static_cast<int>(TaskState::kRunning)], 1);
  Accept(*journal, Named("c"));
  counts = journal->CountByState();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[static_cast<int>(TaskState::kQueued)], 2);
  journal.reset();
  ExpectCountsMatchTasks(path_);
}

TEST_F(JournalTest, RefusesAJournalInUse) {
  std::unique_ptr<Journal> first = OpenJournal();
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<Journal>> second =
      Journal::Open({.path = path_});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("in use by another"));
  // The first is unharmed.
  EXPECT_GT(Accept(*first, Named("still")), 0);
}

TEST_F(JournalTest, RefusesACorruptJournal) {
  {
    std::unique_ptr<Journal> journal = OpenJournal();
    std::vector<JournalOp> ops;
    for (int i = 0; i < 2000; ++i) {
      ops.push_back(AcceptTask{Named("t", std::string(100, 'a' + i % 26))});
    }
    ASSERT_TRUE(journal->Commit(ops, kT0).ok());
  }  // Closing checkpoints the log into the file.
  const std::string content = taskqueue_testing::ReadWholeFile(path_);
  ASSERT_GT(content.size(), 40'000u);
  std::string corrupt = content;
  // Pages 3 to 5 (of 4 KiB): b-tree pages of the tasks table.
  for (size_t i = 2 * 4096; i < 5 * 4096; ++i) {
    corrupt[i] = static_cast<char>(i * 7919);
  }
  WriteFile(path_, corrupt);
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open({.path = path_});
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kDataLoss)
      << journal.status();
  EXPECT_THAT(journal.status().message(), HasSubstr("corrupt"));
}

// A disk that fills up: a child process whose files may not grow past 1 MiB
// (RLIMIT_FSIZE) commits tasks until the journal refuses one. What it
// acknowledged before is all there afterwards, and nothing else.
TEST_F(JournalTest, AFullDiskRefusesCommitsAndLosesNothingAcknowledged) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    std::signal(SIGXFSZ, SIG_IGN);  // Else the first long write kills it.
    const rlimit limit{1 << 20, 1 << 20};
    setrlimit(RLIMIT_FSIZE, &limit);
    FILE* out = fdopen(pipe_fds[1], "w");
    absl::StatusOr<std::unique_ptr<Journal>> journal =
        Journal::Open({.path = path_});
    if (!journal.ok()) {
      std::fprintf(out, "open failed: %s\n",
                   std::string(journal.status().message()).c_str());
      _exit(1);
    }
    for (int i = 0; i < 1000; ++i) {
      auto outcomes = (*journal)->Commit(
          {AcceptTask{Named("t", std::string(8192, 'x'))}}, kT0);
      if (!outcomes.ok()) {
        std::fprintf(out, "error %d %s\n",
                     static_cast<int>(outcomes.status().code()),
                     std::string(outcomes.status().message()).c_str());
        std::fflush(out);
        _exit(0);
      }
      std::fprintf(out, "acked %lld\n",
                   static_cast<long long>((*outcomes)[0]->id));
      std::fflush(out);
    }
    _exit(3);  // Never filled up.
  }
  close(pipe_fds[1]);
  FILE* in = fdopen(pipe_fds[0], "r");
  std::vector<int64_t> acked;
  std::string error;
  char line[4096];
  while (std::fgets(line, sizeof line, in) != nullptr) {
    long long id = 0;
    if (std::sscanf(line, "acked %lld", &id) == 1) {
      acked.push_back(id);
    } else {
      error = line;
    }
  }
  std::fclose(in);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "status " << status << ": " << error;
  EXPECT_THAT(error, HasSubstr(std::to_string(static_cast<int>(
                         absl::StatusCode::kResourceExhausted))));
  EXPECT_THAT(error, HasSubstr("File too large"));
  ASSERT_GT(acked.size(), 10u);

  std::unique_ptr<Journal> journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  absl::StatusOr<std::vector<JournalTask>> tasks =
      journal->List({.limit = 100'000});
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  std::vector<int64_t> ids;
  for (const JournalTask& t : *tasks) ids.push_back(t.id);
  EXPECT_EQ(ids, acked);
  // The failed commits' counts were rolled back with their tasks.
  journal.reset();
  ExpectCountsMatchTasks(path_);
}

}  // namespace
}  // namespace taskqueue::internal
