#include "actors/journal/group_commit.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/time/clock.h"

namespace taskqueue::internal {

GroupCommit::GroupCommit(Journal& journal, GroupCommitOptions options)
    : journal_(journal), options_(options), thread_([this] { Run(); }) {}

GroupCommit::~GroupCommit() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void GroupCommit::Submit(JournalOp op, Done done) {
  absl::MutexLock lock(&mu_);
  pending_.push_back(Pending{std::move(op), std::move(done)});
}

void GroupCommit::Read(Reader read) {
  absl::MutexLock lock(&mu_);
  pending_.push_back(Pending{.read = std::move(read)});
}

GroupCommit::Counts GroupCommit::counts() const {
  absl::MutexLock lock(&mu_);
  return counts_;
}

void GroupCommit::Run() {
  std::vector<Pending> taken;
  std::vector<Pending> group;
  std::vector<Reader> reads;
  std::vector<JournalOp> ops;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommit* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->pending_.empty();
          },
          this));
      if (pending_.empty()) return;  // Stopping, and everything committed.
      // Up to max_group operations and the reads among them, which run once
      // the group committed: a read between two operations does not split
      // their group (waits for ended tasks come as often as tasks end).
      size_t take = 0;
      size_t operations = 0;
      while (take < pending_.size() &&
             (pending_[take].read ||
              operations < static_cast<size_t>(options_.max_group))) {
        if (!pending_[take].read) ++operations;
        ++take;
      }
      if (take == pending_.size()) {
        taken.swap(pending_);
      } else {
        taken.assign(std::make_move_iterator(pending_.begin()),
                     std::make_move_iterator(pending_.begin() + take));
        pending_.erase(pending_.begin(), pending_.begin() + take);
      }
    }
    for (Pending& p : taken) {
      if (p.read) {
        reads.push_back(std::move(p.read));
      } else {
        group.push_back(std::move(p));
      }
    }
    taken.clear();
    if (!group.empty()) {
      ops.clear();
      for (Pending& p : group) ops.push_back(std::move(p.op));
      absl::StatusOr<std::vector<absl::StatusOr<OpOutcome>>> outcomes =
          journal_.Commit(ops, absl::Now());
      for (size_t i = 0; i < group.size(); ++i) {
        std::move(group[i].done)(outcomes.ok() ? std::move((*outcomes)[i])
                                               : outcomes.status());
      }
      absl::MutexLock lock(&mu_);
      ++counts_.groups;
      counts_.operations += static_cast<int64_t>(group.size());
    }
    group.clear();
    for (Reader& read : reads) std::move(read)(journal_);
    reads.clear();
    bool idle;
    {
      absl::MutexLock lock(&mu_);
      idle = pending_.empty();
    }
    if (journal_.log_pages() > 0 &&
        (idle || journal_.log_pages() >= options_.checkpoint_pages)) {
      journal_.Checkpoint().IgnoreError();  // The log only grows meanwhile.
    }
  }
}

}  // namespace taskqueue::internal
