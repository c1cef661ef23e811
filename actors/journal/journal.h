// Journal: the durable record of a server's tasks, in one SQLite database in
// write-ahead-log mode. A task is acknowledged to its producer only after the
// AcceptTask that records it is committed; every later transition (sent to a
// worker, completed with its result, failed with its error) is committed
// too, so that a restarted server knows, for every task it ever
// acknowledged, where it was.
//
//   absl::StatusOr<std::unique_ptr<Journal>> journal =
//       Journal::Open({.path = "/var/lib/taskqueue/journal"});
//   if (!journal.ok()) return journal.status();  // Says what is wrong.
//   absl::StatusOr<std::vector<JournalTask>> unfinished =
//       (*journal)->Recover(absl::Now());  // Hand these to the queue again.
//   auto outcomes = (*journal)->Commit({AcceptTask{...}, ...}, absl::Now());
//   // outcomes.ok(): committed; (*outcomes)[i]: operation i's own result.
//
// Group commit is not here: Commit applies what it is given in one
// transaction and one fsync; GroupCommit (group_commit.h) gathers many
// producers' operations into one Commit.
//
// Contract. Not thread-safe: one thread uses a Journal at a time. Every call
// blocks on the disk. The database is locked for as long as the Journal is
// open (SQLite's exclusive locking mode), so a second server on the same
// file is refused at Open instead of corrupting the first one's tasks.
//
// Errors. Open refuses, with one message naming the file and the cause: a
// file that is not an SQLite database or is corrupt (kDataLoss), an SQLite
// database of another program (kFailedPrecondition),
// a journal of a newer schema than this build reads (kFailedPrecondition), a
// journal held by another process (kUnavailable). A Commit that fails as a
// whole (a full disk is kResourceExhausted) is rolled back: none of its
// operations happened, so none may be acknowledged; the journal stays usable
// and a later Commit may succeed. An operation that contradicts the journal
// (an unknown id, a report for an attempt that is not the task's current
// one, a reused idempotency key) fails alone, with its own status (kNotFound,
// kFailedPrecondition, kAlreadyExists), and the rest of its Commit still
// commits.
#ifndef TASKQUEUE_ACTORS_JOURNAL_JOURNAL_H_
#define TASKQUEUE_ACTORS_JOURNAL_JOURNAL_H_

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "actors/journal/journal_options.h"
#include "actors/journal/journal_record.h"
#include "actors/journal/sqlite_statement.h"
#include "taskqueue/task_state.h"

namespace taskqueue::internal {

// Which tasks List returns: those with id > after_id, in id order, at most
// `limit` of them; only in `state` and with `label` when those are set.
struct TaskQuery {
  std::optional<TaskState> state;
  std::optional<std::string> label;
  int64_t after_id = 0;
  int limit = 100;
};

class Journal {
 public:
  // The schema this build writes; Open refuses a journal of a later one and
  // upgrades one of version 1.
  static constexpr int kSchemaVersion = 2;
  // PRAGMA application_id of a taskqueue journal ("TqJ1"), which tells it
  // from other SQLite databases.
  static constexpr int32_t kApplicationId = 0x54714a31;

  static absl::StatusOr<std::unique_ptr<Journal>> Open(
      const JournalOptions& options);
  ~Journal();

  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Applies `ops` in order, in one transaction, and returns once it is
  // committed with the durability of the options. The outer status is the
  // transaction's (not ok: nothing was applied); the inner ones are each
  // operation's (see Errors above).
  absl::StatusOr<std::vector<absl::StatusOr<OpOutcome>>> Commit(
      absl::Span<const JournalOp> ops, absl::Time now);

  // For a server starting on this journal: every task accepted and not
  // ended, in id order (the order it was accepted in). Tasks that were
  // running when the last server stopped had their attempt cut short: it is
  // recorded as "lost" and they are kQueued again, to be run again
  // (at-least-once).
  absl::StatusOr<std::vector<JournalTask>> Recover(absl::Time now);

  // The task with `id` and its attempts, or nullopt if there is none (never
  // accepted, or compacted away).
  absl::StatusOr<std::optional<JournalTask>> Find(int64_t id);
  absl::StatusOr<std::vector<JournalTask>> List(const TaskQuery& query);
  // How many tasks are in each state, indexed by TaskState. Reads counts the
  // journal keeps as it changes: as fast for a million tasks as for one.
  absl::StatusOr<std::array<int64_t, 8>> CountByState();
  // The tasks in an attempt now, in id order, at most `limit`.
  absl::StatusOr<std::vector<RunningAttempt>> Running(int limit);
  // Queued tasks counted by priority: (priority, count), highest first.
  // Reads kept counts, as CountByState.
  absl::StatusOr<std::vector<std::pair<int, int64_t>>> QueuedByPriority();

  // Deletes the tasks that ended before `ended_before`, with their results
  // and attempts, and with them their idempotency keys: a key is remembered
  // for as long as its task is kept. Returns how many were deleted.
  absl::StatusOr<int64_t> Compact(absl::Time ended_before);

  // Pages in the write-ahead log since the last checkpoint. SQLite's own
  // checkpoints are off: one would stall whichever commit crossed its
  // threshold for as long as it takes to copy the log into the file, so the
  // caller (GroupCommit) checkpoints when it is idle instead.
  int64_t log_pages() const { return log_pages_; }
  // Copies the log into the database file, which lets the log start over.
  absl::Status Checkpoint();

  const std::string& path() const { return path_; }

 private:
  struct Statements;
  Journal(std::string path, sqlite3* db);

  absl::Status Exec(const char* sql);
  absl::Status Prepare();
  absl::StatusOr<OpOutcome> Apply(const JournalOp& op, int64_t now);
  absl::StatusOr<OpOutcome> Apply(const AcceptTask& op, int64_t now);
  absl::StatusOr<OpOutcome> Apply(const DispatchTask& op, int64_t now);
  absl::StatusOr<OpOutcome> Apply(const CompleteTask& op, int64_t now);
  absl::StatusOr<OpOutcome> Apply(const FailAttempt& op, int64_t now);
  absl::StatusOr<OpOutcome> Apply(const RetryTask& op, int64_t now);
  absl::StatusOr<OpOutcome> Apply(const EndUnrun& op, int64_t now);
  // The task's state and attempt count, or NotFound.
  absl::StatusOr<std::pair<TaskState, int>> StateOf(int64_t id);
  // Checks that the task is queued: its attempts so far, or why not.
  absl::StatusOr<int> CheckQueued(int64_t id);
  // Checks that the task is running `attempt`; names the task otherwise.
  absl::Status CheckRunning(int64_t id, int attempt);
  absl::StatusOr<std::vector<JournalTask>> ReadTasks(SqliteStatement& select);
  // Whether an operation's failure is the whole transaction's: the disk,
  // the file or SQLite itself failed, rather than the operation's own
  // contradiction (which SQLite reports without touching the transaction).
  static bool FailsTransaction(const absl::Status& status);

  const std::string path_;
  sqlite3* const db_;
  std::unique_ptr<Statements> statements_;
  int64_t log_pages_ = 0;  // Set by SQLite's WAL hook after each commit.
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_JOURNAL_JOURNAL_H_
