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

GroupCommit::Counts GroupCommit::counts() const {
  absl::MutexLock lock(&mu_);
  return counts_;
}

void GroupCommit::Run() {
  std::vector<Pending> group;
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
      const size_t take =
          std::min(pending_.size(), static_cast<size_t>(options_.max_group));
      group.assign(std::make_move_iterator(pending_.begin()),
                   std::make_move_iterator(pending_.begin() + take));
      pending_.erase(pending_.begin(), pending_.begin() + take);
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
