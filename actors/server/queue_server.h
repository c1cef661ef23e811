// QueueServer: a task queue whose tasks survive it. Every task it accepts is
// committed to its journal (journal.h) before it is acknowledged, and every
// attempt after that is recorded (journaled_task.h); a server started on the
// same journal runs again what the last one accepted and did not finish.
// The network front (the client protocol) and the binary sit on top of
// this; tests use it directly.
//
//   absl::StatusOr<std::unique_ptr<QueueServer>> server =
//       QueueServer::Start({.registry = registry});
//   if (!server.ok()) return server.status();  // A bad journal, say.
//   (*server)->Submit({.name = "plot.write", .args = bytes},
//                     [](absl::StatusOr<OpOutcome> accepted) {
//                       // Durable (if ok): tell the producer accepted->id.
//                     });
//
// Contract. Submit is thread-safe and does not block on the disk; its
// callback runs once: on the journal's commit thread after the task was
// committed (then also queued, unless its idempotency key named a task
// accepted before: OpOutcome::created is false) or refused by the journal
// (a full disk is kResourceExhausted, a reused key kAlreadyExists); at
// once, on the caller's thread, for what never reaches it: kNotFound for a
// name the registry does not have, kInvalidArgument for bad fields,
// kUnavailable once Stop began. Stop (and the destructor) refuses new tasks,
// lets the running attempts finish and records them, and leaves every task not
// yet finished queued in the journal, for the next server. Start fails with the
// journal's error (journal.h) or kInvalidArgument for bad options.
#ifndef TASKQUEUE_ACTORS_SERVER_QUEUE_SERVER_H_
#define TASKQUEUE_ACTORS_SERVER_QUEUE_SERVER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "actors/journal/group_commit.h"
#include "actors/journal/journal.h"
#include "actors/journal/journal_record.h"
#include "actors/server/server_options.h"
#include "taskqueue/taskqueue.h"

namespace taskqueue::internal {

class QueueServer {
 public:
  using Accepted = absl::AnyInvocable<void(absl::StatusOr<OpOutcome>) &&>;

  static absl::StatusOr<std::unique_ptr<QueueServer>> Start(
      ServerOptions options);
  ~QueueServer();

  QueueServer(const QueueServer&) = delete;
  QueueServer& operator=(const QueueServer&) = delete;

  void Submit(NewTask task, Accepted accepted);

  // Calls `found` with task `id` once its end is committed, at once if it
  // has ended: kNotFound if there is no such task (never accepted, or
  // compacted), kUnavailable if the server stops first. On the commit
  // thread; quick, like every GroupCommit callback.
  using Found = absl::AnyInvocable<void(absl::StatusOr<JournalTask>) &&>;
  void WhenEnded(int64_t id, Found found);
  // Runs `read` on the journal (GroupCommit::Read): status, listings,
  // compaction.
  void Read(GroupCommit::Reader read) { commits_->Read(std::move(read)); }

  // Queues dead-lettered task `id` again, with its attempt budget renewed
  // (RetryTask): kNotFound, or kFailedPrecondition unless it is kFailed.
  // `done` runs on the commit thread.
  void Retry(int64_t id, absl::AnyInvocable<void(absl::Status) &&> done);
  // Stops / restarts giving tasks to workers (TaskQueue::pause). Blocks
  // for a message round trip.
  void Pause() { queue_->pause(); }
  void Resume() { queue_->resume(); }
  bool paused() const { return queue_->paused(); }
  absl::Duration uptime() const { return absl::Now() - started_; }

  // Blocks until everything handed to the journal so far is committed or
  // read, and its callbacks have run.
  void Flush();

  // Blocks until every task queued so far (recovered ones included) ended.
  void Join() { queue_->join(); }
  void Stop();

  // The journal's transactions and operations so far (GroupCommit).
  GroupCommit::Counts commit_counts() const { return commits_->counts(); }
  // Tasks the journal handed back at Start.
  int64_t recovered() const { return recovered_; }
  // The queue itself: stats, the worker nodes' port.
  TaskQueue& queue() { return *queue_; }

 private:
  QueueServer(ServerOptions options, std::unique_ptr<Journal> journal);
  // Hands a committed task to the queue, with `attempts` made before.
  void Enqueue(int64_t id, const NewTask& task, int attempts,
               int attempt_budget) ABSL_LOCKS_EXCLUDED(enqueue_mu_);

  // A task's end is committed: answers its waiters.
  void Ended(int64_t id);
  // Compacts what ended before the retention, every so often, until Stop.
  void CompactLoop();

  const ServerOptions options_;
  // WhenEnded's, by task id; the commit thread's only.
  std::unordered_map<int64_t, std::vector<Found>> waiters_;
  bool stopped_ = false;  // Likewise.
  const std::function<void(int64_t)> ended_ = [this](int64_t id) { Ended(id); };
  const std::function<std::string(int)> worker_names_ = [this](int worker) {
    return queue_->worker_name(worker);
  };
  // Set once, by Stop, under enqueue_mu_; JournaledTask reads it too.
  absl::Mutex enqueue_mu_;
  std::atomic<bool> stopping_{false};
  int64_t recovered_ = 0;
  const absl::Time started_ = absl::Now();
  // Destroyed in reverse: the queue (its last reports go to the commits),
  // the commits (committing them), then the journal.
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<GroupCommit> commits_;
  std::unique_ptr<TaskQueue> queue_;
  absl::Notification stop_compacting_;
  std::thread compactor_;  // Last: it reads the rest.
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_QUEUE_SERVER_H_
