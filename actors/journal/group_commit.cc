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
  std::vector<Pending> group;
  std::vector<JournalOp> ops;
  Reader read;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommit* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->pending_.empty();
          },
          this));
      if (pending_.empty()) return;  // Stopping, and everything committed.
      if (pending_.front().read) {
        read = std::move(pending_.front().read);
        pending_.erase(pending_.begin());
      } else {
        // A group ends before the first read: the read sees it committed.
        size_t take = 1;
        while (take < pending_.size() &&
               take < static_cast<size_t>(options_.max_group) &&
               !pending_[take].read) {
          ++take;
        }
        group.assign(std::make_move_iterator(pending_.begin()),
                     std::make_move_iterator(pending_.begin() + take));
        pending_.erase(pending_.begin(), pending_.begin() + take);
      }
    }
    if (read) {
      std::move(read)(journal_);
      read = nullptr;
      continue;
    }
    ops.clear();
    for (Pending& p : group) ops.push_back(std::move(p.op));
    absl::StatusOr<std::vector<absl::StatusOr<OpOutcome>>> outcomes =
        journal_.Commit(ops, absl::Now());
    for (size_t i = 0; i < group.size(); ++i) {
      std::move(group[i].done)(outcomes.ok() ? std::move((*outcomes)[i])
                                             : outcomes.status());
    }
    bool idle;
    {
      absl::MutexLock lock(&mu_);
      ++counts_.groups;
      counts_.operations += static_cast<int64_t>(group.size());
      idle = pending_.empty();
    }
    group.clear();
    if (journal_.log_pages() > 0 &&
        (idle || journal_.log_pages() >= options_.checkpoint_pages)) {
      journal_.Checkpoint().IgnoreError();  // The log only grows meanwhile.
    }
  }
}

}  // namespace taskqueue::internal
