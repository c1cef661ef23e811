// SqliteStatement: one prepared SQLite statement, with the few calls the
// journal needs, and SqliteStatus, which turns an SQLite result code into an
// absl::Status whose message says what the journal was doing.
//
// Usage:
//     absl::StatusOr<SqliteStatement> insert =
//         SqliteStatement::Prepare(db, "INSERT INTO t VALUES (?1)");
//     if (!insert.ok()) return insert.status();
//     insert->BindInt(1, 42);
//     if (absl::Status s = insert->Run(); !s.ok()) return s;
//
// Contract: not thread-safe (nor is the connection it belongs to); the
// statement must be destroyed before its connection is closed. Text and blob
// arguments are copied by SQLite (SQLITE_TRANSIENT), so they need not outlive
// the Bind call.
#ifndef TASKQUEUE_ACTORS_JOURNAL_SQLITE_STATEMENT_H_
#define TASKQUEUE_ACTORS_JOURNAL_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace taskqueue::internal {

// The status for SQLite result `rc` on `db` (which may be null), doing
// `what`. The code says what a caller can do about it: kResourceExhausted
// for a full disk or file-size limit, kUnavailable when another process
// holds the database, kDataLoss for a corrupt file or one that is not an
// SQLite database, kInternal otherwise.
absl::Status SqliteStatus(sqlite3* db, int rc, absl::string_view what);

class SqliteStatement {
 public:
  static absl::StatusOr<SqliteStatement> Prepare(sqlite3* db,
                                                 absl::string_view sql);

  void BindInt(int index, int64_t value);
  void BindText(int index, absl::string_view value);
  void BindBlob(int index, absl::string_view value);
  void BindNull(int index);

  // Steps once: true when a row is ready to read, false when done.
  absl::StatusOr<bool> Step();
  // Steps until done (for statements that return no rows), then resets.
  absl::Status Run();
  // Back to the first step, keeping the bindings.
  void Reset();

  int64_t Int(int column) const;
  bool IsNull(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const {
      sqlite3_finalize(statement);
    }
  };
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement)
      : db_(db), statement_(statement) {}

  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_JOURNAL_SQLITE_STATEMENT_H_
