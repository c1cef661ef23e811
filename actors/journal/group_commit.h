// GroupCommit: lets many threads commit journal operations at the cost of
// few disk flushes. Operations submitted while a commit is on its way to
// disk wait for it to finish, then all go into the next transaction, so one
// fsync acknowledges every operation of a group: the more producers, the
// larger the groups, and a lone producer still waits for only one flush.
//
//   GroupCommit commits(*journal);
//   commits.Submit(AcceptTask{std::move(task)},
//                  [](absl::StatusOr<OpOutcome> accepted) {
//                    // Durable now (if ok): acknowledge it to the producer.
//                  });
//
// Contract. Submit is thread-safe and does not block on the disk. Each
// operation's callback runs exactly once, on the commit thread, after its
// group's transaction committed (with the operation's own outcome) or
// failed (with the transaction's error: then the operation did not happen).
// Callbacks should be quick (send a message, fulfil a promise): the next
// group waits for them. Operations commit in the order they were submitted.
// The Journal must outlive this and is used only by its thread meanwhile. A
// checkpoint that fails is retried at the next one; the commits go on.
// Reads (Read) run on the commit thread too, after every operation
// submitted before them committed and its callback ran. Destruction commits and
// reads everything submitted before it, then stops.
#ifndef TASKQUEUE_ACTORS_JOURNAL_GROUP_COMMIT_H_
#define TASKQUEUE_ACTORS_JOURNAL_GROUP_COMMIT_H_

#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "actors/journal/journal.h"
#include "actors/journal/journal_record.h"

namespace taskqueue::internal {

struct GroupCommitOptions {
  // The most operations one transaction takes; the rest wait for the next.
  // Bounds how long one commit holds its group's callbacks back.
  int max_group = 8192;
  // Checkpoints (Journal::Checkpoint) run when nothing waits to be
  // committed, and at the latest when the log reaches this many pages
  // (4 KiB each), so that it stays bounded under a load that never pauses.
  int checkpoint_pages = 4096;
};

class GroupCommit {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<OpOutcome>) &&>;

  explicit GroupCommit(Journal& journal, GroupCommitOptions options = {});
  ~GroupCommit();

  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  void Submit(JournalOp op, Done done);

  // Runs `read` on the commit thread, between groups, once every operation
  // submitted before it has committed and its callback ran: it sees their
  // effects, and may see those of operations submitted after it, which can
  // share their group (so reads as frequent as operations do not cost a
  // flush each). The journal is read only there (Journal is not
  // thread-safe), so a read that queries it waits for the commit in flight.
  using Reader = absl::AnyInvocable<void(Journal&) &&>;
  void Read(Reader read);

  // Transactions committed (or failed) so far, and operations in them: their
  // ratio is the average group size.
  struct Counts {
    int64_t groups = 0;
    int64_t operations = 0;
  };
  Counts counts() const;

 private:
  // An operation, or (`read` set) a read.
  struct Pending {
    JournalOp op;
    Done done;
    Reader read;
  };
  void Run();

  Journal& journal_;
  const GroupCommitOptions options_;
  mutable absl::Mutex mu_;
  std::vector<Pending> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Counts counts_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // Last: starts after everything it reads.
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_JOURNAL_GROUP_COMMIT_H_
