// JournaledTask: one journal task while the server's queue runs it. As the
// task's EncodedResult it hears each attempt start and end and the task's
// outcome, and turns each into the journal operation that records it
// (DispatchTask, FailAttempt, CompleteTask, EndUnrun), submitted through
// GroupCommit in the order they happened.
//
//   auto task = std::make_shared<JournaledTask>(
//       commits, stopping, ended, worker_names, record.id, record.attempts);
//   queue.add_encoded(options, registry, record.task.name, bytes, task);
//
// Attempt numbers are the journal's: those recovered from an earlier server
// plus the queue's, so each report names the attempt the journal has open
// (the journal refuses any other).
//
// Stopping: once `stopping` is set (the server is going down and its queue
// is cleared), ends that only the stop causes (unrun, a retry given up) are
// not recorded: the journal keeps those tasks queued, for the next server
// to run. Attempts that finish still are.
//
// Thread-safety: thread-safe; the queue calls it from workers and its
// supervisor (encoded_result.h). A failed commit is logged to stderr and
// changes nothing else: the task goes on, and a restart replays what the
// journal did not record.
#ifndef TASKQUEUE_ACTORS_SERVER_JOURNALED_TASK_H_
#define TASKQUEUE_ACTORS_SERVER_JOURNALED_TASK_H_

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "actors/journal/group_commit.h"
#include "taskqueue/encoded_result.h"

namespace taskqueue::internal {

class JournaledTask : public EncodedResult {
 public:
  // `recovered`: attempts the journal holds already (JournalTask::attempts).
  // `ended` is called with the id on the commit thread once the task's end
  // is committed. `worker_names` says who runs an attempt started on a
  // worker (TaskQueue::worker_name), as the journal records it. `commits`,
  // `stopping`, `ended` and `worker_names` must outlive this.
  JournaledTask(GroupCommit& commits, const std::atomic<bool>& stopping,
                const std::function<void(int64_t)>& ended,
                const std::function<std::string(int)>& worker_names, int64_t id,
                int recovered)
      : commits_(commits),
        stopping_(stopping),
        ended_(ended),
        worker_names_(worker_names),
        id_(id),
        recovered_(recovered) {}

  void started(int attempt, int worker) override;
  void retrying(int attempt, std::exception_ptr error) override;
  void set_value(std::vector<char> result) override;
  void set_exception(std::exception_ptr error) override;

  int64_t id() const { return id_; }

 private:
  // Ends the open attempt as failed with `error`, for another (`retry`) or
  // for good.
  void FailOpen(std::exception_ptr error, bool retry)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Submits the operation that ends the task.
  void End(JournalOp op);

  GroupCommit& commits_;
  const std::atomic<bool>& stopping_;
  const std::function<void(int64_t)>& ended_;
  const std::function<std::string(int)>& worker_names_;
  const int64_t id_;
  const int recovered_;
  absl::Mutex mu_;
  // The journal's number of the attempt that started last, and whether it
  // has not ended yet.
  int attempt_ ABSL_GUARDED_BY(mu_) = 0;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_JOURNALED_TASK_H_
