#include "actors/journal/sqlite_statement.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace taskqueue::internal {

absl::Status SqliteStatus(sqlite3* db, int rc, absl::string_view what) {
  // SQLite 3.40 leaves sqlite3_system_errno at 0 after a failed write, but
  // the write's errno is still in errno here: call this first thing after
  // the failing SQLite call.
  const int saved_errno = errno;
  const int primary = rc & 0xff;
  // sqlite3_errmsg names the failing step better than sqlite3_errstr, but
  // only while `db` is open and this was its most recent error.
  const char* detail = db != nullptr && sqlite3_extended_errcode(db) == rc
                           ? sqlite3_errmsg(db)
                           : sqlite3_errstr(rc);
  std::string message = absl::StrCat(what, ": ", detail);
  int os_error = db != nullptr ? sqlite3_system_errno(db) : 0;
  if (os_error == 0) os_error = saved_errno;
  if (os_error != 0 && (primary == SQLITE_IOERR || primary == SQLITE_FULL ||
                        primary == SQLITE_CANTOPEN)) {
    absl::StrAppend(&message, " (", std::strerror(os_error), ")");
  }
  switch (primary) {
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(
          absl::StrCat(message, "; the disk is full"));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    case SQLITE_IOERR:
      // A write past RLIMIT_FSIZE (EFBIG) is a full disk by another name.
      if (os_error == EFBIG || os_error == ENOSPC || os_error == EDQUOT) {
        return absl::ResourceExhaustedError(
            absl::StrCat(message,
                         "; no room to write (a full disk, a quota or a file "
                         "size limit)"));
      }
      return absl::InternalError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::StatusOr<SqliteStatement> SqliteStatement::Prepare(
    sqlite3* db, absl::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int rc =
      sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteStatus(db, rc, absl::StrCat("preparing \"", sql, "\""));
  }
  return SqliteStatement(db, statement);
}

void SqliteStatement::BindInt(int index, int64_t value) {
  sqlite3_bind_int64(statement_.get(), index, value);
}

void SqliteStatement::BindText(int index, absl::string_view value) {
  sqlite3_bind_text64(statement_.get(), index, value.data(), value.size(),
                      SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::BindBlob(int index, absl::string_view value) {
  // A null data pointer would bind NULL, not an empty blob.
  static constexpr char kEmpty = 0;
  sqlite3_bind_blob64(statement_.get(), index,
                      value.empty() ? &kEmpty : value.data(), value.size(),
                      SQLITE_TRANSIENT);
}

void SqliteStatement::BindNull(int index) {
  sqlite3_bind_null(statement_.get(), index);
}

absl::StatusOr<bool> SqliteStatement::Step() {
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    // Reset now, so that the next Bind finds the statement ready: binding a
    // statement that was stepped and not reset fails (SQLITE_MISUSE), and
    // the old values would silently stay.
    sqlite3_reset(statement_.get());
    return false;
  }
  const absl::Status status = SqliteStatus(
      db_, sqlite3_extended_errcode(db_),
      absl::StrCat("running \"", sqlite3_sql(statement_.get()), "\""));
  sqlite3_reset(statement_.get());
  return status;
}

absl::Status SqliteStatement::Run() {
  absl::StatusOr<bool> row;
  do {
    row = Step();
  } while (row.ok() && *row);
  Reset();
  return row.status();
}

void SqliteStatement::Reset() { sqlite3_reset(statement_.get()); }

int64_t SqliteStatement::Int(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

std::string SqliteStatement::Text(int column) const {
  const auto* text = sqlite3_column_text(statement_.get(), column);
  const int size = sqlite3_column_bytes(statement_.get(), column);
  return text == nullptr ? std::string()
                         : std::string(reinterpret_cast<const char*>(text),
                                       static_cast<size_t>(size));
}

std::string SqliteStatement::Blob(int column) const {
  const void* blob = sqlite3_column_blob(statement_.get(), column);
  const int size = sqlite3_column_bytes(statement_.get(), column);
  return blob == nullptr ? std::string()
                         : std::string(static_cast<const char*>(blob),
                                       static_cast<size_t>(size));
}

}  // namespace taskqueue::internal
