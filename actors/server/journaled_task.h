// JournaledTask: one journal task while the server's queue runs it. It turns
// what the queue reports about the task (each start, its outcome) into the
// journal operations that record it, in the order they happened, through
// GroupCommit. The server gives each task it hands to the queue one of these
// as its EncodedResult and routes the queue observer's OnStarted to Started.
//
// Attempt numbers are the journal's: the attempts recovered from an earlier
// server plus the starts seen here, so a report always names the attempt
// the journal has open. An attempt that a new start follows without an
// outcome (a retry, or a worker node lost) is recorded as failed before the
// new one starts: the observer does not say why, so it is recorded as
// "retried".
//
// Thread-safety: thread-safe. Started and the outcome of one attempt arrive
// on the same thread (the worker's, or the supervisor's for a node), one
// after the other, so the operations are submitted in their order.
#ifndef TASKQUEUE_ACTORS_SERVER_JOURNALED_TASK_H_
#define TASKQUEUE_ACTORS_SERVER_JOURNALED_TASK_H_

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "actors/journal/group_commit.h"
#include "taskqueue/encoded_result.h"

namespace taskqueue::internal {

class JournaledTask : public EncodedResult {
 public:
  // `attempts`: those the journal holds already (JournalTask::attempts).
  // `commits` must outlive this.
  JournaledTask(GroupCommit& commits, int64_t id, int attempts)
      : commits_(commits), id_(id), attempts_(attempts) {}

  // An attempt starts on `worker` ("local/2", "node").
  void Started(std::string worker);

  void set_value(std::vector<char> result) override;
  void set_exception(std::exception_ptr error) override;

  int64_t id() const { return id_; }

 private:
  GroupCommit& commits_;
  const int64_t id_;
  absl::Mutex mu_;
  int attempts_ ABSL_GUARDED_BY(mu_);
  // Whether attempt attempts_ started here and has no outcome yet.
  bool open_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_JOURNALED_TASK_H_
