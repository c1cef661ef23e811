// What a durable add is measured against, for journal_bench and
// server_bench: raw SQLite inserting rows shaped like the journal's with
// the same durability (the most a journal on this disk can do), and the
// in-memory queue (what durability is added to).
//
//   void BM_SqliteInsert(benchmark::State& state) {
//     MeasureSqliteInserts(state, path, /*per_commit=*/100, /*full=*/true,
//                          /*rows_per_iteration=*/2000);
//   }
//
// Each runs the benchmark's loop itself and sets items processed (rows or
// tasks per second); an error skips the benchmark with SQLite's message.
#ifndef TASKQUEUE_BENCH_DURABLE_ADD_LIMITS_H_
#define TASKQUEUE_BENCH_DURABLE_ADD_LIMITS_H_

#include <string>

#include "benchmark/benchmark.h"

namespace taskqueue_bench {

// Inserts `rows_per_iteration` rows per iteration into a fresh WAL database
// at `path` (replaced), `per_commit` rows per transaction, with
// synchronous=FULL when `full` (else NORMAL).
void MeasureSqliteInserts(benchmark::State& state, const std::string& path,
                          int per_commit, bool full, int rows_per_iteration);

// Adds `tasks_per_iteration` no-op tasks to a TaskQueue of 2 workers and
// joins them, per iteration.
void MeasureInMemoryAdds(benchmark::State& state, int tasks_per_iteration);

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_DURABLE_ADD_LIMITS_H_
