#include "bench/durable_add_limits.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "taskqueue/taskqueue.h"

namespace taskqueue_bench {
namespace {

bool Exec(sqlite3* db, const char* sql, benchmark::State& state) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK) {
    return true;
  }
  state.SkipWithError(sqlite3_errmsg(db));
  return false;
}

}  // namespace

void MeasureSqliteInserts(benchmark::State& state, const std::string& path,
                          int per_commit, bool full, int rows_per_iteration) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((path + suffix).c_str());
  }
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    state.SkipWithError(sqlite3_errmsg(db));
  } else if (Exec(db, "PRAGMA journal_mode = WAL;", state) &&
             Exec(db,
                  full ? "PRAGMA synchronous = FULL;"
                       : "PRAGMA synchronous = NORMAL;",
                  state) &&
             Exec(db,
                  "CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                  "name TEXT, args BLOB, label TEXT, idempotency_key TEXT "
                  "UNIQUE, state INTEGER, accepted_at INTEGER);",
                  state) &&
             sqlite3_prepare_v2(db,
                                "INSERT INTO tasks (name, args, label, state, "
                                "accepted_at) VALUES ('bench.noop', ?1, '', "
                                "0, ?2)",
                                -1, &insert, nullptr) == SQLITE_OK) {
    const std::string args(16, 'a');
    int64_t rows = 0;
    for (auto _ : state) {
      for (int done = 0; done < rows_per_iteration; done += per_commit) {
        if (!Exec(db, "BEGIN;", state)) break;
        for (int i = 0; i < per_commit; ++i) {
          sqlite3_bind_blob(insert, 1, args.data(), 16, SQLITE_STATIC);
          sqlite3_bind_int64(insert, 2, ++rows);
          sqlite3_step(insert);
          sqlite3_reset(insert);
        }
        if (!Exec(db, "COMMIT;", state)) break;
      }
    }
    state.SetItemsProcessed(state.iterations() * rows_per_iteration);
  } else {
    state.SkipWithError(sqlite3_errmsg(db));
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((path + suffix).c_str());
  }
}

void MeasureInMemoryAdds(benchmark::State& state, int tasks_per_iteration) {
  taskqueue::TaskQueue queue(2);
  for (auto _ : state) {
    for (int i = 0; i < tasks_per_iteration; ++i) queue.add_task([] {});
    queue.join();
  }
  state.SetItemsProcessed(state.iterations() * tasks_per_iteration);
}

}  // namespace taskqueue_bench
