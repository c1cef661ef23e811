#include "actors/journal/journal.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace taskqueue::internal {
namespace {

// Schema version 2 (version 1 lacked kCountsSchema). Times are Unix
// microseconds. An attempt row is written
// when the attempt starts and closed when it ends, so a task's history is
// complete even for attempts cut short by a crash ("lost", on Recover).
constexpr const char* kCreateSchema = R"sql(
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, even after Compact
  name TEXT NOT NULL,
  args BLOB NOT NULL,
  label TEXT NOT NULL,
  idempotency_key TEXT UNIQUE,           -- NULL: none
  priority INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  attempt_budget INTEGER NOT NULL,
  state INTEGER NOT NULL,                -- taskqueue::TaskState
  attempts INTEGER NOT NULL,
  result BLOB,
  error_type TEXT,
  error_message TEXT,
  accepted_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX tasks_by_state ON tasks (state, id);
CREATE INDEX tasks_by_label ON tasks (label, id) WHERE label != '';
CREATE INDEX tasks_by_end ON tasks (ended_at) WHERE ended_at IS NOT NULL;
CREATE TABLE attempts (
  task_id INTEGER NOT NULL,
  number INTEGER NOT NULL,
  worker TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  outcome TEXT,
  error_type TEXT,
  error_message TEXT,
  PRIMARY KEY (task_id, number)
) WITHOUT ROWID;
)sql";

// Tasks by state and priority, kept by triggers in the transaction that
// changes them, so that counting a journal of millions (by state, or its
// queue by priority) reads a few rows instead of an index: a dashboard asks
// every second, on the commit thread. Filled from `tasks`, so it also
// upgrades a version-1 journal. A task's priority never changes.
constexpr const char* kCountsSchema = R"sql(
CREATE TABLE state_counts (
  state INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  tasks INTEGER NOT NULL,
  PRIMARY KEY (state, priority)
) WITHOUT ROWID;
INSERT INTO state_counts (state, priority, tasks)
  SELECT state, priority, count(*) FROM tasks GROUP BY state, priority;
CREATE TRIGGER tasks_counted_in AFTER INSERT ON tasks BEGIN
  INSERT OR IGNORE INTO state_counts VALUES (NEW.state, NEW.priority, 0);
  UPDATE state_counts SET tasks = tasks + 1
    WHERE state = NEW.state AND priority = NEW.priority;
END;
CREATE TRIGGER tasks_counted_moved AFTER UPDATE OF state ON tasks
  WHEN OLD.state != NEW.state BEGIN
  UPDATE state_counts SET tasks = tasks - 1
    WHERE state = OLD.state AND priority = OLD.priority;
  INSERT OR IGNORE INTO state_counts VALUES (NEW.state, NEW.priority, 0);
  UPDATE state_counts SET tasks = tasks + 1
    WHERE state = NEW.state AND priority = NEW.priority;
END;
CREATE TRIGGER tasks_counted_out AFTER DELETE ON tasks BEGIN
  UPDATE state_counts SET tasks = tasks - 1
    WHERE state = OLD.state AND priority = OLD.priority;
END;
)sql";

constexpr const char* kTaskColumns =
    "id, name, args, label, idempotency_key, priority, max_attempts, "
    "attempt_budget, state, attempts, result, error_type, error_message, "
    "accepted_at, ended_at";

std::string StateName(TaskState state) {
  return std::string(TaskStateName(state));
}

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

absl::Time TimeOrPast(const SqliteStatement& row, int column) {
  return row.IsNull(column) ? absl::InfinitePast()
                            : absl::FromUnixMicros(row.Int(column));
}

absl::Status Refused(absl::StatusCode code, int64_t id, absl::string_view why) {
  return absl::Status(code, absl::StrCat("task ", id, ": ", why));
}

}  // namespace

struct Journal::Statements {
  SqliteStatement find_key;
  SqliteStatement insert_task;
  SqliteStatement state_of;
  SqliteStatement start_attempt;
  SqliteStatement insert_attempt;
  SqliteStatement complete_task;
  SqliteStatement fail_task;
  SqliteStatement end_attempt;
  SqliteStatement retry_task;
  SqliteStatement end_unrun;
};

Journal::Journal(std::string path, sqlite3* db)
    : path_(std::move(path)), db_(db) {}

Journal::~Journal() {
  statements_.reset();  // Statements first: close refuses while they live.
  sqlite3_close(db_);
}

absl::StatusOr<std::unique_ptr<Journal>> Journal::Open(
    const JournalOptions& options) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      options.path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  // Even a failed open returns a handle to close.
  std::unique_ptr<Journal> journal(new Journal(options.path, db));
  if (rc != SQLITE_OK) {
    return SqliteStatus(db, rc, absl::StrCat("journal ", options.path));
  }
  sqlite3_extended_result_codes(db, 1);
  const auto in_file = [&](absl::Status status) {
    return absl::Status(status.code(), absl::StrCat("journal ", options.path,
                                                    ": ", status.message()));
  };

  // Exclusive locking mode holds every lock until close. The lock comes
  // first, so that two servers starting at once cannot both read an empty
  // file and both create a journal in it.
  if (absl::Status s = journal->Exec("PRAGMA locking_mode = EXCLUSIVE;");
      !s.ok()) {
    return in_file(s);
  }
  if (absl::Status s = journal->Exec("BEGIN EXCLUSIVE;"); !s.ok()) {
    if (absl::IsUnavailable(s)) {
      return absl::UnavailableError(absl::StrCat(
          "journal ", options.path,
          " is in use by another process (is another server running on "
          "it?)"));
    }
    return in_file(s);
  }
  absl::StatusOr<SqliteStatement> header = SqliteStatement::Prepare(
      db,
      "SELECT (SELECT application_id FROM pragma_application_id), "
      "(SELECT user_version FROM pragma_user_version), "
      "(SELECT count(*) FROM sqlite_schema)");
  if (!header.ok()) return in_file(header.status());
  absl::StatusOr<bool> row = header->Step();
  if (!row.ok()) return in_file(row.status());
  const int64_t application_id = header->Int(0);
  const int64_t version = header->Int(1);
  const int64_t objects = header->Int(2);
  header->Reset();
  const std::string stamp =
      absl::StrFormat("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                      kApplicationId, kSchemaVersion);
  if (application_id == 0 && objects == 0) {
    for (const char* sql : {kCreateSchema, kCountsSchema, stamp.c_str()}) {
      if (absl::Status s = journal->Exec(sql); !s.ok()) return in_file(s);
    }
  } else if (application_id == kApplicationId && version == 1) {
    for (const char* sql : {kCountsSchema, stamp.c_str()}) {
      if (absl::Status s = journal->Exec(sql); !s.ok()) return in_file(s);
    }
  } else if (application_id != kApplicationId) {
    return absl::FailedPreconditionError(absl::StrCat(
        "journal ", options.path,
        " is an SQLite database of another program, not a taskqueue "
        "journal (application_id ",
        application_id, "); give the server a path of its own"));
  } else if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("journal ", options.path, " has schema version ", version,
                     ", newer than this server reads (", kSchemaVersion,
                     "): run a newer taskqueue server on it"));
  } else if (version < kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("journal ", options.path, " has schema version ", version,
                     ", which no taskqueue release wrote"));
  }
  if (absl::Status s = journal->Exec("COMMIT;"); !s.ok()) return in_file(s);

  if (options.check_on_open) {
    absl::StatusOr<SqliteStatement> check =
        SqliteStatement::Prepare(db, "PRAGMA quick_check(1);");
    if (!check.ok()) return in_file(check.status());
    absl::StatusOr<bool> result = check->Step();
    if (!result.ok()) return in_file(result.status());
    if (std::string verdict = check->Text(0); verdict != "ok") {
      return absl::DataLossError(absl::StrCat(
          "journal ", options.path, " is corrupt: ", verdict,
          "; restore it from a backup or move it away to start empty"));
    }
  }
  // journal_mode cannot change inside a transaction, hence after COMMIT.
  if (absl::Status s = journal->Exec(
          options.durability == Durability::kFull
              ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
              : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
      !s.ok()) {
    return in_file(s);
  }
  // Replaces the hook wal_autocheckpoint installs, which turns it off.
  sqlite3_wal_hook(
      db,
      +[](void* self, sqlite3*, const char*, int pages) {
        static_cast<Journal*>(self)->log_pages_ = pages;
        return SQLITE_OK;
      },
      journal.get());
  if (absl::Status s = journal->Prepare(); !s.ok()) return in_file(s);
  return journal;
}

absl::Status Journal::Checkpoint() {
  int log = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(
      db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
  if (rc != SQLITE_OK) {
    return SqliteStatus(db_, rc, absl::StrCat("checkpointing ", path_));
  }
  log_pages_ = 0;
  return absl::OkStatus();
}

absl::Status Journal::Exec(const char* sql) {
  // SqliteStatus reads the error's text off db_, not from here.
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK) {
    return absl::OkStatus();
  }
  return SqliteStatus(db_, sqlite3_extended_errcode(db_),
                      absl::StrCat("running \"", sql, "\""));
}

absl::Status Journal::Prepare() {
  // In the order of Statements' members.
  const char* const sql[] = {
      "SELECT id, name, args FROM tasks WHERE idempotency_key = ?1",
      "INSERT INTO tasks (name, args, label, idempotency_key, priority, "
      "max_attempts, attempt_budget, state, attempts, accepted_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 0, 0, ?7)",
      "SELECT state, attempts FROM tasks WHERE id = ?1",
      "UPDATE tasks SET state = 1, attempts = attempts + 1 WHERE id = ?1",
      "INSERT INTO attempts (task_id, number, worker, started_at) "
      "VALUES (?1, ?2, ?3, ?4)",
      "UPDATE tasks SET state = 2, result = ?2, error_type = NULL, "
      "error_message = NULL, ended_at = ?3 WHERE id = ?1",
      "UPDATE tasks SET state = ?2, error_type = ?3, error_message = ?4, "
      "ended_at = ?5 WHERE id = ?1",
      "UPDATE attempts SET ended_at = ?3, outcome = ?4, error_type = ?5, "
      "error_message = ?6 WHERE task_id = ?1 AND number = ?2",
      "UPDATE tasks SET state = 0, attempt_budget = attempts + "
      "max_attempts, ended_at = NULL WHERE id = ?1",
      "UPDATE tasks SET state = ?2, ended_at = ?3 WHERE id = ?1",
  };
  // SqliteStatement has no empty state, so Statements is built at once.
  std::vector<SqliteStatement> prepared;
  for (const char* text : sql) {
    absl::StatusOr<SqliteStatement> statement =
        SqliteStatement::Prepare(db_, text);
    if (!statement.ok()) return statement.status();
    prepared.push_back(*std::move(statement));
  }
  statements_.reset(new Statements{
      std::move(prepared[0]), std::move(prepared[1]), std::move(prepared[2]),
      std::move(prepared[3]), std::move(prepared[4]), std::move(prepared[5]),
      std::move(prepared[6]), std::move(prepared[7]), std::move(prepared[8]),
      std::move(prepared[9])});
  return absl::OkStatus();
}

bool Journal::FailsTransaction(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
      return false;
    default:
      return true;
  }
}

absl::StatusOr<std::vector<absl::StatusOr<OpOutcome>>> Journal::Commit(
    absl::Span<const JournalOp> ops, absl::Time now) {
  if (absl::Status s = Exec("BEGIN;"); !s.ok()) return s;
  std::vector<absl::StatusOr<OpOutcome>> outcomes;
  outcomes.reserve(ops.size());
  for (const JournalOp& op : ops) {
    outcomes.push_back(Apply(op, Micros(now)));
    if (FailsTransaction(outcomes.back().status())) {
      absl::Status failed = outcomes.back().status();
      Exec("ROLLBACK;").IgnoreError();  // Fails only if SQLite already did.
      return failed;
    }
  }
  if (absl::Status s = Exec("COMMIT;"); !s.ok()) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  }
  return outcomes;
}

absl::StatusOr<OpOutcome> Journal::Apply(const JournalOp& op, int64_t now) {
  return std::visit([&](const auto& each) { return Apply(each, now); }, op);
}

absl::StatusOr<OpOutcome> Journal::Apply(const AcceptTask& op, int64_t now) {
  const NewTask& task = op.task;
  if (!task.idempotency_key.empty()) {
    SqliteStatement& find = statements_->find_key;
    find.BindText(1, task.idempotency_key);
    absl::StatusOr<bool> found = find.Step();
    if (!found.ok()) return found.status();
    if (*found) {
      const int64_t id = find.Int(0);
      const bool same = find.Text(1) == task.name && find.Blob(2) == task.args;
      find.Reset();
      if (!same) {
        return absl::AlreadyExistsError(absl::StrCat(
            "idempotency key \"", task.idempotency_key, "\" is task ", id,
            ", added with another name or other arguments"));
      }
      return OpOutcome{.id = id, .created = false};
    }
    find.Reset();
  }
  SqliteStatement& insert = statements_->insert_task;
  insert.BindText(1, task.name);
  insert.BindBlob(2, task.args);
  insert.BindText(3, task.label);
  if (task.idempotency_key.empty()) {
    insert.BindNull(4);
  } else {
    insert.BindText(4, task.idempotency_key);
  }
  insert.BindInt(5, task.priority);
  insert.BindInt(6, task.max_attempts);
  insert.BindInt(7, now);
  if (absl::Status s = insert.Run(); !s.ok()) return s;
  return OpOutcome{.id = sqlite3_last_insert_rowid(db_), .created = true};
}

absl::StatusOr<std::pair<TaskState, int>> Journal::StateOf(int64_t id) {
  SqliteStatement& select = statements_->state_of;
  select.BindInt(1, id);
  absl::StatusOr<bool> found = select.Step();
  if (!found.ok()) return found.status();
  if (!*found) {
    return Refused(absl::StatusCode::kNotFound, id, "no such task");
  }
  std::pair<TaskState, int> state{static_cast<TaskState>(select.Int(0)),
                                  static_cast<int>(select.Int(1))};
  select.Reset();
  return state;
}

absl::Status Journal::CheckRunning(int64_t id, int attempt) {
  absl::StatusOr<std::pair<TaskState, int>> state = StateOf(id);
  if (!state.ok()) return state.status();
  if (state->first != TaskState::kRunning || state->second != attempt) {
    return Refused(
        absl::StatusCode::kFailedPrecondition, id,
        absl::StrFormat("attempt %d is not running (the task is "
                        "%s, with %d attempts)",
                        attempt, StateName(state->first), state->second));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Journal::CheckQueued(int64_t id) {
  absl::StatusOr<std::pair<TaskState, int>> state = StateOf(id);
  if (!state.ok()) return state.status();
  if (state->first != TaskState::kQueued) {
    return Refused(
        absl::StatusCode::kFailedPrecondition, id,
        absl::StrCat("is ", StateName(state->first), ", not queued"));
  }
  return state->second;
}

absl::StatusOr<OpOutcome> Journal::Apply(const DispatchTask& op, int64_t now) {
  absl::StatusOr<int> attempts = CheckQueued(op.id);
  if (!attempts.ok()) return attempts.status();
  const int attempt = *attempts + 1;
  SqliteStatement& start = statements_->start_attempt;
  start.BindInt(1, op.id);
  if (absl::Status s = start.Run(); !s.ok()) return s;
  SqliteStatement& insert = statements_->insert_attempt;
  insert.BindInt(1, op.id);
  insert.BindInt(2, attempt);
  insert.BindText(3, op.worker);
  insert.BindInt(4, now);
  if (absl::Status s = insert.Run(); !s.ok()) return s;
  return OpOutcome{.id = op.id, .attempt = attempt};
}

absl::StatusOr<OpOutcome> Journal::Apply(const CompleteTask& op, int64_t now) {
  if (absl::Status s = CheckRunning(op.id, op.attempt); !s.ok()) return s;
  SqliteStatement& complete = statements_->complete_task;
  complete.BindInt(1, op.id);
  complete.BindBlob(2, op.result);
  complete.BindInt(3, now);
  if (absl::Status s = complete.Run(); !s.ok()) return s;
  SqliteStatement& end = statements_->end_attempt;
  end.BindInt(1, op.id);
  end.BindInt(2, op.attempt);
  end.BindInt(3, now);
  end.BindText(4, "completed");
  end.BindNull(5);
  end.BindNull(6);
  if (absl::Status s = end.Run(); !s.ok()) return s;
  return OpOutcome{.id = op.id, .attempt = op.attempt};
}

absl::StatusOr<OpOutcome> Journal::Apply(const FailAttempt& op, int64_t now) {
  if (absl::Status s = CheckRunning(op.id, op.attempt); !s.ok()) return s;
  SqliteStatement& fail = statements_->fail_task;
  fail.BindInt(1, op.id);
  fail.BindInt(
      2, static_cast<int>(op.retry ? TaskState::kQueued : TaskState::kFailed));
  fail.BindText(3, op.error_type);
  fail.BindText(4, op.error_message);
  if (op.retry) {
    fail.BindNull(5);
  } else {
    fail.BindInt(5, now);
  }
  if (absl::Status s = fail.Run(); !s.ok()) return s;
  SqliteStatement& end = statements_->end_attempt;
  end.BindInt(1, op.id);
  end.BindInt(2, op.attempt);
  end.BindInt(3, now);
  end.BindText(4, "failed");
  end.BindText(5, op.error_type);
  end.BindText(6, op.error_message);
  if (absl::Status s = end.Run(); !s.ok()) return s;
  return OpOutcome{.id = op.id, .attempt = op.attempt};
}

absl::StatusOr<OpOutcome> Journal::Apply(const RetryTask& op, int64_t) {
  absl::StatusOr<std::pair<TaskState, int>> state = StateOf(op.id);
  if (!state.ok()) return state.status();
  if (state->first != TaskState::kFailed) {
    return Refused(absl::StatusCode::kFailedPrecondition, op.id,
                   absl::StrCat("is ", StateName(state->first),
                                "; only failed tasks can be retried"));
  }
  SqliteStatement& retry = statements_->retry_task;
  retry.BindInt(1, op.id);
  if (absl::Status s = retry.Run(); !s.ok()) return s;
  return OpOutcome{.id = op.id};
}

absl::StatusOr<OpOutcome> Journal::Apply(const EndUnrun& op, int64_t now) {
  if (absl::Status queued = CheckQueued(op.id).status(); !queued.ok()) {
    return queued;
  }
  SqliteStatement& end = statements_->end_unrun;
  end.BindInt(1, op.id);
  end.BindInt(2, static_cast<int>(op.state));
  end.BindInt(3, now);
  if (absl::Status s = end.Run(); !s.ok()) return s;
  return OpOutcome{.id = op.id};
}

absl::StatusOr<std::vector<JournalTask>> Journal::Recover(absl::Time now) {
  if (absl::Status s = Exec("BEGIN;"); !s.ok()) return s;
  const std::string lost = absl::StrFormat(
      "UPDATE attempts SET ended_at = %d, outcome = 'lost', error_type = "
      "'taskqueue::ServerRestartError', error_message = 'the server stopped "
      "while the attempt ran' WHERE ended_at IS NULL; "
      "UPDATE tasks SET state = 0 WHERE state = 1;",
      Micros(now));
  if (absl::Status s = Exec(lost.c_str()); !s.ok()) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  }
  if (absl::Status s = Exec("COMMIT;"); !s.ok()) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  }
  return List(TaskQuery{.state = TaskState::kQueued,
                        .limit = std::numeric_limits<int>::max()});
}

absl::StatusOr<std::vector<JournalTask>> Journal::ReadTasks(
    SqliteStatement& select) {
  std::vector<JournalTask> tasks;
  for (;;) {
    absl::StatusOr<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    JournalTask& t = tasks.emplace_back();
    t.id = select.Int(0);
    t.task.name = select.Text(1);
    t.task.args = select.Blob(2);
    t.task.label = select.Text(3);
    t.task.idempotency_key = select.Text(4);
    t.task.priority = static_cast<int>(select.Int(5));
    t.task.max_attempts = static_cast<int>(select.Int(6));
    t.attempt_budget = static_cast<int>(select.Int(7));
    t.state = static_cast<TaskState>(select.Int(8));
    t.attempts = static_cast<int>(select.Int(9));
    t.result = select.Blob(10);
    t.error_type = select.Text(11);
    t.error_message = select.Text(12);
    t.accepted = absl::FromUnixMicros(select.Int(13));
    t.ended = TimeOrPast(select, 14);
  }
  select.Reset();
  return tasks;
}

absl::StatusOr<std::optional<JournalTask>> Journal::Find(int64_t id) {
  absl::StatusOr<SqliteStatement> select = SqliteStatement::Prepare(
      db_, absl::StrCat("SELECT ", kTaskColumns, " FROM tasks WHERE id = ?1"));
  if (!select.ok()) return select.status();
  select->BindInt(1, id);
  absl::StatusOr<std::vector<JournalTask>> tasks = ReadTasks(*select);
  if (!tasks.ok()) return tasks.status();
  if (tasks->empty()) return std::nullopt;
  JournalTask task = std::move(tasks->front());

  absl::StatusOr<SqliteStatement> history = SqliteStatement::Prepare(
      db_,
      "SELECT number, worker, started_at, ended_at, outcome, error_type, "
      "error_message FROM attempts WHERE task_id = ?1 ORDER BY number");
  if (!history.ok()) return history.status();
  history->BindInt(1, id);
  for (;;) {
    absl::StatusOr<bool> row = history->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    task.history.push_back(JournalAttempt{
        .number = static_cast<int>(history->Int(0)),
        .worker = history->Text(1),
        .started = absl::FromUnixMicros(history->Int(2)),
        .ended = TimeOrPast(*history, 3),
        .outcome = history->Text(4),
        .error_type = history->Text(5),
        .error_message = history->Text(6),
    });
  }
  return task;
}

absl::StatusOr<std::vector<JournalTask>> Journal::List(const TaskQuery& query) {
  std::string sql =
      absl::StrCat("SELECT ", kTaskColumns, " FROM tasks WHERE id > ?1");
  if (query.state.has_value()) absl::StrAppend(&sql, " AND state = ?2");
  if (query.label.has_value()) {
    absl::StrAppend(&sql, " AND label = ?3");
    // Lets SQLite use tasks_by_label, a partial index of labelled tasks,
    // which it cannot know ?3 is: else it walks ids until `limit` match.
    if (!query.label->empty()) absl::StrAppend(&sql, " AND label != ''");
  }
  absl::StrAppend(&sql, " ORDER BY id LIMIT ?4");
  absl::StatusOr<SqliteStatement> select = SqliteStatement::Prepare(db_, sql);
  if (!select.ok()) return select.status();
  select->BindInt(1, query.after_id);
  if (query.state.has_value()) {
    select->BindInt(2, static_cast<int>(*query.state));
  }
  if (query.label.has_value()) select->BindText(3, *query.label);
  select->BindInt(4, query.limit);
  return ReadTasks(*select);
}

absl::StatusOr<std::array<int64_t, 8>> Journal::CountByState() {
  absl::StatusOr<SqliteStatement> select =
      SqliteStatement::Prepare(db_,
                               "SELECT state, sum(tasks) FROM state_counts "
                               "GROUP BY state");
  if (!select.ok()) return select.status();
  std::array<int64_t, 8> counts{};
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const int64_t state = select->Int(0);
    if (state < 0 || state >= static_cast<int64_t>(counts.size())) {
      return absl::DataLossError(
          absl::StrCat("journal ", path_, ": a task has state ", state,
                       ", which this server does not know"));
    }
    counts[static_cast<size_t>(state)] = select->Int(1);
  }
  return counts;
}

absl::StatusOr<std::vector<RunningAttempt>> Journal::Running(int limit) {
  absl::StatusOr<SqliteStatement> select = SqliteStatement::Prepare(
      db_,
      "SELECT t.id, t.name, a.number, a.worker, a.started_at FROM tasks t "
      "JOIN attempts a ON a.task_id = t.id AND a.number = t.attempts "
      "WHERE t.state = ?1 ORDER BY t.id LIMIT ?2");
  if (!select.ok()) return select.status();
  select->BindInt(1, static_cast<int>(TaskState::kRunning));
  select->BindInt(2, limit);
  std::vector<RunningAttempt> running;
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    running.push_back(RunningAttempt{
        .id = select->Int(0),
        .name = select->Text(1),
        .number = static_cast<int>(select->Int(2)),
        .worker = select->Text(3),
        .started = absl::FromUnixMicros(select->Int(4)),
    });
  }
  return running;
}

absl::StatusOr<std::vector<std::pair<int, int64_t>>>
Journal::QueuedByPriority() {
  absl::StatusOr<SqliteStatement> select = SqliteStatement::Prepare(
      db_,
      "SELECT priority, tasks FROM state_counts WHERE state = ?1 AND "
      "tasks > 0 ORDER BY priority DESC");
  if (!select.ok()) return select.status();
  select->BindInt(1, static_cast<int>(TaskState::kQueued));
  std::vector<std::pair<int, int64_t>> counts;
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    counts.emplace_back(static_cast<int>(select->Int(0)), select->Int(1));
  }
  return counts;
}

absl::StatusOr<int64_t> Journal::Compact(absl::Time ended_before) {
  if (absl::Status s = Exec("BEGIN;"); !s.ok()) return s;
  const std::string sql = absl::StrFormat(
      "DELETE FROM attempts WHERE task_id IN (SELECT id FROM tasks WHERE "
      "ended_at < %d); DELETE FROM tasks WHERE ended_at < %d;",
      Micros(ended_before), Micros(ended_before));
  if (absl::Status s = Exec(sql.c_str()); !s.ok()) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  }
  const int64_t deleted = sqlite3_changes64(db_);
  if (absl::Status s = Exec("COMMIT;"); !s.ok()) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  }
  return deleted;
}

}  // namespace taskqueue::internal
