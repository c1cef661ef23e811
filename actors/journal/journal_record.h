// What the journal records (journal.h): the operations a server commits, one
// for each lifecycle transition that must survive a crash, and the tasks it
// reads back.
#ifndef TASKQUEUE_ACTORS_JOURNAL_JOURNAL_RECORD_H_
#define TASKQUEUE_ACTORS_JOURNAL_JOURNAL_RECORD_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "taskqueue/task_state.h"

namespace taskqueue::internal {

// A named task as a producer hands it over.
struct NewTask {
  std::string name;   // The task registry's name.
  std::string args;   // The arguments, serialized (WireWriter).
  std::string label;  // A batch label to find it by; may be empty.
  // Empty: none. Otherwise a second AcceptTask with the same key and the
  // same name and arguments is the same task (a producer retrying after a
  // lost acknowledgement); with other name or arguments it is refused.
  std::string idempotency_key;
  int priority = 0;
  int max_attempts = 1;

  friend bool operator==(const NewTask&, const NewTask&) = default;
};

// The operations, each one transition. `attempt` is the attempt number that
// DispatchTask's outcome gave: a report for any other attempt (a node
// reporting late, after its task was given to another) is refused, so that
// nothing is counted twice.
struct AcceptTask {
  NewTask task;
};  // -> kQueued
struct DispatchTask {
  int64_t id = 0;
  std::string worker;  // Who runs the attempt: "local/3", "node/<name>".
};                     // kQueued -> kRunning, a new attempt
struct CompleteTask {
  int64_t id = 0;
  int attempt = 0;
  std::string result;  // Serialized (WireWriter).
};                     // kRunning -> kCompleted
struct FailAttempt {
  int64_t id = 0;
  int attempt = 0;
  std::string error_type;
  std::string error_message;
  // Back to kQueued for another attempt, else kFailed: the dead-letter
  // state, where RetryTask can take it from.
  bool retry = false;
};  // kRunning -> kQueued | kFailed
struct RetryTask {
  int64_t id = 0;
};  // kFailed -> kQueued, with max_attempts more attempts
struct EndUnrun {
  int64_t id = 0;
  TaskState state = TaskState::kCancelled;  // Or kDropped/kCoalesced/kExpired.
};                                          // kQueued -> state
using JournalOp = std::variant<AcceptTask, DispatchTask, CompleteTask,
                               FailAttempt, RetryTask, EndUnrun>;

// What one operation did.
struct OpOutcome {
  int64_t id = 0;
  // AcceptTask: false when the idempotency key named a task accepted before.
  bool created = false;
  // DispatchTask: the new attempt's number (1 for the first).
  int attempt = 0;
};

// One attempt of a task, as recorded.
struct JournalAttempt {
  int number = 0;
  std::string worker;
  absl::Time started;
  absl::Time ended = absl::InfinitePast();  // InfinitePast: still running.
  // "completed", "failed", "lost" (the server stopped while it ran), or
  // empty while running.
  std::string outcome;
  std::string error_type;
  std::string error_message;
};

// A task in an attempt now, and where that attempt runs.
struct RunningAttempt {
  int64_t id = 0;
  std::string name;
  int number = 0;
  std::string worker;
  absl::Time started;
};

// A task as the journal holds it.
struct JournalTask {
  int64_t id = 0;
  NewTask task;
  TaskState state = TaskState::kQueued;
  int attempts = 0;  // Started so far.
  // Attempts allowed before it is dead-lettered: max_attempts, plus
  // max_attempts again for each RetryTask.
  int attempt_budget = 0;
  std::string result;      // kCompleted only.
  std::string error_type;  // kFailed: the last attempt's error.
  std::string error_message;
  absl::Time accepted;
  absl::Time ended = absl::InfinitePast();  // InfinitePast: not ended.
  std::vector<JournalAttempt> history;      // Filled by Journal::Find only.
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_JOURNAL_JOURNAL_RECORD_H_
