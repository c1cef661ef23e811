// JournalOptions: where the durable journal lives and what an acknowledged
// task survives (journal.h).
#ifndef TASKQUEUE_ACTORS_JOURNAL_JOURNAL_OPTIONS_H_
#define TASKQUEUE_ACTORS_JOURNAL_JOURNAL_OPTIONS_H_

#include <string>

namespace taskqueue::internal {

// What a commit waits for before the journal acknowledges it.
enum class Durability {
  // SQLite's synchronous=FULL: fsync on every commit (of a group). An
  // acknowledged task survives a crash of the process, of the operating
  // system and a power loss.
  kFull,
  // synchronous=NORMAL in WAL mode: no fsync on commit, only at checkpoints.
  // An acknowledged task survives a crash of the process (kill -9), but the
  // last commits before a power loss or kernel crash may be lost. Faster
  // where fsync is slow.
  kProcessCrash,
};

struct JournalOptions {
  // The SQLite database file; created with the schema if missing or empty.
  // SQLite also keeps `path`-wal beside it (write-ahead log mode).
  std::string path = "taskqueue.journal";
  Durability durability = Durability::kFull;
  // Run SQLite's quick_check when opening, so that a corrupt journal is
  // refused at start rather than found by the first unlucky read. Reads the
  // whole file, so a large journal starts more slowly (not measured yet).
  bool check_on_open = true;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_JOURNAL_JOURNAL_OPTIONS_H_
